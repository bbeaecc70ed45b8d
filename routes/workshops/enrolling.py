"""Enrolling someone in a workshop series (with who referred them), withdrawing them, and
offering freed seats to the waiting list. The series page shows the enrolment form, so it is
rendered here for the dispatchers' other workshop pages too."""

from __future__ import annotations

from typing import Any

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.labels import referral_label
from scheduler.core import phones
from scheduler.core.extensions import db
from scheduler.models import Enrolment
from scheduler.models import Referral
from scheduler.models import Source
from scheduler.models import utcnow
from scheduler.workshops import enrolment as enrolments
from scheduler.workshops import programmes
from scheduler.workshops.errors import WorkshopError

from . import bp
from .offers import link_key
from .offers import offer_for
from .offers import tell_enrolment
from .offers import tell_offers
from .scope import organisation
from .scope import own
from .words import refusal

ENROL_FIELDS = ("first_name", "phone", "email", "referral", "referrer_name")


def series_page(series: Any, errors: dict[str, str], form: dict[str, str], status: int = 200):
    session = db.session()
    page = render_template(
        "workshops/series.html",
        series=series,
        seats_left=programmes.seats_left(session, series),
        participants=enrolments.participants(session, series),
        waiting=enrolments.waiting_list(session, series),
        referral_options=[(r.value, referral_label(r)) for r in Referral],
        form={k: form.get(k, "") for k in ENROL_FIELDS},
        errors=errors,
    )
    return page, status


@bp.post("/dispatch/workshops/series/<int:series_id>/enrol")
@staff_required
def enrol(series_id: int) -> Any:
    org = organisation()
    series = own(programmes.WorkshopSeries, series_id)
    form = {k: request.form.get(k, "").strip() for k in ENROL_FIELDS}
    errors: dict[str, str] = {}
    if not form["first_name"]:
        errors["first_name"] = _("Enter the person's first name.")
    elif len(form["first_name"]) > 80:
        errors["first_name"] = _("Write at most %(limit)d characters.", limit=80)
    try:
        phone = phones.parse_phone(form["phone"], org.country)
    except phones.InvalidPhone:
        errors["phone"] = _("Enter a phone number we can call, such as 819 555-0123.")
    if form["email"] and ("@" not in form["email"] or len(form["email"]) > 254):
        errors["email"] = _("Enter an e-mail address such as name@example.org, or leave it empty.")
    referral = None
    if form["referral"]:
        try:
            referral = Referral(form["referral"])
        except ValueError:
            errors["referral"] = _("Choose who referred the person.")
    if len(form["referrer_name"]) > 120:
        errors["referrer_name"] = _("Write at most %(limit)d characters.", limit=120)
    if errors:
        return series_page(series, errors, form, 400)
    try:
        enrolment, token = enrolments.enrol(
            db.session(),
            series,
            enrolments.Person(form["first_name"], phone, form["email"] or None),
            key=link_key(),
            now=utcnow(),
            locale=org.locale,
            source=Source.PARTNER if referral else Source.PHONE,
            referral=referral,
            referrer_name=form["referrer_name"],
            created_by=current_user._get_current_object(),
        )
    except WorkshopError as refused:
        db.session.rollback()
        return series_page(series, {"first_name": refusal(refused.code)}, form, 400)
    db.session.commit()
    tell_enrolment(enrolment, token)
    if enrolment.waiting_position:
        flash(
            _(
                "The series is full: %(name)s is number %(position)d on the waiting list.",
                name=form["first_name"],
                position=enrolment.waiting_position,
            ),
            "info",
        )
    else:
        flash(_("%(name)s is enrolled.", name=form["first_name"]), "success")
    return redirect(url_for("workshops.series", series_id=series.id), 303)


@bp.post("/dispatch/workshops/enrolments/<int:enrolment_id>/withdraw")
@staff_required
def withdraw(enrolment_id: int) -> Response:
    enrolment: Enrolment = own(Enrolment, enrolment_id)
    try:
        offers = enrolments.withdraw(
            db.session(), enrolment, now=utcnow(), key=link_key(), offer_for=offer_for()
        )
    except WorkshopError as refused:
        db.session.rollback()
        flash(refusal(refused.code), "error")
    else:
        db.session.commit()
        tell_offers(offers)
        flash(_("The enrolment is withdrawn."), "success")
    target = enrolment.series_id
    if target is None:
        return redirect(url_for("workshops.index"), 303)
    return redirect(url_for("workshops.series", series_id=target), 303)


@bp.post("/dispatch/workshops/series/<int:series_id>/offers")
@staff_required
def sweep(series_id: int) -> Response:
    """Expire the offers past their time and offer the seats to the next people."""
    series = own(programmes.WorkshopSeries, series_id)
    offers = enrolments.sweep_offers(
        db.session(), series, now=utcnow(), key=link_key(), offer_for=offer_for()
    )
    db.session.commit()
    tell_offers(offers)
    flash(_("Seats offered: %(count)d.", count=len(offers)), "info")
    return redirect(url_for("workshops.series", series_id=series.id), 303)
