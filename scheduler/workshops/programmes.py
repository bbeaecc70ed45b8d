"""Programmes and their series: creating them, publishing them, and which are coming.

A series is drafted with its dated sessions and one or two leaders per session; once
published it is seen by the public, enrols people and appears in the calendar feeds.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Programme
from scheduler.models import SeriesStatus
from scheduler.models import Site
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.models import WorkshopSeries
from scheduler.models import WorkshopSession

from .errors import WorkshopError

log = logging.getLogger(__name__)

#: Seats are held by these; the others (waiting, offered, withdrawn) hold none, except an
#: offer, which keeps its seat until it is taken or expires.
SEATED = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
HOLDING = (*SEATED, EnrolmentStatus.OFFERED)
#: How far a series may be from the person's municipality and still be "near" them.
NEAR_KM = 35.0
MAX_LEADERS = 2


@dataclass(frozen=True)
class SessionPlan:
    """One session to create: when, and who leads it (one or two volunteers)."""

    starts_at: datetime
    ends_at: datetime
    leader_ids: Sequence[int]


def create_programme(
    session: Session,
    org: Organisation,
    *,
    title: str,
    sessions_count: int,
    capacity: int,
    audience: str = "",
    description: str | None = None,
    session_topics: Sequence[str] = (),
    laptops_per_session: int = 0,
    completion_share: float = 0.75,
    gives_device: bool = False,
) -> Programme:
    """A new programme; flushes."""
    if not title.strip():
        raise WorkshopError("title_missing")
    if sessions_count < 1 or sessions_count > 52:
        raise WorkshopError("sessions_count")
    if capacity < 1 or capacity > 500:
        raise WorkshopError("capacity")
    if laptops_per_session < 0 or laptops_per_session > 500:
        raise WorkshopError("laptops")
    if not 0 < completion_share <= 1:
        raise WorkshopError("completion_share")
    topics = [t.strip() for t in session_topics if t.strip()][:sessions_count]
    programme = Programme(
        organisation_id=org.id,
        title=title.strip(),
        audience=audience.strip(),
        description=(description or "").strip() or None,
        sessions_count=sessions_count,
        session_topics=topics,
        capacity=capacity,
        laptops_per_session=laptops_per_session,
        completion_share=completion_share,
        gives_device=gives_device,
    )
    session.add(programme)
    session.flush()
    log.info("programme %d created: %d sessions, %d seats", programme.id, sessions_count, capacity)
    return programme


def create_series(
    session: Session,
    programme: Programme,
    *,
    sessions: Sequence[SessionPlan],
    created_by: User | None,
    now: datetime,
    site: Site | None = None,
    municipality: Municipality | None = None,
    hall_name: str | None = None,
    hall_address: str | None = None,
    status: SeriesStatus = SeriesStatus.DRAFT,
) -> WorkshopSeries:
    """A series of ``programme`` at a site, or at a hall of a municipality; flushes.

    Sessions are numbered in time order; each has one or two leaders of the organisation.
    """
    org_id = programme.organisation_id
    if site is None and municipality is None:
        raise WorkshopError("place_missing")
    if site is not None and site.organisation_id != org_id:
        raise WorkshopError("place_missing")
    if municipality is not None and municipality.organisation_id != org_id:
        raise WorkshopError("place_missing")
    if len(sessions) != programme.sessions_count:
        raise WorkshopError("sessions_count")
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    for plan in ordered:
        if plan.ends_at <= plan.starts_at:
            raise WorkshopError("session_order")
        if not 1 <= len(set(plan.leader_ids)) <= MAX_LEADERS:
            raise WorkshopError("leaders")
    leader_ids = {i for plan in ordered for i in plan.leader_ids}
    leaders = {
        v.id: v
        for v in session.scalars(
            sa.select(Volunteer).where(
                Volunteer.id.in_(leader_ids), Volunteer.organisation_id == org_id
            )
        )
    }
    if set(leaders) != leader_ids:
        raise WorkshopError("leaders")
    series = WorkshopSeries(
        organisation_id=org_id,
        programme=programme,
        site=site,
        municipality=municipality or (site.municipality if site is not None else None),
        hall_name=(hall_name or "").strip() or None,
        hall_address=(hall_address or "").strip() or None,
        status=status,
        created_by=created_by,
        created_at=now,
    )
    for number, plan in enumerate(ordered, start=1):
        series.sessions.append(
            WorkshopSession(
                number=number,
                starts_at=plan.starts_at,
                ends_at=plan.ends_at,
                laptops_needed=programme.laptops_per_session,
                leaders=[leaders[i] for i in dict.fromkeys(plan.leader_ids)],
            )
        )
    session.add(series)
    session.flush()
    log.info("workshop series %d drafted: %d sessions", series.id, len(ordered))
    return series


def publish_series(session: Session, series: WorkshopSeries, *, now: datetime) -> None:
    """Open the series to the public and to the feeds; flushes."""
    if series.status not in (SeriesStatus.DRAFT, SeriesStatus.PROPOSED):
        raise WorkshopError("not_draft")
    series.status = SeriesStatus.PUBLISHED
    series.published_at = now
    session.flush()
    log.info("workshop series %d published", series.id)


def cancel_series(session: Session, series: WorkshopSeries) -> None:
    series.status = SeriesStatus.CANCELLED
    session.flush()
    log.info("workshop series %d cancelled", series.id)


def seats_taken(session: Session, series: WorkshopSeries) -> int:
    return int(
        session.scalar(
            sa.select(sa.func.count(Enrolment.id)).where(
                Enrolment.series_id == series.id, Enrolment.status.in_(HOLDING)
            )
        )
        or 0
    )


def seats_left(session: Session, series: WorkshopSeries) -> int:
    return max(0, series.programme.capacity - seats_taken(session, series))


def first_start(series: WorkshopSeries) -> datetime | None:
    return series.sessions[0].starts_at if series.sessions else None


def coming_series(
    session: Session, org: Organisation, *, now: datetime, started_too: bool = False
) -> list[WorkshopSeries]:
    """Published series whose last session is still to come, soonest first.

    ``started_too`` keeps series already under way (the staff list); the public only
    enrols in series that have not started.
    """
    rows = session.scalars(
        sa.select(WorkshopSeries)
        .where(
            WorkshopSeries.organisation_id == org.id,
            WorkshopSeries.status == SeriesStatus.PUBLISHED,
        )
        .options(selectinload(WorkshopSeries.sessions), selectinload(WorkshopSeries.programme))
    ).all()
    kept = []
    for series in rows:
        if not series.sessions or series.sessions[-1].ends_at < now:
            continue
        if not started_too and series.sessions[0].starts_at < now:
            continue
        kept.append(series)
    return sorted(kept, key=lambda s: (first_start(s) or now, s.id))


def distance_km(a: Municipality, b: Municipality) -> float:
    """Great-circle distance between two municipality centres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True)
