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

from flask import render_template
from flask import request
from flask import session
from flask_wtf.csrf import CSRFError

from routes.booking import steps
from routes.booking.forms import BookingForm
from routes.booking.journey import DRAFT_KEY
from routes.booking.journey import _render_step
from routes.booking.pages import bp
from routes.booking.pages import build_form
from routes.booking.pages import form_context
from routes.context import current_organisation
from routes.context import settings
from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import utcnow
from scheduler.requests import drafts


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
    return render_template("errors/csrf.html"), 400


def _screen_again(org: Organisation, name: str) -> tuple[str, int]:
    """The screen as it was sent, over the answers still kept from the screens before."""
    token = session.get(DRAFT_KEY)
    draft = drafts.find_draft(
        db.session(),
        org,
        token if isinstance(token, str) else None,
        now=utcnow(),
        max_age=settings().public.draft_max_age,
    )
    kept = (draft.answers or {}) if draft is not None else {}
    formdata = steps.with_implied_mode(steps.merged_answers(kept, request.form, name))
    form = build_form(BookingForm, org, formdata=formdata)
    _mark_expired(form)
    return _render_step(name, form, org, changing=bool(request.args.get("change")), status=400)


def _mark_expired(form: BookingForm) -> None:
    """The error summary then says the page stayed open too long (see booking/_parts.html);
    the token rendered is a fresh one."""
    csrf = getattr(form, "csrf_token", None)
    if csrf is not None:
        csrf.errors = ["expired"]
