"""A volunteer's day as maps and route sheets read it: stops in order, with their places.

Two sources give the same shape: a stored plan (draft or published, what the planning
page shows) and the appointments calendars show (what a volunteer is actually sent to).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Protocol
from typing import TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import HelpRequest
from ..models import Mode
from ..models import Organisation
from ..models import Plan
from ..models import Site
from ..models import Volunteer


class _Row(Protocol):
    """What a planned visit and an appointment have in common."""

    kind: Mode
    request_id: int | None
    volunteer_id: int | None
    site_id: int | None
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Stop:
    """One stop of a day, local times, with the trip just before it (0 for a call)."""

    kind: Mode
    starts: datetime
    ends: datetime
    request: HelpRequest | None
    site: Site | None
    travel_min: int
    travel_km: float
    #: The appointment behind the stop, when the day comes from appointments.
    appointment: Appointment | None = None

    @property
    def travels(self) -> bool:
        """A call is made from wherever the volunteer is: no trip, no point on the map."""
        return self.kind is not Mode.PHONE


@dataclass
class Day:
    """One volunteer's stops on one local day, in visiting order."""

    volunteer: Volunteer
    day: date
    stops: list[Stop] = field(default_factory=list)

    @property
    def visits(self) -> list[Stop]:
        return [s for s in self.stops if s.travels]

    @property
    def calls(self) -> list[Stop]:
        return [s for s in self.stops if not s.travels]


def days_from_plan(
    session: Session,
    plan: Plan,
    zone: ZoneInfo,
    *,
    volunteer_id: int | None = None,
    day: date | None = None,
) -> list[Day]:
    """The plan's routes as days, by volunteer's first name then date."""
    rows = [
        v
        for v in plan.visits
        if v.volunteer_id is not None and (volunteer_id is None or v.volunteer_id == volunteer_id)
    ]
    travel = {id(v): (v.travel_min_before, v.travel_km_before) for v in rows}
    return _days(session, rows, zone, day, lambda r: travel[id(r)], lambda r: None)


def days_from_appointments(
    session: Session,
    organisation: Organisation,
    start: datetime,
    end: datetime,
    *,
    volunteer_id: int | None = None,
) -> list[Day]:
    """Appointments (not cancelled) between ``start`` and ``end`` (aware), as days."""
    query = sa.select(Appointment).where(
        Appointment.organisation_id == organisation.id,
        Appointment.volunteer_id.is_not(None),
        Appointment.status != AppointmentStatus.CANCELLED,
        Appointment.starts_at >= start,
        Appointment.starts_at < end,
    )
    if volunteer_id is not None:
        query = query.where(Appointment.volunteer_id == volunteer_id)
    rows = list(session.scalars(query))
    zone = ZoneInfo(organisation.timezone)
    return _days(
        session,
        rows,
        zone,
        None,
        lambda r: (r.travel_min_before or 0, r.travel_km_before or 0.0),
        lambda r: r,
    )


def local_day_bounds(
    organisation: Organisation, first: date, days: int
) -> tuple[datetime, datetime]:
    """Aware instants of local midnight on ``first`` and ``days`` later."""
    zone = ZoneInfo(organisation.timezone)
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(first + timedelta(days=days), datetime.min.time(), zone)
    return start, end


R = TypeVar("R", bound=_Row)


def _days(
    session: Session,
    rows: list[R],
    zone: ZoneInfo,
    only_day: date | None,
    travel: Callable[[R], tuple[int, float]],
    appointment: Callable[[R], Appointment | None],
) -> list[Day]:
    requests = _by_id(session, HelpRequest, (r.request_id for r in rows))
    sites = _by_id(session, Site, (r.site_id for r in rows))
    volunteers = _by_id(session, Volunteer, (r.volunteer_id for r in rows))
    days: dict[tuple[int, date], Day] = {}
    for row in sorted(rows, key=lambda r: (r.volunteer_id or 0, r.starts_at)):
        starts = row.starts_at.astimezone(zone)
        if only_day is not None and starts.date() != only_day:
            continue
        volunteer = volunteers[row.volunteer_id or 0]
        key = (volunteer.id, starts.date())
        if key not in days:
            days[key] = Day(volunteer, starts.date())
        minutes, km = travel(row)
        days[key].stops.append(
            Stop(
                kind=row.kind,
                starts=starts,
                ends=row.ends_at.astimezone(zone),
                request=requests.get(row.request_id or 0),
                site=sites.get(row.site_id or 0),
                travel_min=0 if row.kind is Mode.PHONE else int(minutes or 0),
                travel_km=0.0 if row.kind is Mode.PHONE else float(km or 0.0),
                appointment=appointment(row),
            )
        )
    return sorted(
        days.values(), key=lambda d: (d.volunteer.first_name.casefold(), d.volunteer.id, d.day)
    )


M = TypeVar("M", HelpRequest, Site, Volunteer)


def _by_id(session: Session, model: type[M], ids: Iterable[int | None]) -> dict[int, M]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row for row in session.scalars(sa.select(model).where(model.id.in_(wanted)))}
