"""What other pages call right after their own commit: queue the messages it calls for.

Only queues, and hands what it queued to the workers of the task queue: nothing is sent
from a web request. A failure here never undoes nor hides what the page did: it is logged, and the
timed sweep (``message_news``) queues the same messages later, once, by their keys.
"""

from __future__ import annotations

import logging

from flask import request
from flask import url_for
from sqlalchemy.exc import SQLAlchemyError

from routes.context import settings
from scheduler import messages
from scheduler.core.extensions import db
from scheduler.messages.background import hand_over_due
from scheduler.messages.links import volunteer_links
from scheduler.models import utcnow
from scheduler.partners.news import REFERRALS_PATH
from scheduler.partners.news import queue_referral_news
from scheduler.requests.intake import NewRequest

log = logging.getLogger(__name__)


def base_url() -> str:
    """The public address for links: [MESSAGES] or [FEEDS] base_url, else this host's."""
    running = settings()
    return (running.messages.base_url or running.feeds.base_url or request.url_root).rstrip("/")


def after_booking(created: NewRequest) -> None:
    """Queue the person's reference and private link (the secret exists only now)."""
    path = url_for("booking.show", token=created.token)
    organisation_id = created.request.organisation_id
    try:
        messages.queue_booking_confirmation(
            db.session(),
            created.request,
            link=base_url() + path,
            now=utcnow(),
            settings=settings().messages,
        )
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("the booking confirmation could not be queued")
        return
    _hand_over(organisation_id)


def _hand_over(organisation_id: int) -> None:
    """Give what was just queued to the workers; the send_messages job does it otherwise."""
    try:
        hand_over_due(db.session(), utcnow(), organisation_id=organisation_id)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("queued messages could not be handed to the workers")


def after_change(organisation_id: int) -> None:
    """Queue what publishing, moving or cancelling appointments calls for."""
    running = settings()
    try:
        messages.queue_news(
            db.session(),
            utcnow(),
            running.messages,
            organisation_id=organisation_id,
            volunteer_link=volunteer_links(db.session(), base_url(), running.secret_key),
        )
        queue_referral_news(
            db.session(),
            utcnow(),
            link=base_url() + REFERRALS_PATH,
            organisation_id=organisation_id,
        )
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("messages about the changes could not be queued")
        return
    _hand_over(organisation_id)
