"""The public side of workshops: the fourth choice of the form ("I want to join a
workshop"), the coming series near the person with their seats left, enrolling (or the
waiting list), and the participant's private page with their sessions as ``.ics``.

Plain round trips: no script needed. The private link is the key, as for a request.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import abort
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from routes.booking import budget
from routes.booking.pages import booking_options
from routes.booking.pages import bp
from routes.booking.pages import organisation_or_503
from routes.booking.pages import private
from routes.booking.words import REFERRAL_LABELS
from routes.booking.words import enrol_refusal_message
from routes.context import settings
from routes.context import show_in_language
from routes.feeds import feed_settings
from routes.workshops.offers import link_key
from routes.workshops.offers import offer_for
from routes.workshops.offers import tell_enrolment
from routes.workshops.offers import tell_offers
from scheduler.calendars import render
from scheduler.core import phones
from scheduler.core import submissions
from scheduler.core.extensions import db
from scheduler.core.extensions import limiter
from scheduler.core.validation import plain_number
from scheduler.models import Enrolment
from scheduler.models import Municipality
from scheduler.models import Referral
from scheduler.models import Source
from scheduler.models import utcnow
from scheduler.requests import intake
from scheduler.workshops import enrolment as enrolments
from scheduler.workshops import programmes
from scheduler.workshops import public_form
from scheduler.workshops.errors import WorkshopError

log = logging.getLogger("scheduler.booking")


def _town(org_id: int, value: str | None) -> Municipality | None:
    town_id = plain_number(value or "")
    if town_id is None:
        return None
    town = db.session.get(Municipality, town_id)
    if town is None or town.organisation_id != org_id or not town.active:
        return None
    return town


@bp.get("/workshops")
def workshops() -> str:
    """The organisation's coming workshop series, for anyone."""
    org = organisation_or_503()
    session = db.session()
    coming = programmes.coming_series(session, org, now=utcnow(), started_too=True)
    return render_template(
        "booking/workshops/list.html",
        org=org,
        coming=[(s, programmes.seats_left(session, s)) for s in coming],
    )


@bp.get("/ask/workshop")
def workshop_choice() -> Any:
    """Where the person lives, then the series near them with their seats left."""
    org = organisation_or_503()
    towns = intake.active_municipalities(db.session(), org)
    chosen = request.args.get("municipality")
    town = _town(org.id, chosen)
    error = _("Choose your municipality in the list.") if chosen is not None and not town else None
    near = (
        programmes.series_near(
            db.session(), org, town, now=utcnow(), max_km=settings().workshops.near_km
        )
        if town is not None
        else []
    )
    page = render_template(
        "booking/workshops/choose.html",
        org=org,
        towns=towns,
        town=town,
        near=near,
        error=error,
    )
    return (page, 400) if error else page


#: The enrolment form's text fields, shown again as typed when the form is refused.
ENROL_FIELDS = ("first_name", "phone", "referral", "referral_name")


def enrol_page(series: Any, form: dict[str, str], errors: dict[str, str], status: int = 200):
    page = render_template(
        "booking/workshops/enrol.html",
        series=series,
        seats_left=programmes.seats_left(db.session(), series),
        form=form,
        errors=errors,
        municipality=request.values.get("municipality", ""),
        referrals=[(r.value, str(REFERRAL_LABELS[r])) for r in Referral],
        once=_once_key() or submissions.new_key(),
    )
    return page, status


def _once_key() -> str:
    """The one-use key this rendering of the enrolment form was sent with ("" for none)."""
    key = request.form.get("once", "")
    if key and not submissions.well_formed(key):
        abort(400)
    return key


@bp.get("/ask/workshop/<int:series_id>")
def workshop_enrol_form(series_id: int) -> Any:
    org = organisation_or_503()
    series = programmes.series_of(db.session(), org, series_id)
    if series is None or series not in programmes.coming_series(db.session(), org, now=utcnow()):
        abort(404)
    return enrol_page(series, dict.fromkeys(ENROL_FIELDS, ""), {})


