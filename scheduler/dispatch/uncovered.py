"""The visits a volunteer's week of time slots no longer holds: what removing a slot takes
away from them, and needs someone else.

The volunteer's own page (before they save a new week) and the dispatcher's plan (once it
is saved) count them with this one function, so that both say the same visits: outside
every slot, and not placed by hand outside the slots and still agreed so (see
:class:`~scheduler.dispatch.hand_placed.PlacedOutside`), in whichever week they fall.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from typing import Protocol
from typing import TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..core.weekly import covers
from ..models import Appointment
from ..models import AppointmentStatus
from ..models import Volunteer
from .hand_placed import hand_placed_outside
from .weeks import monday_of


class Stop(Protocol):
    """A published visit or an appointment: whom it is for, and when."""

    @property
    def request_id(self) -> int | None: ...

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...


S = TypeVar("S", bound=Stop)


def no_longer_held(
    session: Session,
    volunteer: Volunteer,
    slots: Iterable[tuple[int, time, time]],
    stops: Sequence[S],
    zone: ZoneInfo,
) -> tuple[list[S], list[S]]:
    """``(taken away, agreed outside)``: the stops of ``volunteer`` that the weekly
    ``slots`` do not hold, those placed by hand outside the slots and still agreed so
    apart."""
    week = list(slots)
    placed = hand_placed_outside(session, volunteer.organisation_id, volunteer_id=volunteer.id)
    taken: list[S] = []
    outside: list[S] = []
    for stop in stops:
        if covers(week, stop.starts_at.astimezone(zone), stop.ends_at.astimezone(zone)):
            continue
        agreed = placed.get((stop.request_id, volunteer.id, stop.starts_at))
        (outside if agreed is not None and agreed.still_agreed(week, zone) else taken).append(stop)
    return taken, outside


@dataclass(frozen=True, slots=True)
class WeekTaken:
    """The visits of one week (its Monday) that a new week of slots takes away."""

    monday: date
    visits: list[Appointment]


def taken_away(
    session: Session, volunteer: Volunteer, slots: Iterable[tuple[int, time, time]], now: datetime
) -> list[WeekTaken]:
    """The volunteer's coming appointments (scheduled or confirmed) that the weekly
    ``slots`` would no longer hold, by week, as the dispatcher's plan of each week will
    count them once the slots are saved."""
    zone = ZoneInfo(volunteer.organisation.timezone)
    coming = session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.volunteer_id == volunteer.id,
            Appointment.status.in_((AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)),
            Appointment.starts_at >= now,
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    taken, _outside = no_longer_held(session, volunteer, slots, coming, zone)
    weeks: dict[date, list[Appointment]] = {}
    for appointment in taken:
        monday = monday_of(appointment.starts_at.astimezone(zone).date())
        weeks.setdefault(monday, []).append(appointment)
    return [WeekTaken(monday, visits) for monday, visits in sorted(weeks.items())]
