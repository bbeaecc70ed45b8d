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
from scheduler.messages.outbox import beneficiary_route
from scheduler.messages.outbox import enabled
from scheduler.messages.outbox import queue
from scheduler.messages.outbox import setting
from scheduler.messages.texts import language_of
from scheduler.messages.texts import text_for
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import SeriesStatus
from scheduler.models import WorkshopSeries

from .enrolment import OFFER_FOR
from .enrolment import sweep_offers


def queue_offer(
    session: Session, enrolment: Enrolment, *, link: str, now: datetime, sms: bool
) -> OutboxMessage | None:
    """Queue the offer of a seat to ``enrolment``'s person; flushes only."""
    series = enrolment.series
    beneficiary = enrolment.beneficiary
    if series is None or beneficiary is None or enrolment.offered_at is None:
        return None
    organisation = series.organisation
    kind = MessageKind.WORKSHOP_OFFER
    if not enabled(session, organisation.id, kind):
        return None
    route = beneficiary_route(session, beneficiary, sms=sms)
    if route is None:
        return None
    language = language_of(enrolment.locale, organisation.language)
    locale = words.babel_locale(enrolment.locale, language)
    first = series.sessions[0].starts_at if series.sessions else now
    values = {
        "first_name": beneficiary.first_name,
        "programme": series.programme.title,
        "place": series.place_name,
        "when": words.when(first, organisation, locale),
        "link": link,
        "expires": words.when(enrolment.offer_expires_at or now, organisation, locale),
        "organisation": organisation.name,
        "contact": words.contact(organisation),
    }
    own = setting(session, organisation.id, kind)
    text = text_for(kind, language, values, own.texts if own else None)
    return queue(
        session,
        organisation_id=organisation.id,
        kind=kind,
        recipient_kind=RecipientKind.BENEFICIARY,
        route=route,
        key=f"workshop-offer:{enrolment.id}:{enrolment.offered_at.isoformat()}",
        language=language,
        subject=text.subject,
        body=text.body,
        now=now,
        recipient_name=beneficiary.first_name,
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
