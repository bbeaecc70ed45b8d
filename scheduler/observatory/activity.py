"""Delivered activity: volunteers' hours and km, and drop-in attendance against capacity.

Hours and km come from the appointments (what was published and not cancelled) and from
the published plans' day totals, which include the way home. Visit reports, where
volunteers filed them, replace the planned figures appointment by appointment
(:func:`reported_activity`).
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

from .rows import zone_of
from .scope import Scope


@dataclass(frozen=True, slots=True)
class Duty:
    """One appointment a volunteer holds: a visit, a call or a drop-in shift."""

    id: int
    volunteer_id: int
    kind: Mode
    day: date
    minutes: int
    travel_min: int
    travel_km: float


@dataclass(frozen=True, slots=True)
class Reported:
    """What a volunteer reported after an appointment: minutes spent, km driven."""

    minutes: int | None
    km: float | None


def reported_activity(session: Session, appointment_ids: list[int]) -> dict[int, Reported]:
    """Reported minutes and km by appointment id, from the volunteers' visit reports.

    A visit reported done counts the minutes the volunteer spent and the km they drove
    (each where they gave it); a no-show counts no minutes helping, and the km driven
    all the same. Appointments with no report keep their planned figures.
    """
    found: dict[int, Reported] = {}
    for start in range(0, len(appointment_ids), 500):  # stay under SQL parameter limits
        chunk = appointment_ids[start : start + 500]
        rows = session.execute(
            sa.select(
                VisitReport.appointment_id,
                VisitReport.outcome,
                VisitReport.minutes_spent,
                VisitReport.km_driven,
            ).where(VisitReport.appointment_id.in_(chunk))
        )
        for appointment_id, outcome, minutes, km in rows:
            spent = 0 if outcome == NO_SHOW else minutes
            found[appointment_id] = Reported(minutes=spent, km=km)
    return found


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


def load_duties(
    session: Session,
    organisation: Organisation,
    scope: Scope,
    *,
    volunteer_id: int | None = None,
) -> list[Duty]:
    """Volunteers' appointments in the period, cancelled ones left out."""
    zone = zone_of(organisation)
    starts, ends = scope.bounds(zone)
    query = sa.select(
        Appointment.id,
        Appointment.volunteer_id,
        Appointment.kind,
        Appointment.starts_at,
        Appointment.ends_at,
        Appointment.travel_min_before,
        Appointment.travel_km_before,
    ).where(
        Appointment.organisation_id == organisation.id,
        Appointment.volunteer_id.is_not(None),
        Appointment.status != AppointmentStatus.CANCELLED,
        Appointment.starts_at >= starts,
        Appointment.starts_at < ends,
    )
    if volunteer_id is not None:
        query = query.where(Appointment.volunteer_id == volunteer_id)
    return [
        Duty(
            id=a.id,
            volunteer_id=a.volunteer_id,
            kind=a.kind,
            day=a.starts_at.astimezone(zone).date(),
            minutes=int((a.ends_at - a.starts_at).total_seconds() // 60),
            travel_min=a.travel_min_before or 0,
            travel_km=a.travel_km_before or 0.0,
        )
        for a in session.execute(query.order_by(Appointment.starts_at, Appointment.id))
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
    duties: list[Duty],
    days: dict[tuple[int, date], tuple[float, int]],
    reported: dict[int, Reported],
) -> list[VolunteerHours]:
    """Per volunteer: appointments by kind, minutes helping, minutes and km on the road.

    Travel is the plan's day total when the day was planned, else the sum of the trips
    before each appointment; a day with a reported km figure uses what was reported.
    """
    by_day: dict[tuple[int, date], list[Duty]] = defaultdict(list)
    for duty in duties:
        by_day[(duty.volunteer_id, duty.day)].append(duty)
    hours: dict[int, VolunteerHours] = {}
    for (volunteer_id, day), day_duties in sorted(by_day.items()):
        line = hours.setdefault(volunteer_id, VolunteerHours(volunteer_id))
        any_reported_km = False
        for duty in day_duties:
            report = reported.get(duty.id)
            if duty.kind is Mode.HOME:
                line.visits += 1
            elif duty.kind is Mode.PHONE:
                line.calls += 1
            else:
                line.dropin_shifts += 1
            if report is not None:
                line.reported += 1
                any_reported_km = any_reported_km or report.km is not None
            minutes = report.minutes if report and report.minutes is not None else duty.minutes
            line.help_min += minutes
        planned = days.get((volunteer_id, day))
        if any_reported_km:
            for duty in day_duties:
                report = reported.get(duty.id)
                km = report.km if report and report.km is not None else duty.travel_km
                line.km = round(line.km + km, 1)
                line.travel_min += duty.travel_min
        elif planned is not None:
            line.km = round(line.km + planned[0], 1)
            line.travel_min += planned[1]
        else:
            line.km = round(line.km + sum(d.travel_km for d in day_duties), 1)
            line.travel_min += sum(d.travel_min for d in day_duties)
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
