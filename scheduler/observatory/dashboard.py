"""Everything the dashboard shows for one scope, gathered in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from scheduler.models import Organisation

from . import activity
from . import figures
from .rows import Place
from .rows import RequestRow
from .rows import load_requests
from .rows import territory
from .scope import Scope


@dataclass(frozen=True, slots=True)
class PlaceDemand:
    """A municipality on the map: requests, those not met, and per 1,000 inhabitants."""

    place: Place
    received: int
    unmet: int
    per_thousand: float | None


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    rows: list[RequestRow]
    total: figures.Tally
    by_municipality: list[figures.Tally]
    by_language: list[figures.Tally]
    by_mode: list[figures.Tally]
    by_need: list[figures.Tally]
    reasons: list[figures.ReasonCount]
    waiting: figures.Waiting
    waiting_weeks: list[figures.Waiting]
    hours: list[activity.VolunteerHours]
    hours_total: activity.VolunteerHours
    attendance: list[activity.Attendance]
    demand: list[PlaceDemand]
    #: False while visit reports are not stored: hours are the planned ones.
    reports_available: bool


def build_dashboard(
    session: Session, organisation: Organisation, scope: Scope, *, today: date
) -> Dashboard:
    """The figures of ``scope``; hours and km cover the whole organisation's period (a
    site or a municipality does not narrow them: a volunteer's day crosses both)."""
    rows = load_requests(session, organisation, scope)
    whole_period = Scope(scope.first, scope.last)
    duties = activity.load_duties(session, organisation, whole_period)
    reported = activity.reported_activity(session, [d.id for d in duties])
    hours = activity.volunteer_hours(
        duties, activity.plan_days(session, organisation, whole_period), reported
    )
    return Dashboard(
        scope=scope,
        rows=rows,
        total=figures.total(rows),
        by_municipality=figures.by_municipality(rows),
        by_language=figures.by_language(rows),
        by_mode=figures.by_mode(rows),
        by_need=figures.by_need(rows),
        reasons=figures.ranked_reasons(rows),
        waiting=figures.waiting_overall(rows),
        waiting_weeks=figures.waiting_by_week(rows, scope.first, scope.last),
        hours=hours,
        hours_total=activity.hours_total(hours),
        attendance=activity.dropin_attendance(session, organisation, scope, today),
        demand=demand_by_place(territory(session, organisation), rows),
        reports_available=False,
    )


def demand_by_place(places: list[Place], rows: list[RequestRow]) -> list[PlaceDemand]:
    """Every municipality of the territory, even those that asked nothing (a blank on the
    map is a figure too)."""
    received: dict[int, int] = {}
    unmet: dict[int, int] = {}
    for row in rows:
        received[row.municipality_id] = received.get(row.municipality_id, 0) + 1
        if figures.outcome(row) in ("left_out", "waiting"):
            unmet[row.municipality_id] = unmet.get(row.municipality_id, 0) + 1
    return [
        PlaceDemand(
            place,
            received.get(place.id, 0),
            unmet.get(place.id, 0),
            figures.unmet_per_thousand(unmet.get(place.id, 0), place.population),
        )
        for place in places
    ]
