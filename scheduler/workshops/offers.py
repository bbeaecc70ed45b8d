"""Telling a person that a seat is theirs to take: a message in the outbox.

Queued once per offer (the key names the enrolment and the time of the offer), by SMS to
a mobile, else by e-mail, else on the dispatchers' call list.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.messages import words
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage
from scheduler.models import SeriesStatus
from scheduler.models import WorkshopSeries

from .enrolment import OFFER_FOR
from .enrolment import sweep_offers
from .participant_messages import queue_to_participant


def queue_offer(
    session: Session, enrolment: Enrolment, *, link: str, now: datetime, sms: bool
) -> OutboxMessage | None:
    """Queue the offer of a seat to ``enrolment``'s person; flushes only."""
    series = enrolment.series
    offered_at = enrolment.offered_at
    if series is None or offered_at is None:
        return None
    organisation = series.organisation

    def values(_language: str, locale: str) -> dict[str, object]:
        first = series.sessions[0].starts_at if series.sessions else now
        expires = enrolment.offer_expires_at or now
        return {
            "when": words.when(first, organisation, locale),
            "expires": words.when(expires, organisation, locale),
        }

    return queue_to_participant(
        session,
        enrolment,
        MessageKind.WORKSHOP_OFFER,
        key=f"workshop-offer:{enrolment.id}:{offered_at.isoformat()}",
        link=link,
        now=now,
        sms=sms,
        values=values,
    )


#: Where a participant's private page lives (``routes.booking.workshops``).
LINK_PATH = "/workshop/{token}"


def sweep_all_offers(
    session: Session,
    now: datetime,
    *,
    key: bytes,
    base_url: str,
    sms: bool,
    offer_for: timedelta = OFFER_FOR,
) -> int:
    """Expire the offers past their time in every open series, offer the freed seats to
    the next people and queue their messages; commits. Returns the offers made."""
    due = session.scalars(
        sa.select(WorkshopSeries)
        .join(Enrolment, Enrolment.series_id == WorkshopSeries.id)
        .where(
            WorkshopSeries.status == SeriesStatus.PUBLISHED,
            Enrolment.status == EnrolmentStatus.OFFERED,
            Enrolment.offer_expires_at <= now,
        )
        .distinct()
    ).all()
    made = 0
    for series in due:
        for enrolment, token in sweep_offers(
            session, series, now=now, key=key, offer_for=offer_for
        ):
            link = base_url + LINK_PATH.format(token=token)
            queue_offer(session, enrolment, link=link, now=now, sms=sms)
            made += 1
    session.commit()
    return made
