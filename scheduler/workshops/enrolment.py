"""Enrolling people in a series, the waiting list, and freed seats offered in turn.

A series has ``programme.capacity`` seats. Enrolled and completed participants hold one;
so does an offer until it is taken or expires. When a seat frees (a withdrawal, an offer
declined or expired), the next person on the waiting list is offered it by the messages
the service sends, with a link to take it before ``offer_expires_at``; then the next.

A participant's private link (their sessions as ``.ics``, the offer, a withdrawal) is a
token derived from the organisation's secret and the enrolment: only its hash is stored,
so the database alone opens nothing, and an offer message can carry the link again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.tokens import hash_token
from scheduler.core.tokens import looks_like_token
from scheduler.core.tokens import new_token
from scheduler.models import Beneficiary
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Municipality
from scheduler.models import Referral
from scheduler.models import SeriesStatus
from scheduler.models import Source
from scheduler.models import User
from scheduler.models import WorkshopSeries

from .errors import WorkshopError
from .programmes import HOLDING
from .programmes import seats_left

log = logging.getLogger(__name__)

#: How long a freed seat waits for the person it is offered to, unless the caller says.
OFFER_FOR = timedelta(hours=48)
ACTIVE = (*HOLDING, EnrolmentStatus.WAITING)


@dataclass(frozen=True)
class Person:
    """Who enrols: only what a session needs (no surname, no date of birth)."""

    first_name: str
    phone: str
    email: str | None = None
    accessibility_notes: str | None = None


def link_token(enrolment: Enrolment, key: bytes) -> str:
    """The secret of the participant's private link, derived again whenever it is needed."""
    message = f"workshop-enrolment:{enrolment.id}:{enrolment.created_at.isoformat()}"
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode("ascii")


def submission_target(enrolment: Enrolment) -> str:
    """What a public form's one-use key records as its result (scheduler.core.submissions)."""
    return f"enrolment:{enrolment.id}"


def enrolment_of_submission(
    session: Session, series: WorkshopSeries, target: str | None
) -> Enrolment | None:
    """The enrolment an earlier sending of the same form made in ``series``, so that a
    double tap shows the person their place instead of "you are already enrolled"."""
    prefix, _, number = (target or "").partition(":")
    if prefix != "enrolment" or not number.isdigit() or len(number) > 12:
        return None
    enrolment = session.get(Enrolment, int(number))
    if enrolment is None or enrolment.series_id != series.id:
        return None
    return enrolment


def find_by_token(session: Session, token: str) -> Enrolment | None:
    if not looks_like_token(token):
        return None
    return session.scalar(
        sa.select(Enrolment).where(Enrolment.access_token_hash == hash_token(token))
    )


def _beneficiary(session: Session, org_id: int, person: Person) -> Beneficiary:
    """The person's record: the one already holding this phone number, else a new one."""
    found = session.scalar(
        sa.select(Beneficiary)
        .where(Beneficiary.organisation_id == org_id, Beneficiary.phone == person.phone)
        .order_by(Beneficiary.id.desc())
        .limit(1)
    )
    if found is not None and found.first_name.casefold() == person.first_name.strip().casefold():
        if person.email and not found.email:
            found.email = person.email
        return found
    beneficiary = Beneficiary(
        organisation_id=org_id,
        first_name=person.first_name.strip(),
        phone=person.phone,
        email=person.email or None,
        accessibility_notes=person.accessibility_notes or None,
    )
    session.add(beneficiary)
    session.flush()
    return beneficiary


def _next_position(session: Session, series: WorkshopSeries) -> int:
    last = session.scalar(
        sa.select(sa.func.max(Enrolment.waiting_position)).where(
            Enrolment.series_id == series.id, Enrolment.status == EnrolmentStatus.WAITING
        )
    )
    return int(last or 0) + 1


