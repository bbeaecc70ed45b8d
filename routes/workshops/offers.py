"""After an enrolment, or a change that frees seats: queue the person's message (the
confirmation, or the offer), with the private link, and hand it to the workers."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import url_for
from sqlalchemy.exc import SQLAlchemyError

from routes.context import settings
from routes.messages.hooks import base_url
from scheduler.core.extensions import db
from scheduler.messages.background import hand_over_due
from scheduler.models import Enrolment
from scheduler.models import utcnow
from scheduler.workshops.confirmation import queue_enrolment_confirmation
from scheduler.workshops.offers import queue_offer

log = logging.getLogger(__name__)


def offer_for() -> timedelta:
    """``[WORKSHOPS] offer_hours``: how long an offered seat waits."""
    return settings().workshops.offer_for


def link_key() -> bytes:
    """The key participants' private links are derived with (from SECRET_KEY)."""
    return b"workshops:" + settings().secret_key.encode("utf-8")


def tell_offers(offers: list[tuple[Enrolment, str]]) -> None:
    """Queue one message per seat offered, then hand them to the workers."""
    if not offers:
        return
    organisation_id = offers[0][0].organisation_id
    try:
        for enrolment, token in offers:
            queue_offer(
                db.session(),
                enrolment,
                link=base_url() + url_for("booking.workshop_enrolment", token=token),
                now=utcnow(),
                sms=settings().messages.sms_available,
            )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("workshop offers could not be queued")
        return
    try:
        hand_over_due(db.session(), utcnow(), organisation_id=organisation_id)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("workshop offers could not be handed to the workers")


def tell_enrolment(enrolment: Enrolment, token: str) -> None:
    """Queue the confirmation of a fresh enrolment (after its commit), then hand it over.
    A failure is logged and never undoes the enrolment."""
    try:
        queue_enrolment_confirmation(
            db.session(),
            enrolment,
            link=base_url() + url_for("booking.workshop_enrolment", token=token),
            now=utcnow(),
            sms=settings().messages.sms_available,
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("the workshop enrolment confirmation could not be queued")
        return
    try:
        hand_over_due(db.session(), utcnow(), organisation_id=enrolment.organisation_id)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("the workshop enrolment confirmation could not be handed to the workers")
