"""The public side: ask for help, see or cancel a request through its private link, and
read the privacy notice. No account needed; the private link is the key.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request as http_request
from flask import session
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from routes.booking import budget
from routes.booking import view
from routes.booking.forms import BookingForm
from routes.booking.forms import CancelForm
from routes.booking.words import MODE_LABELS
from routes.booking.words import NEED_LABELS
from routes.context import chosen_language
from routes.context import current_organisation
from routes.context import settings
from routes.context import show_in_language
from routes.messages import hooks as message_hooks
from scheduler.core import phones
from scheduler.core import submissions
from scheduler.core.extensions import db
from scheduler.core.extensions import limiter
from scheduler.core.i18n import native_language_name
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import Source
from scheduler.models import utcnow
from scheduler.requests import drafts
from scheduler.requests import intake
from scheduler.requests import private_link
from scheduler.requests.booking_options import BookingOptions
from scheduler.requests.dropin_day import first_dropin_day

bp = Blueprint("booking", __name__)

#: Where the private link of the request just sent waits for the confirmation page.
DONE_KEY = "booking_done"
#: How long the confirmation page can be shown again (a reload, a lost connection). After
#: that it is gone, so the next person on a shared computer (a drop-in, a library, a
#: partner's office) cannot open it.
DONE_SECONDS = 30 * 60


def remember_done(key: str, token: str) -> None:
    """Keep a fresh request's private link in the visitor's session for a short while."""
    session[key] = {"token": token, "until": utcnow().timestamp() + DONE_SECONDS}


def recall_done(key: str) -> str | None:
    """The private link kept by :func:`remember_done`, if it is still fresh."""
    kept = session.get(key)
    if not isinstance(kept, dict) or not isinstance(kept.get("token"), str):
        session.pop(key, None)
        return None
    if not isinstance(kept.get("until"), int | float) or kept["until"] < utcnow().timestamp():
        session.pop(key, None)
        return None
    return str(kept["token"])


def booking_options() -> BookingOptions:
    """``[BOOKING]``, read once when the application was built."""
    return settings().booking


def build_form(form_class: type[BookingForm], org: Organisation, **kwargs: Any) -> BookingForm:
    """A request form with the organisation's places and the configured choices."""
    form = form_class(**kwargs)
    language = chosen_language()
    return form.prepare(
        booking_options(),
        default_languages=[language],
        country=org.country,
        today=intake.local_today(org, utcnow()),
        municipalities=intake.active_municipalities(db.session(), org),
        sites=intake.active_sites(db.session(), org),
        language_label=native_language_name,
    )


def form_context(form: BookingForm, org: Organisation, *, staff: bool = False) -> dict[str, Any]:
    """What the shared form template needs besides the form."""
    options = booking_options()
    sites = intake.active_sites(db.session(), org)
    return {
        "form": form,
        "staff": staff,
        "options": options,
        "org": org,
        "grid": view.availability_grid(form.availability, options),
        "period_headers": view.period_headers(options),
        "sites": {str(s.id): s for s in sites},
        "opening_lines": view.opening_lines,
        "languages": [view.language_choice(code) for code in options.languages],
        "mode_hints": {m.value: hint for m, (_label, hint) in MODE_LABELS.items()},
        "need_hints": {n.value: hint for n, (_label, hint) in NEED_LABELS.items()},
        "contact_phone": phones.format_phone(org.contact_phone, org.country),
        "privacy_contact": options.privacy_contact or org.contact_email,
    }


def submit_request(
    form: BookingForm, org: Organisation, **context: Any
) -> intake.NewRequest | None:
    """Store the form's answers as a new request; None when the service refuses one, and
    the form then shows why beside the field, with everything typed kept."""
    try:
        created = intake.create_request(
            db.session(), org, form.answers(), options=booking_options(), now=utcnow(), **context
        )
    except intake.BookingRefused as error:
        db.session.rollback()
        form.show_refusal(error)
        return None
    message_hooks.after_booking(created)
    return created


