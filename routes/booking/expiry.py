"""A public form sent after its token expired comes back with what was typed.

Form tokens last ``WTF_CSRF_TIME_LIMIT`` (4 hours): long enough for most, not for a person
who leaves a screen open over a nap or a phone call. Application-wide, an expired token
gets the "page expired" page, which loses the screen's answers. The booking pages answer
instead with the same screen, what was typed on it, a fresh token, and a sentence saying
so. Nothing from such a post is saved (its token does not vouch for it): the person sends
the screen again, and :func:`routes.booking.journey.answer_step` takes it from there,
even when the draft of the screens before has been erased meanwhile.
"""

from __future__ import annotations

from typing import Any

from flask import make_response
from flask import render_template
from flask import request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from routes.booking import steps
from routes.booking.forms import BookingForm
from routes.booking.forms import CancelForm
from routes.booking.journey import _render_step
from routes.booking.journey import kept_draft
from routes.booking.pages import bp
from routes.booking.pages import build_form
from routes.booking.pages import form_context
from routes.booking.pages import private
from routes.booking.workshops import ENROL_FIELDS
from routes.booking.workshops import enrol_page
from routes.context import current_organisation
from routes.context import show_in_language
from routes.submissions import FIELD
from scheduler.core import submissions
from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import utcnow
from scheduler.requests import private_link
from scheduler.workshops import programmes


@bp.errorhandler(CSRFError)
def expired_form(error: CSRFError) -> Any:
    org = current_organisation()
    name = (request.view_args or {}).get("name")
    if org is not None and request.endpoint == "booking.answer" and name in steps.NAMES:
        return _screen_again(org, str(name))
    if org is not None and request.endpoint == "booking.one_page":
        form = build_form(BookingForm, org)
        _mark_expired(form)
        return render_template("booking/new.html", **form_context(form, org)), 400
    if org is not None and request.endpoint == "booking.workshop_enrol":
        page = _enrolment_again(org, int((request.view_args or {}).get("series_id", 0)))
        if page is not None:
            return page
    if request.endpoint == "booking.cancel":
        cancel = _cancel_again(str((request.view_args or {}).get("token", "")))
        if cancel is not None:
            return cancel
    return render_template("errors/csrf.html"), 400


def _screen_again(org: Organisation, name: str) -> tuple[str, int]:
    """The screen as it was sent, over the answers still kept from the screens before."""
    draft = kept_draft(org)
    kept = (draft.answers or {}) if draft is not None else {}
    formdata = steps.with_implied_mode(steps.merged_answers(kept, request.form, name))
    form = build_form(BookingForm, org, formdata=formdata)
    _mark_expired(form)
    return _render_step(name, form, org, changing=bool(request.args.get("change")), status=400)


def _enrolment_again(org: Organisation, series_id: int) -> tuple[str, int] | None:
    """A workshop's enrolment form as it was sent; None when there is no such form open."""
    series = programmes.series_of(db.session(), org, series_id)
    coming = programmes.coming_series(db.session(), org, now=utcnow())
    key = request.form.get(FIELD, "")
    if series is None or series not in coming or (key and not submissions.well_formed(key)):
        return None
    typed = {k: request.form.get(k, "").strip() for k in ENROL_FIELDS}
    expired = _(
        "This page stayed open a long time. For your safety, it must be sent again: what you"
        " typed is still here."
    )
    return enrol_page(series, typed, {"first_name": expired}, 400)


def _cancel_again(token: str) -> Response | None:
    """The cancel form of a private link, with the reason typed; None for no open request."""
    help_request = private_link.find_by_token(db.session(), token)
    if help_request is None or not help_request.is_open:
        return None
    show_in_language(help_request.locale)
    form = CancelForm()
    form.csrf_token.errors = ["expired"]
    page = render_template("booking/cancel.html", request=help_request, token=token, form=form)
    return private(make_response(page, 400))


def _mark_expired(form: BookingForm) -> None:
    """The error summary then says the page stayed open too long (see booking/_parts.html);
    the token rendered is a fresh one."""
    csrf = getattr(form, "csrf_token", None)
    if csrf is not None:
        csrf.errors = ["expired"]
