"""Delivered activity: volunteers' hours and km, and drop-in attendance against capacity.

Hours and km come from the appointments (what was published and not cancelled) and from
the published plans' day totals, which include the way home. Visit reports, where
volunteers filed them, replace the planned figures appointment by appointment
(:func:`load_work`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import RequestStatus
from scheduler.models import Site
from scheduler.models import VisitReport
from scheduler.models.reports import NO_SHOW

from . import localtime
from .rows import zone_of
from .scope import Scope


@dataclass(frozen=True, slots=True)
class DayWork:
    """A volunteer's appointments of one kind on one local day, added up by the database.

    Minutes helping are the reported ones where a visit report gives them (none for a
    no-show), else the appointment's length.
    """

    volunteer_id: int
    day: date
    kind: Mode
    appointments: int
    help_min: int
    #: Minutes and km on the road before each appointment, as planned.
    travel_min: int
    travel_km: float
    #: The same km, where a visit report gives the km driven in its place.
    reported_km: float
    #: Appointments with a visit report, and whether any of them gives km.
    reported: int
    any_reported_km: bool


@dataclass
class VolunteerHours:
    """One volunteer's delivered work over the period."""

    volunteer_id: int
    visits: int = 0
    calls: int = 0
    dropin_shifts: int = 0
    help_min: int = 0
    travel_min: int = 0
    km: float = 0.0
    reported: int = 0

    @property
    def appointments(self) -> int:
        return self.visits + self.calls + self.dropin_shifts


def load_work(
    session: Session,
    organisation: Organisation,
    scope: Scope,
    *,
    volunteer_id: int | None = None,
) -> list[DayWork]:
    """Volunteers' appointments in the period (cancelled ones left out), with their visit
    reports, grouped by volunteer, local day and kind in one query: a year of an
    association's appointments comes back as a few thousand lines.

    A visit reported done counts the minutes the volunteer spent and the km they drove
    (each where they gave it); a no-show counts no minutes helping, and the km driven all
    the same. Appointments with no report keep their planned figures.
    """
    zone = zone_of(organisation)
    starts, ends = scope.bounds(zone)
    day = localtime.local_day(Appointment.starts_at, zone, starts, ends).label("day")
    seconds = localtime.epoch_seconds(Appointment.ends_at) - localtime.epoch_seconds(
        Appointment.starts_at
    )
    planned_min = seconds // 60
    help_min = sa.case(
        (VisitReport.outcome == NO_SHOW, 0),
        (VisitReport.minutes_spent.is_not(None), VisitReport.minutes_spent),
        else_=planned_min,
    )
    planned_km = sa.func.coalesce(Appointment.travel_km_before, 0.0)
    query = (
        sa.select(
            Appointment.volunteer_id,
            day,
            Appointment.kind,
            sa.func.count(Appointment.id),
            sa.func.sum(help_min),
            sa.func.sum(sa.func.coalesce(Appointment.travel_min_before, 0)),
            sa.func.sum(planned_km),
            sa.func.sum(sa.func.coalesce(VisitReport.km_driven, planned_km)),
            sa.func.count(VisitReport.id),
            sa.func.count(VisitReport.km_driven),
        )
        .outerjoin(VisitReport, VisitReport.appointment_id == Appointment.id)
        .where(
            Appointment.organisation_id == organisation.id,
            Appointment.volunteer_id.is_not(None),
            Appointment.status != AppointmentStatus.CANCELLED,
            Appointment.starts_at >= starts,
            Appointment.starts_at < ends,
        )
        .group_by(Appointment.volunteer_id, day, Appointment.kind)
    )
    if volunteer_id is not None:
        query = query.where(Appointment.volunteer_id == volunteer_id)
    return [
        DayWork(
            volunteer_id=volunteer,
            day=localtime.to_date(number),
            kind=Mode(getattr(kind, "value", kind)),
            appointments=count,
            help_min=int(minutes or 0),
            travel_min=int(travel_min or 0),
            travel_km=float(km or 0.0),
            reported_km=float(km_reported or 0.0),
            reported=reported,
            any_reported_km=bool(with_km),
        )
        for (
            volunteer,
            number,
            kind,
            count,
            minutes,
            travel_min,
            km,
            km_reported,
            reported,
            with_km,
        ) in session.execute(query)
    ]


def plan_days(
    session: Session, organisation: Organisation, scope: Scope
) -> dict[tuple[int, date], tuple[float, int]]:
    """(volunteer id, local day) → (km, minutes on the road, way home included), from the
    published plans of the weeks the period touches."""
    first_monday = scope.first - timedelta(days=scope.first.weekday())
    found: dict[tuple[int, date], tuple[float, int]] = {}
    for stats in session.scalars(
        sa.select(Plan.stats).where(
            Plan.organisation_id == organisation.id,
            Plan.status == PlanStatus.PUBLISHED,
            Plan.week_start >= first_monday,
            Plan.week_start <= scope.last,
        )
    ):
        for key, totals in ((stats or {}).get("days") or {}).items():
            volunteer, _, day_text = str(key).partition("/")
            try:
                day = date.fromisoformat(day_text)
                ident = int(volunteer)
            except ValueError:
                continue
            if scope.first <= day <= scope.last:
                found[(ident, day)] = (
                    float(totals.get("km", 0.0)),
                    int(totals.get("road_min", 0)),
                )
    return found