class NearSeries:
    series: WorkshopSeries
    km: float
    seats_left: int


def series_near(
    session: Session,
    org: Organisation,
    municipality: Municipality,
    *,
    now: datetime,
    max_km: float = NEAR_KM,
) -> list[NearSeries]:
    """Coming series within ``max_km`` of the person's municipality, nearest first."""
    found = []
    for series in coming_series(session, org, now=now):
        place = series.municipality
        km = 0.0 if place is None else distance_km(municipality, place)
        if km <= max_km:
            found.append(NearSeries(series, round(km, 1), seats_left(session, series)))
    return sorted(found, key=lambda n: (n.km, first_start(n.series) or now))


def series_of(session: Session, org: Organisation, series_id: int) -> WorkshopSeries | None:
    series = session.get(WorkshopSeries, series_id)
    return series if series is not None and series.organisation_id == org.id else None


def programmes_of(session: Session, org: Organisation) -> list[Programme]:
    return list(
        session.scalars(
            sa.select(Programme)
            .where(Programme.organisation_id == org.id)
            .order_by(Programme.active.desc(), Programme.title)
        )
    )


def sessions_led_by(
    session: Session, volunteer: Volunteer, *, since: datetime
) -> list[WorkshopSession]:
    """The volunteer's sessions of published series ending after ``since``, soonest first."""
    from scheduler.models import workshop_session_leader as leader

    return list(
        session.scalars(
            sa.select(WorkshopSession)
            .join(leader, leader.c.session_id == WorkshopSession.id)
            .join(WorkshopSeries, WorkshopSeries.id == WorkshopSession.series_id)
            .where(
                leader.c.volunteer_id == volunteer.id,
                WorkshopSeries.status == SeriesStatus.PUBLISHED,
                WorkshopSession.ends_at >= since,
            )
            .order_by(WorkshopSession.starts_at)
        )
    )
