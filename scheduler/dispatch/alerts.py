"""What happened to a published week since it was published: absences and cancellations.

Read from the data itself (the published plan, volunteers' days off, requests' status),
so a week is flagged as soon as a volunteer enters a day off or a person cancels, and no
longer once a plan that accounts for it is published.

A visit the dispatcher placed by hand outside its volunteer's time slots (wholly, or
across the edge of one), confirming it despite the rule, was never inside them. While no
slot that was under it is removed, it is an appointment outside the slots (listed apart),
not a change that flags the week; once one is, it needs someone else like any other
(:mod:`scheduler.dispatch.uncovered`, which the volunteer's own page counts with too).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import HelpRequest
from ..models import Organisation
from ..models import Plan as PlanRow
from ..models import PlannedVisit
from ..models import PlanStatus
from ..models import RequestStatus
from ..models import Volunteer
from ..organisation.organisations import local_today
from .hand_placed import slots_of
from .uncovered import no_longer_held
from .weeks import monday_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AbsenceAlert:
    """A volunteer away on a day where the published plan sends them somewhere."""

    volunteer: Volunteer
    day: date
    visits: int


@dataclass(frozen=True, slots=True)
class CancelAlert:
    """A published visit whose request was cancelled: its slot is free."""

    request: HelpRequest
    volunteer: Volunteer | None
    starts: datetime


@dataclass(frozen=True, slots=True)
class OutsideNote:
    """A published visit placed by hand outside its volunteer's time slots."""

    volunteer: Volunteer
    request: HelpRequest | None
    starts: datetime


@dataclass(frozen=True)
class WeekAlerts:
    absences: list[AbsenceAlert]
    cancellations: list[CancelAlert]
    #: Days where the volunteer's week no longer covers published visits (their time slots
    #: were removed or changed since): like a day off, those visits need someone else.
    unavailable: list[AbsenceAlert] = field(default_factory=list)
    #: Published visits placed by hand outside their volunteer's time slots: agreed so,
    #: they need no one else and do not flag the week.
    outside: list[OutsideNote] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.absences or self.cancellations or self.unavailable)

    @property
    def affected(self) -> int:
        """Published visits that must be given to someone else."""
        return sum(a.visits for a in (*self.absences, *self.unavailable))


def week_alerts(session: Session, published: PlanRow | None, zone: ZoneInfo) -> WeekAlerts:
    """The published plan's visits that no longer hold (see the module's docstring)."""
    if published is None:
        return WeekAlerts([], [])
    absent: dict[tuple[int, date], int] = {}
    uncovered: dict[tuple[int, date], int] = {}
    volunteers: dict[int, Volunteer] = {}
    cancelled: list[CancelAlert] = []
    outside: list[OutsideNote] = []
    rows = list(published.visits)
    ids = {r.request_id for r in rows if r.request_id is not None}
    requests = (
        {r.id: r for r in session.scalars(sa.select(HelpRequest).where(HelpRequest.id.in_(ids)))}
        if ids
        else {}
    )
    present: dict[int, list[PlannedVisit]] = {}
    for row in rows:
        day = row.starts_at.astimezone(zone).date()
        volunteer = session.get(Volunteer, row.volunteer_id) if row.volunteer_id else None
        if volunteer is not None and volunteer.is_absent_on(day):
            volunteers[volunteer.id] = volunteer
            absent[(volunteer.id, day)] = absent.get((volunteer.id, day), 0) + 1
        elif volunteer is not None:
            volunteers[volunteer.id] = volunteer
            present.setdefault(volunteer.id, []).append(row)
        request = requests.get(row.request_id) if row.request_id else None
        if request is not None and request.status is RequestStatus.CANCELLED:
            cancelled.append(CancelAlert(request, volunteer, row.starts_at.astimezone(zone)))
    for volunteer_id, stops in present.items():
        volunteer = volunteers[volunteer_id]
        # The volunteer's page counts what removing a slot takes away the same way.
        taken, agreed = no_longer_held(session, volunteer, slots_of(volunteer), stops, zone)
        for row in taken:
            day = row.starts_at.astimezone(zone).date()
            uncovered[(volunteer_id, day)] = uncovered.get((volunteer_id, day), 0) + 1
        for row in agreed:
            request = requests.get(row.request_id) if row.request_id else None
            outside.append(OutsideNote(volunteer, request, row.starts_at.astimezone(zone)))
    absences = [
        AbsenceAlert(volunteers[vid], day, count) for (vid, day), count in sorted(absent.items())
    ]
    unavailable = [
        AbsenceAlert(volunteers[vid], day, count) for (vid, day), count in sorted(uncovered.items())
    ]
    cancellations = sorted(cancelled, key=lambda c: c.starts)
    outside.sort(key=lambda note: note.starts)
    return WeekAlerts(absences, cancellations, unavailable, outside)


def flagged_weeks(session: Session, organisation: Organisation, now: datetime) -> list[date]:
    """Mondays of this week and later whose published plan has an alert."""
    zone = ZoneInfo(organisation.timezone)
    this_week = monday_of(local_today(organisation, now))
    plans = session.scalars(
        sa.select(PlanRow)
        .where(
            PlanRow.organisation_id == organisation.id,
            PlanRow.status == PlanStatus.PUBLISHED,
            PlanRow.week_start >= this_week,
        )
        .order_by(PlanRow.week_start)
    )
    return [p.week_start for p in plans if week_alerts(session, p, zone)]