def _hold_series(session: Session, series: WorkshopSeries) -> None:
    """Hold the series until this transaction ends, before its seats are counted.

    PostgreSQL locks the row (FOR UPDATE). SQLite ignores FOR UPDATE: there a write takes
    the database's single write lock (as BEGIN IMMEDIATE would) and waits, within the busy
    timeout, for the enrolment that holds it; without it two people already known (nothing
    written before the count) both saw the last seat free and both took it.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.select(WorkshopSeries.id).where(WorkshopSeries.id == series.id).with_for_update()
        )
        return
    session.execute(
        sa.update(WorkshopSeries)
        .where(WorkshopSeries.id == series.id)
        .values(status=WorkshopSeries.status)
        .execution_options(synchronize_session=False)
    )


def enrol(
    session: Session,
    series: WorkshopSeries,
    person: Person,
    *,
    key: bytes,
    now: datetime,
    locale: str,
    source: Source = Source.ONLINE,
    referral: Referral | None = None,
    referrer_name: str | None = None,
    municipality: Municipality | None = None,
    availability: Sequence[str] = (),
    created_by: User | None = None,
) -> tuple[Enrolment, str]:
    """A seat if one is left, else the end of the waiting list; flushes.

    Returns the enrolment and its private link's token. The series is locked so that two
    people never take the last seat together.
    """
    _hold_series(session, series)
    if series.status is not SeriesStatus.PUBLISHED:
        raise WorkshopError("not_open")
    if series.sessions and series.sessions[-1].ends_at < now:
        raise WorkshopError("over")
    expire_offers(session, series, now=now, key=key)
    beneficiary = _beneficiary(session, series.organisation_id, person)
    already = session.scalar(
        sa.select(Enrolment).where(
            Enrolment.series_id == series.id,
            Enrolment.beneficiary_id == beneficiary.id,
            Enrolment.status.in_(ACTIVE),
        )
    )
    if already is not None:
        raise WorkshopError("already_enrolled")
    has_seat = seats_left(session, series) > 0
    enrolment = Enrolment(
        organisation_id=series.organisation_id,
        programme_id=series.programme_id,
        series=series,
        beneficiary=beneficiary,
        municipality=municipality or series.municipality,
        availability=list(availability),
        status=EnrolmentStatus.ENROLLED if has_seat else EnrolmentStatus.WAITING,
        waiting_position=None if has_seat else _next_position(session, series),
        source=source,
        referral=referral,
        referrer_name=(referrer_name or "").strip()[:120] or None,
        access_token_hash=new_token()[1],
        locale=locale,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(enrolment)
    session.flush()
    token = link_token(enrolment, key)
    enrolment.access_token_hash = hash_token(token)
    session.flush()
    log.info(
        "enrolment %d in series %d: %s (%s)",
        enrolment.id,
        series.id,
        enrolment.status.value,
        source.value,
    )
    return enrolment, token


def waiting_list(session: Session, series: WorkshopSeries) -> list[Enrolment]:
    """Who waits for a seat, next first; offers under way come first."""
    return list(
        session.scalars(
            sa.select(Enrolment)
            .where(
                Enrolment.series_id == series.id,
                Enrolment.status.in_((EnrolmentStatus.OFFERED, EnrolmentStatus.WAITING)),
            )
            .order_by(
                (Enrolment.status == EnrolmentStatus.WAITING).asc(),
                Enrolment.waiting_position,
                Enrolment.id,
            )
        )
    )


def participants(session: Session, series: WorkshopSeries) -> list[Enrolment]:
    """Who holds a seat (enrolled or completed), in the order they enrolled."""
    return list(
        session.scalars(
            sa.select(Enrolment)
            .where(
                Enrolment.series_id == series.id,
                Enrolment.status.in_((EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)),
            )
            .order_by(Enrolment.created_at, Enrolment.id)
        )
    )


def _renumber(session: Session, series: WorkshopSeries) -> None:
    waiting = [e for e in waiting_list(session, series) if e.status is EnrolmentStatus.WAITING]
    for position, enrolment in enumerate(waiting, start=1):
        enrolment.waiting_position = position


def offer_freed_seats(
    session: Session,
    series: WorkshopSeries,
    *,
    now: datetime,
    key: bytes,
    offer_for: timedelta = OFFER_FOR,
) -> list[tuple[Enrolment, str]]:
    """Offer every free seat to the next people waiting; flushes.

    Returns each offered enrolment with its link's token, for the message that tells them
    (see :mod:`scheduler.workshops.offers`).
    """
    offered = []
    free = seats_left(session, series)
    waiting = [e for e in waiting_list(session, series) if e.status is EnrolmentStatus.WAITING]
    for enrolment in waiting[:free]:
        enrolment.status = EnrolmentStatus.OFFERED
        enrolment.waiting_position = None
        enrolment.offered_at = now
        enrolment.offer_expires_at = now + offer_for
        enrolment.updated_at = now
        # The link is derived again with today's key: the message's link always opens,
        # even for a person enrolled before the key changed.
        token = link_token(enrolment, key)
        enrolment.access_token_hash = hash_token(token)
        offered.append((enrolment, token))
        log.info("workshop seat of series %d offered to enrolment %d", series.id, enrolment.id)
    _renumber(session, series)
    session.flush()
    return offered


def expire_offers(
    session: Session, series: WorkshopSeries, *, now: datetime, key: bytes
) -> list[Enrolment]:
    """Offers past their time go back to nobody: the person leaves the list; flushes.

    The seat is then offered to the next person by the caller's next
    :func:`offer_freed_seats`.
    """
    expired = list(
        session.scalars(
            sa.select(Enrolment).where(
                Enrolment.series_id == series.id,
                Enrolment.status == EnrolmentStatus.OFFERED,
                Enrolment.offer_expires_at <= now,
            )
        )
    )
    for enrolment in expired:
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.withdrawn_at = now
        enrolment.updated_at = now
        log.info("workshop offer to enrolment %d expired", enrolment.id)
    session.flush()
    return expired


def accept_offer(session: Session, enrolment: Enrolment, *, now: datetime) -> None:
    """The person takes the seat offered to them (before it expires); flushes."""
    if enrolment.status is not EnrolmentStatus.OFFERED:
        raise WorkshopError("no_offer")
    if enrolment.offer_expires_at is not None and enrolment.offer_expires_at <= now:
        raise WorkshopError("offer_expired")
    enrolment.status = EnrolmentStatus.ENROLLED
    enrolment.updated_at = now
    session.flush()
    log.info("workshop offer taken by enrolment %d", enrolment.id)


def withdraw(
    session: Session,
    enrolment: Enrolment,
    *,
    now: datetime,
    key: bytes,
    offer_for: timedelta = OFFER_FOR,
) -> list[tuple[Enrolment, str]]:
    """The person leaves the series or its list (or declines an offer); a seat it held is
    offered to the next person. Returns the offers made; flushes."""
    if enrolment.status not in ACTIVE:
        raise WorkshopError("not_active")
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.waiting_position = None
    enrolment.withdrawn_at = now
    enrolment.updated_at = now
    session.flush()
    log.info("enrolment %d withdrawn", enrolment.id)
    series = enrolment.series
    if series is None:
        return []
    _renumber(session, series)
    return offer_freed_seats(session, series, now=now, key=key, offer_for=offer_for)


def sweep_offers(
    session: Session,
    series: WorkshopSeries,
    *,
    now: datetime,
    key: bytes,
    offer_for: timedelta = OFFER_FOR,
) -> list[tuple[Enrolment, str]]:
    """Expire the offers past their time and offer the seats again, to the next people."""
    expire_offers(session, series, now=now, key=key)
    return offer_freed_seats(session, series, now=now, key=key, offer_for=offer_for)