def volunteer_hours(
    work: list[DayWork], days: dict[tuple[int, date], tuple[float, int]]
) -> list[VolunteerHours]:
    """Per volunteer: appointments by kind, minutes helping, minutes and km on the road.

    Travel is the plan's day total when the day was planned, else the sum of the trips
    before each appointment; a day with a reported km figure uses what was reported.
    """
    by_day: dict[tuple[int, date], list[DayWork]] = defaultdict(list)
    for part in work:
        by_day[(part.volunteer_id, part.day)].append(part)
    hours: dict[int, VolunteerHours] = {}
    for (volunteer_id, day), parts in sorted(by_day.items()):
        line = hours.setdefault(volunteer_id, VolunteerHours(volunteer_id))
        for part in parts:
            if part.kind is Mode.HOME:
                line.visits += part.appointments
            elif part.kind is Mode.PHONE:
                line.calls += part.appointments
            else:
                line.dropin_shifts += part.appointments
            line.reported += part.reported
            line.help_min += part.help_min
        planned = days.get((volunteer_id, day))
        if any(p.any_reported_km for p in parts):
            line.km = round(line.km + sum(p.reported_km for p in parts), 1)
            line.travel_min += sum(p.travel_min for p in parts)
        elif planned is not None:
            line.km = round(line.km + planned[0], 1)
            line.travel_min += planned[1]
        else:
            line.km = round(line.km + sum(p.travel_km for p in parts), 1)
            line.travel_min += sum(p.travel_min for p in parts)
    return sorted(hours.values(), key=lambda h: (-h.help_min - h.travel_min, h.volunteer_id))


def hours_total(lines: list[VolunteerHours]) -> VolunteerHours:
    total = VolunteerHours(0)
    for line in lines:
        total.visits += line.visits
        total.calls += line.calls
        total.dropin_shifts += line.dropin_shifts
        total.help_min += line.help_min
        total.travel_min += line.travel_min
        total.km = round(total.km + line.km, 1)
        total.reported += line.reported
    return total


@dataclass(frozen=True, slots=True)
class Attendance:
    """A site's drop-in sessions held in the period: places offered, booked, attended."""

    site_id: int
    site: str
    sessions: int
    capacity: int
    booked: int
    attended: int
    no_show: int


def dropin_attendance(
    session: Session, organisation: Organisation, scope: Scope, today: date
) -> list[Attendance]:
    """Sessions held from the period's first day to today at the latest.

    A session offers ``visitors_per_hour`` × its hours places (its workstations when no
    rate is set). A booking counts as attended once its appointment or its request is
    done, as a no-show once either says so.
    """
    last = min(scope.last, today)
    zone = zone_of(organisation)
    query = sa.select(Site).where(Site.organisation_id == organisation.id).order_by(Site.name)
    if scope.site_id is not None:
        query = query.where(Site.id == scope.site_id)
    lines = []
    for site in session.scalars(query):
        sessions = capacity = 0
        for opening in site.openings:
            length = datetime.combine(date.min, opening.ends) - datetime.combine(
                date.min, opening.starts
            )
            hours = length.total_seconds() / 3600
            places = (
                int(opening.visitors_per_hour * hours)
                if opening.visitors_per_hour
                else site.workstations
            )
            held = _count_weekday(scope.first, last, opening.weekday)
            sessions += held
            capacity += held * places
        booked = attended = no_show = 0
        if last >= scope.first:
            starts, _ = scope.bounds(zone)
            _, ends = Scope(scope.first, last).bounds(zone)
            for appointment_status, request_status in session.execute(
                sa.select(Appointment.status, HelpRequest.status)
                .join(HelpRequest, HelpRequest.id == Appointment.request_id)
                .where(
                    Appointment.organisation_id == organisation.id,
                    Appointment.site_id == site.id,
                    Appointment.kind == Mode.DROPIN,
                    Appointment.status != AppointmentStatus.CANCELLED,
                    Appointment.starts_at >= starts,
                    Appointment.starts_at < ends,
                )
            ):
                booked += 1
                if (
                    appointment_status is AppointmentStatus.DONE
                    or request_status is RequestStatus.DONE
                ):
                    attended += 1
                elif appointment_status is AppointmentStatus.NO_SHOW or (
                    request_status is RequestStatus.NO_SHOW
                ):
                    no_show += 1
        lines.append(Attendance(site.id, site.name, sessions, capacity, booked, attended, no_show))
    return lines


def _count_weekday(first: date, last: date, weekday: int) -> int:
    if last < first:
        return 0
    offset = (weekday - first.weekday()) % 7
    start = first + timedelta(days=offset)
    if start > last:
        return 0
    return (last - start).days // 7 + 1
