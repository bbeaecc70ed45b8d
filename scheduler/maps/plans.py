"""The maps of a stored plan: one per day for the whole team, one per volunteer-day."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import HelpRequest
from ..models import Organisation
from ..models import Plan
from .days import Day
from .days import days_from_plan
from .drawing import Drawing
from .drawing import draw
from .layout import RouteMap
from .layout import map_data
from .layout import route_map


@dataclass(frozen=True)
class DayMap:
    """A map ready for a page: the drawing for the SVG, the data for the live map."""

    day: date
    route_map: RouteMap
    drawing: Drawing
    data: dict[str, Any]


@dataclass
class PlanMaps:
    #: One map per day with routes: every volunteer of that day, and the left-out homes.
    days: list[DayMap] = field(default_factory=list)
    #: (volunteer id, day) → the map of that volunteer's day alone.
    volunteer_days: dict[tuple[int, date], DayMap] = field(default_factory=dict)

    def of(self, volunteer_id: int, day: date) -> DayMap | None:
        return self.volunteer_days.get((volunteer_id, day))


def day_map(
    organisation: Organisation,
    days: list[Day],
    *,
    left_out: list[HelpRequest] | None = None,
    colours: list[int] | None = None,
) -> DayMap:
    """The map of some volunteer-days that share a date."""
    built = route_map(organisation, days, left_out=left_out or [], colours=colours)
    return DayMap(days[0].day if days else date.min, built, draw(built), map_data(built))


def plan_maps(session: Session, organisation: Organisation, plan: Plan) -> PlanMaps:
    """Every map of the plan page, volunteers keeping one colour all week."""
    zone = ZoneInfo(organisation.timezone)
    days = days_from_plan(session, plan, zone)
    colours = list(dict.fromkeys(d.volunteer.id for d in days))
    ids = [u.request_id for u in plan.unassigned if u.request_id is not None]
    left_out = [r for r in (session.get(HelpRequest, i) for i in ids) if r is not None]
    maps = PlanMaps()
    for day in sorted({d.day for d in days}):
        same_day = [d for d in days if d.day == day]
        maps.days.append(day_map(organisation, same_day, left_out=left_out, colours=colours))
    for d in days:
        maps.volunteer_days[(d.volunteer.id, d.day)] = day_map(organisation, [d], colours=colours)
    return maps
