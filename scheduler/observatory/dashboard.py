"""Everything the dashboard shows for one scope, gathered in one call."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date

from sqlalchemy.orm import Session

from scheduler.models import Organisation

from . import activity
from . import counts
from . import figures
from .rows import Place
from .rows import territory
from .scope import Scope
from .workshops import WorkshopRow
from .workshops import workshop_rows


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
    total: figures.Tally
    by_municipality: list[figures.Tally]
    by_language: list[figures.Tally]
    by_mode: list[figures.Tally]
    by_need: list[figures.Tally]
    #: Referrals by the partner organisation that sent them (empty without partners).
    by_partner: list[figures.Tally]
    reasons: list[figures.ReasonCount]
    waiting: figures.Waiting
    waiting_weeks: list[figures.Waiting]
    hours: list[activity.VolunteerHours]
    hours_total: activity.VolunteerHours
    attendance: list[activity.Attendance]
    demand: list[PlaceDemand]
    #: Whether any visit report counts: otherwise hours are the planned ones.
    reports_available: bool
    #: Workshop series with a session in the period: attendance against capacity.
    workshops: list[WorkshopRow] = field(default_factory=list)

    @property
    def population_sources(self) -> list[str]:
        """The distinct sources of the populations the map divides by, in the order of the
        municipalities: the data's attribution, printed beside the map."""
        seen: dict[str, None] = {}
        for d in self.demand:
            if d.place.population and d.place.population_source:
                seen.setdefault(d.place.population_source, None)
        return list(seen)


def build_dashboard(
    session: Session, organisation: Organisation, scope: Scope, *, today: date
) -> Dashboard:
    """The figures of ``scope``; hours and km cover the whole organisation's period (a
    site or a municipality does not narrow them: a volunteer's day crosses both)."""
    found = counts.groups(session, organisation, scope)
    waits = counts.waits(session, organisation, scope)
    whole_period = Scope(scope.first, scope.last)
    work = activity.load_work(session, organisation, whole_period)
    hours = activity.volunteer_hours(work, activity.plan_days(session, organisation, whole_period))
    return Dashboard(
        scope=scope,
        total=counts.total(found),
        by_municipality=counts.tallies(found, "municipality"),
        by_language=counts.tallies(found, "language"),
        by_mode=counts.tallies(found, "mode"),
        by_need=counts.tallies(found, "need"),
        by_partner=counts.by_partner(session, organisation, scope),
        reasons=counts.left_out_reasons(session, organisation, scope),
        waiting=figures.waiting_summary(None, [days for _, days in waits]),
        waiting_weeks=figures.waiting_weeks(waits, scope.first, scope.last),
        hours=hours,
        hours_total=activity.hours_total(hours),
        attendance=activity.dropin_attendance(session, organisation, scope, today),
        demand=demand_by_place(territory(session, organisation), found),
        reports_available=any(w.reported for w in work),
        workshops=workshop_rows(session, organisation, scope),
    )


def demand_by_place(places: list[Place], found: list[counts.Group]) -> list[PlaceDemand]:
    """Every municipality of the territory, even those that asked nothing (a blank on the
    map is a figure too)."""
    received: dict[int, int] = {}
    unmet: dict[int, int] = {}
    for g in found:
        received[g.municipality_id] = received.get(g.municipality_id, 0) + g.requests
        if g.outcome in ("left_out", "waiting"):
            unmet[g.municipality_id] = unmet.get(g.municipality_id, 0) + g.requests
    return [
        PlaceDemand(
            place,
            received.get(place.id, 0),
            unmet.get(place.id, 0),
            figures.unmet_per_thousand(unmet.get(place.id, 0), place.population),
        )
        for place in places
    ]
