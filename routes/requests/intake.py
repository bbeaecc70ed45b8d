"""Phone intake: a dispatcher fills in the request form for a caller.

Same questions and same service as the public form, with the source set to
"phone", the dispatcher recorded, consent read aloud, and an internal note. A
caller who already asked for help can be found by phone number so their record
is reused instead of copied.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import current_app
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.booking.forms import CallerLookupForm
from routes.booking.forms import IntakeForm
from routes.booking.pages import build_form
from routes.booking.pages import form_context
from routes.booking.pages import private
from routes.booking.pages import recall_done
from routes.booking.pages import remember_done
from routes.booking.pages import submit_request
from routes.context import interface_languages
from routes.submissions import sent_before
from routes.submissions import settle
from scheduler.core import phones
from scheduler.core.extensions import db
from scheduler.core.i18n import locale_for
from scheduler.core.validation import plain_number
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import Source
from scheduler.requests import callers as known_callers
from scheduler.requests import private_link

bp = Blueprint("intake", __name__, url_prefix="/dispatch/intake")

DONE_KEY = "intake_done"


def caller_locale(languages: list[str], org: Organisation) -> str:
    """The interface locale for messages to the caller: the first language they speak that
    the interface offers, in the organisation's regional variant; else the organisation's."""
    offered = interface_languages()
    for code in languages:
        if code in offered:
            return locale_for(code, org.locale, org.country)
    return org.locale


def _prefill(org: Organisation, beneficiary_id: str | None) -> dict[str, Any]:
    person_id = plain_number(beneficiary_id or "")
    if person_id is None:
        return {}
    person = known_callers.organisation_beneficiary(db.session(), org, person_id)
    if person is None:
        return {}
    return {
        "beneficiary_id": person.id,
        "first_name": person.first_name,
        "phone": phones.format_phone(person.phone, org.country),
        "email": person.email,
        "accessibility_notes": person.accessibility_notes,
    }


@bp.route("", methods=["GET", "POST"])
@staff_required
def new() -> Any:
    org: Organisation = current_user.organisation
    prefill = {} if request.method == "POST" else _prefill(org, request.args.get("beneficiary"))
    form = build_form(IntakeForm, org, **prefill)
    lookup = CallerLookupForm(formdata=request.args if "lookup_phone" in request.args else None)
    callers: list[known_callers.KnownCaller] | None = None
    if lookup.lookup_phone.data:
        try:
            number = phones.parse_phone(lookup.lookup_phone.data, org.country)
        except phones.InvalidPhone:
            lookup.lookup_phone.errors = [
                _("This phone number does not look right. Check the digits and the area code.")
            ]
        else:
            callers = known_callers.find_callers(db.session(), org, number)
    reused = None
    beneficiary_id = form.beneficiary_id.data
    if beneficiary_id:
        reused = known_callers.organisation_beneficiary(db.session(), org, int(beneficiary_id))

    if form.validate_on_submit():
        again = sent_before("intake", url_for("intake.done"))
        if again is not None:
            return again
        created = submit_request(
            form,
            org,
            locale=caller_locale(form.languages.data or [], org),
            source=Source.PHONE,
            created_by=current_user,
            internal_note=form.internal_note.data,
            beneficiary_id=int(beneficiary_id) if beneficiary_id else None,
        )
        if created is not None:
            remember_done(DONE_KEY, created.token)
            settle(url_for("inbox.show", request_id=created.request.id))
            return redirect(url_for("intake.done"), 303)
    status = 400 if form.is_submitted() else 200
    return (
        render_template(
            "intake/new.html",
            lookup=lookup,
            callers=callers,
            reused=reused,
            **form_context(form, org, staff=True),
        ),
        status,
    )


@bp.get("/done")
@staff_required
def done() -> Response:
    token = recall_done(DONE_KEY)
    help_request = private_link.find_by_token(db.session(), token) if token else None
    org: Organisation = current_user.organisation
    if help_request is None or help_request.organisation_id != org.id:
        return redirect(url_for("intake.new"))
    link = url_for("booking.show", token=token, _external=True)
    page = render_template(
        "intake/done.html",
        request=help_request,
        link=link,
        text_message=text_for_caller(help_request, link),
        phone=phones.format_phone(help_request.beneficiary.phone, org.country)
        if help_request.beneficiary
        else "",
        inbox_link=url_for("inbox.show", request_id=help_request.id)
        if "inbox.show" in current_app.view_functions
        else None,
    )
    return private(make_response(page))


def text_for_caller(help_request: HelpRequest, link: str) -> str:
    """The short message to read or text to the caller, in their language."""
    with force_locale(help_request.locale):
        return _(
            "%(org)s: we have your request %(reference)s. To see it or cancel it: %(link)s",
            org=help_request.organisation.name,
            reference=help_request.reference,
            link=link,
        )
