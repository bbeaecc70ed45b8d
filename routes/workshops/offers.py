"""After an enrolment, or a change that frees seats: queue the person's message (the
confirmation, or the offer), with the private link, and hand it to the workers."""

from __future__ import annotations

import logging
from collections.abc import Callable
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


def _link(token: str) -> str:
    return base_url() + url_for("booking.workshop_enrolment", token=token)


def _queue_and_hand_over(
    organisation_id: int, queue_messages: Callable[[], object], what: str
) -> None:
    """Queue (and commit) messages after the change that calls for them has been
    committed, then hand them to the workers. A failure is logged with ``what`` and never
    undoes that change."""
    try:
        queue_messages()
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("%s could not be queued", what)
        return
    try:
        hand_over_due(db.session(), utcnow(), organisation_id=organisation_id)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("%s could not be handed to the workers", what)


def tell_offers(offers: list[tuple[Enrolment, str]]) -> None:
    """Queue one message per seat offered, then hand them to the workers."""
    if not offers:
        return

    def queue_all() -> None:
        for enrolment, token in offers:
            queue_offer(
                db.session(),
                enrolment,
                link=_link(token),
                now=utcnow(),
                sms=settings().messages.sms_available,
            )

    _queue_and_hand_over(offers[0][0].organisation_id, queue_all, "workshop offers")


def tell_enrolment(enrolment: Enrolment, token: str) -> None:
    """Queue the confirmation of a fresh enrolment (after its commit), then hand it over.
    A failure is logged and never undoes the enrolment."""
    _queue_and_hand_over(
        enrolment.organisation_id,
        lambda: queue_enrolment_confirmation(
            db.session(),
            enrolment,
            link=_link(token),
            now=utcnow(),
            sms=settings().messages.sms_available,
        ),
        "the workshop enrolment confirmation",
    )