@bp.post("/ask/workshop/<int:series_id>")
@limiter.limit(
    lambda: booking_options().attempt_limit, key_func=get_remote_address, scope="attempts"
)
def workshop_enrol(series_id: int) -> Any:
    org = organisation_or_503()
    series = programmes.series_of(db.session(), org, series_id)
    if series is None or series not in programmes.coming_series(db.session(), org, now=utcnow()):
        abort(404)
    # Kept whole (the request's size is bounded by MAX_CONTENT_LENGTH), so that a mistake
    # shows the person everything they typed.
    form = {k: request.form.get(k, "").strip() for k in ENROL_FIELDS}
    if request.form.get("website"):
        budget.claim_budget()
        return enrol_page(series, form, {"first_name": _("Your answers were not sent.")}, 400)
    answers = public_form.EnrolAnswers(
        first_name=form["first_name"],
        phone=form["phone"],
        referral=form["referral"],
        referral_name=form["referral_name"],
        consent=bool(request.form.get("consent")),
    )
    try:
        checked = public_form.check_answers(answers, org.country)
    except public_form.AnswersRefused as refused:
        errors = {str(r.field): enrol_refusal_message(r) for r in refused.refusals}
        return enrol_page(series, form, errors, 400)
    key = _once_key()
    if key and (
        earlier := submissions.claim(
            db.session(), key, form="workshop_enrol", user_id=None, now=utcnow()
        )
    ):
        # Sent again (a double tap, back then send): the first sending enrolled the
        # person; show them their place, spending no budget.
        db.session.rollback()
        done = enrolments.enrolment_of_submission(db.session(), series, earlier.target)
        if done is not None:
            flash(_("This form was already sent: you are enrolled only once."), "info")
            token = enrolments.link_token(done, link_key())
            return redirect(url_for("booking.workshop_enrolment", token=token), 303)
    if not budget.claim_budget():
        abort(429)
    town = _town(org.id, request.form.get("municipality"))
    try:
        enrolment, token = enrolments.enrol(
            db.session(),
            series,
            checked.person,
            key=link_key(),
            now=utcnow(),
            locale=str(get_locale()),
            source=Source.ONLINE,
            referral=checked.referral,
            referrer_name=checked.referrer_name,
            municipality=town,
        )
    except WorkshopError as refused:
        db.session.rollback()
        words = {
            "already_enrolled": _("You are already enrolled in this workshop."),
        }.get(refused.code, _("This workshop is not open for enrolment any more."))
        return enrol_page(series, form, {"first_name": words}, 400)
    if key:
        # Recorded with the enrolment, in its transaction: a second sending waiting on
        # the key finds where to send the person as soon as it can read the key.
        submissions.settle(db.session(), key, enrolments.submission_target(enrolment))
    else:
        db.session.commit()
    log.info("enrolment %d sent from the public form", enrolment.id)
    tell_enrolment(enrolment, token)
    return redirect(url_for("booking.workshop_enrolment", token=token), 303)


def _enrolment_or_404(token: str) -> Enrolment:
    enrolment = enrolments.find_by_token(db.session(), token)
    if enrolment is None or enrolment.series is None:
        abort(404)
    show_in_language(enrolment.locale)
    return enrolment


@bp.get("/workshop/<token>")
def workshop_enrolment(token: str) -> Response:
    """The participant's private page: their place, the sessions, the calendar file."""
    enrolment = _enrolment_or_404(token)
    series = enrolment.series
    assert series is not None
    org = series.organisation
    page = render_template(
        "booking/workshops/show.html",
        enrolment=enrolment,
        series=series,
        token=token,
        link=url_for("booking.workshop_enrolment", token=token, _external=True),
        contact_phone=phones.format_phone(org.contact_phone, org.country),
    )
    return private(make_response(page))


@bp.post("/workshop/<token>/take")
def workshop_take(token: str) -> Response:
    enrolment = _enrolment_or_404(token)
    try:
        enrolments.accept_offer(db.session(), enrolment, now=utcnow())
    except WorkshopError:
        db.session.rollback()
        flash(_("This seat is not offered to you any more. Call us."), "info")
    else:
        db.session.commit()
        flash(_("The seat is yours. See you at the first session."), "success")
    return redirect(url_for("booking.workshop_enrolment", token=token), 303)


@bp.post("/workshop/<token>/leave")
def workshop_leave(token: str) -> Response:
    enrolment = _enrolment_or_404(token)
    try:
        offers = enrolments.withdraw(
            db.session(), enrolment, now=utcnow(), key=link_key(), offer_for=offer_for()
        )
    except WorkshopError:
        db.session.rollback()
    else:
        db.session.commit()
        tell_offers(offers)
    flash(_("You left the workshop. Thank you for letting us know."), "success")
    return redirect(url_for("booking.workshop_enrolment", token=token), 303)


@bp.get("/workshop/<token>/sessions.ics")
def workshop_ics(token: str) -> Response:
    enrolment = _enrolment_or_404(token)
    feed = render.enrolment_file(enrolment, now=utcnow(), settings=feed_settings())
    if feed is None:
        abort(404)
    response = Response(feed.body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{feed.filename}"'
    return private(response)