def private(response: Response) -> Response:
    """Pages holding a private link: never cached, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def organisation_or_503() -> Organisation:
    org = current_organisation()
    if org is None:
        abort(503)
    return org


def _request_or_404(token: str) -> HelpRequest:
    """The request of a private link; its pages speak the language it was sent in,
    unless the visitor chose another one."""
    request = private_link.find_by_token(db.session(), token)
    if request is None:
        abort(404)
    show_in_language(request.locale)
    return request


@bp.post("/")
@limiter.limit(
    lambda: booking_options().attempt_limit,
    key_func=get_remote_address,
    scope="attempts",
)
def one_page() -> Any:
    """The whole form in one post, as the page before the step-by-step form sent it (a
    partner's saved page, an old tab): still accepted, with every check; a mistake shows
    the one-page form with the messages and everything typed."""
    org = organisation_or_503()
    form = build_form(BookingForm, org)
    # Only kept requests (and robots caught) use up an address's budget; a person
    # correcting a typo does not. See routes/booking/budget.py.
    if form.is_submitted() and not budget.budget_left():
        abort(429)
    if form.is_submitted() and form.is_bot:
        budget.claim_budget()
        return render_template("booking/refused.html", **form_context(form, org)), 400
    if form.validate_on_submit():
        key = _one_page_key()
        token = drafts.request_token(current_app.secret_key or "", "one-page:" + key)
        if submissions.claim(db.session(), key, form="one_page", user_id=None, now=utcnow()):
            # Sent again (a double click, a second tab): the first sending made the
            # request, and was waited for above; show its confirmation, spending no budget.
            db.session.rollback()
            if private_link.find_by_token(db.session(), token) is not None:
                flash(_("This form was already sent: your request was recorded only once."), "info")
                remember_done(DONE_KEY, token)
                return redirect(url_for("booking.done"), 303)
            # The first request is gone (erased since): these answers make a new one.
            submissions.forget(db.session(), key)
            submissions.claim(db.session(), key, form="one_page", user_id=None, now=utcnow())
        if not budget.claim_budget():
            abort(429)
        created = submit_request(
            form, org, locale=str(get_locale()), source=Source.ONLINE, token=token
        )
        if created is not None:
            remember_done(DONE_KEY, created.token)
            return redirect(url_for("booking.done"), 303)
    return render_template("booking/new.html", **form_context(form, org)), 400


def _one_page_key() -> str:
    """The one-use key of this sending of the one-page form.

    The form carries a fresh key in each rendering; an old saved page has none, and then
    the answers themselves are the key, so the same answers sent twice make one request.
    Claimed with the request (:mod:`scheduler.core.submissions`), so two sendings at the
    same instant race in the database and one loses.
    """
    key = http_request.form.get("once", "")
    if key:
        if not submissions.well_formed(key):
            abort(400)
        return key
    answers = sorted(
        (name, value)
        for name, value in http_request.form.items(multi=True)
        if name not in {"csrf_token", "once"}
    )
    secret = str(current_app.secret_key or "").encode("utf-8")
    digest = hmac.new(secret, repr(answers).encode("utf-8"), "sha256").hexdigest()
    return "answers-" + digest[:40]


@bp.get("/thanks")
def done() -> Response:
    token = recall_done(DONE_KEY)
    request = private_link.find_by_token(db.session(), token) if token else None
    if request is None:
        return redirect(url_for("booking.new"))
    org = request.organisation
    page = render_template(
        "booking/done.html",
        request=request,
        dropin=first_dropin_day(request, booking_options(), intake.local_today(org, utcnow()))
        if request.mode.value == "dropin"
        else None,
        opening_lines=view.opening_lines,
        time_range=view.time_range,
        day_words=view.day_words,
        link=url_for("booking.show", token=token, _external=True),
        phone=phones.format_phone(request.beneficiary.phone, org.country)
        if request.beneficiary
        else "",
        contact_phone=phones.format_phone(org.contact_phone, org.country),
    )
    return private(make_response(page))


@bp.get("/request/<token>")
def show(token: str) -> Response:
    request = _request_or_404(token)
    org = request.organisation
    options = booking_options()
    appointment = private_link.upcoming_appointment(db.session(), request, utcnow())
    page = render_template(
        "booking/show.html",
        request=request,
        token=token,
        status=view.status_words(request.status, day_shown=appointment is not None),
        appointment=appointment,
        appointment_when=view.appointment_words(appointment) if appointment else None,
        calendar_link=url_for("feeds.request_ics", token=token)
        if appointment and view.feeds_link_available()
        else None,
        mode_words=view.mode_words(request.mode),
        need_words=view.need_words(request),
        availability_words=view.availability_words(request, options),
        opening_lines=view.opening_lines,
        languages=[view.language_choice(c) for c in request.languages],
        phone=phones.format_phone(request.beneficiary.phone, org.country)
        if request.beneficiary
        else "",
        contact_phone=phones.format_phone(org.contact_phone, org.country),
    )
    return private(make_response(page))


@bp.route("/request/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str) -> Any:
    request = _request_or_404(token)
    if not request.is_open:
        flash(_("This request is already closed: there is nothing to cancel."), "info")
        return redirect(url_for("booking.show", token=token), 303)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            private_link.cancel_request(db.session(), token, now=utcnow(), reason=form.reason.data)
            message_hooks.after_change(request.organisation_id)
        except (private_link.RequestNotFound, private_link.RequestClosed):
            db.session.rollback()
        flash(_("Your request is cancelled. Thank you for letting us know."), "success")
        return redirect(url_for("booking.show", token=token), 303)
    status = 400 if form.is_submitted() else 200
    page = render_template("booking/cancel.html", request=request, token=token, form=form)
    return private(make_response(page, status))


@bp.get("/privacy")
def privacy() -> str:
    org = current_organisation()
    options = booking_options()
    retention = settings().retention_days
    return render_template(
        "booking/privacy.html",
        org=org,
        retention_days=org.retention_days if org is not None else retention,
        contact=options.privacy_contact or (org.contact_email if org else None),
        contact_phone=phones.format_phone(org.contact_phone, org.country) if org else "",
        country=(org.country if org is not None else "CA").upper(),
    )


@bp.errorhandler(429)
def too_many(error: Exception) -> tuple[str, int]:
    org = current_organisation()
    return (
        render_template(
            "booking/too_many.html",
            contact_phone=phones.format_phone(org.contact_phone, org.country) if org else "",
        ),
        429,
    )
