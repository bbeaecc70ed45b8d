"""A stored plan arranged as the dispatcher reads it: per volunteer, per day, in order.

Plain data for the plan page; words (reasons, modes, dates) are added by the interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import HelpRequest
from ..models import Mode
from ..models import Organisation
from ..models import Plan as PlanRow
from ..models import PlanStatus
from ..models import Site
from ..models import Volunteer
from ..organisation.organisations import local_today
from .store import published_plan
from .weeks import monday_of


@dataclass(frozen=True, slots=True)
class StopLine:
    """One stop: local times, who and where, and the trip just before it."""

    starts: datetime
    ends: datetime
    mode: Mode
    first_name: str
    place: str
    reference: str | None
    request_id: int | None
    travel_min: int
    travel_km: float
    pinned: bool
    #: Street address (home visits) and phone number, for staff who call people from the page.
    address: str | None = None
    phone: str | None = None
    #: The stored stop, for the links that change or lock it.
    stop_id: int | None = None


@dataclass
class VolunteerDay:
    """One volunteer's day in the plan."""

    volunteer: Volunteer
    day: date
    stops: list[StopLine] = field(default_factory=list)

    #: The whole day's km and minutes on the road, the way home included, when known.
    totals: dict[str, float] = field(default_factory=dict)

    @property
    def km(self) -> float:
        if "km" in self.totals:
            return float(self.totals["km"])
        return round(sum(s.travel_km for s in self.stops), 1)

    @property
    def road_min(self) -> int:
        if "road_min" in self.totals:
            return int(self.totals["road_min"])
        return sum(s.travel_min for s in self.stops)


@dataclass(frozen=True, slots=True)
class LeftOutLine:
    """A request (or a drop-in's empty seats) the plan could not place, and why."""

    reason: str
    detail: dict[str, Any]
    request: HelpRequest | None
    site: Site | None
    starts: datetime | None


@dataclass(frozen=True)
class WeekView:
    """Everything the planning page shows about one week."""

    monday: date
    #: The week's draft if there is one, else its published plan.
    plan: PlanRow | None
    published: PlanRow | None
    days: list[VolunteerDay]
    left_out: list[LeftOutLine]
    visitors: list[StopLine]
    #: Volunteer id → first name, for reasons that name the cycle's volunteer.
    names: dict[int, str]


def week_view(session: Session, organisation: Organisation, monday: date) -> WeekView:
    """The plans of the week starting on ``monday``, arranged for the planning page."""
    zone = ZoneInfo(organisation.timezone)
    plan = latest_plan(session, organisation, monday)
    names = {
        v.id: v.first_name
        for v in session.scalars(
            sa.select(Volunteer).where(Volunteer.organisation_id == organisation.id)
        )
    }
    return WeekView(
        monday=monday,
        plan=plan,
        published=published_plan(session, organisation.id, monday),
        days=volunteer_days(session, plan, zone) if plan is not None else [],
        left_out=left_out_lines(session, plan, zone) if plan is not None else [],
        visitors=visitor_lines(session, plan, zone) if plan is not None else [],
        names=names,
    )


def find_plan(session: Session, organisation_id: int, plan_id: int) -> PlanRow | None:
    """A plan of this organisation, or None (an id from elsewhere is not found)."""
    return session.scalar(
        sa.select(PlanRow).where(PlanRow.id == plan_id, PlanRow.organisation_id == organisation_id)
    )


def coming_week(organisation: Organisation, now: datetime) -> date:
    """The Monday after this week, where the organisation is: the week usually planned."""
    return monday_of(local_today(organisation, now)) + timedelta(days=7)


def latest_plan(session: Session, organisation: Organisation, week: date) -> PlanRow | None:
    """The week's draft if there is one, else its published plan."""
    for status in (PlanStatus.DRAFT, PlanStatus.PUBLISHED):
        found = session.scalar(
            sa.select(PlanRow)
            .where(
                PlanRow.organisation_id == organisation.id,
                PlanRow.week_start == week,
                PlanRow.status == status,
            )
            .order_by(PlanRow.id.desc())
            .limit(1)
        )
        if found is not None:
            return found
    return None


def volunteer_days(session: Session, plan: PlanRow, zone: ZoneInfo) -> list[VolunteerDay]:
    """The plan's stops grouped by volunteer (by first name) then day, each day in order."""
    requests = _by_id(session, HelpRequest, {v.request_id for v in plan.visits})
    sites = _by_id(session, Site, {v.site_id for v in plan.visits})
    volunteers = _by_id(session, Volunteer, {v.volunteer_id for v in plan.visits})
    day_totals = (plan.stats or {}).get("days") or {}
    days: dict[tuple[int, date], VolunteerDay] = {}
    routed = [v for v in plan.visits if v.volunteer_id is not None]
    for stop in sorted(routed, key=lambda v: (v.volunteer_id, v.starts_at, v.position)):
        volunteer_id = stop.volunteer_id
        if volunteer_id is None:
            continue
        starts = stop.starts_at.astimezone(zone)
        key = (volunteer_id, starts.date())
        if key not in days:
            totals = day_totals.get(f"{volunteer_id}/{starts.date().isoformat()}", {})
            days[key] = VolunteerDay(volunteers[volunteer_id], starts.date(), totals=totals)
        request = requests.get(stop.request_id) if stop.request_id else None
        site = sites.get(stop.site_id) if stop.site_id else None
        if request is not None:
            first_name = request.beneficiary.first_name if request.beneficiary else ""
            place = request.municipality.name
        else:
            first_name = ""
            place = site.name if site is not None else ""
        days[key].stops.append(
            StopLine(
                starts=starts,
                ends=stop.ends_at.astimezone(zone),
                mode=stop.kind,
                first_name=first_name,
                place=place,
                reference=request.reference if request is not None else None,
                request_id=stop.request_id,
                travel_min=stop.travel_min_before,
                travel_km=stop.travel_km_before,
                pinned=stop.pinned,
                address=request.address if request is not None else None,
                phone=_phone(request),
                stop_id=stop.id,
            )
        )
    return sorted(
        days.values(),
        key=lambda d: (d.volunteer.first_name.casefold(), d.volunteer.id, d.day),
    )


def visitor_lines(session: Session, plan: PlanRow, zone: ZoneInfo) -> list[StopLine]:
    """People booked at a drop-in (no volunteer goes to them), in time order."""
    booked = [v for v in plan.visits if v.volunteer_id is None and v.request_id is not None]
    requests = _by_id(session, HelpRequest, {v.request_id for v in booked})
    sites = _by_id(session, Site, {v.site_id for v in booked})
    lines = []
    for stop in sorted(booked, key=lambda v: (v.starts_at, v.site_id or 0, v.request_id)):
        request = requests[stop.request_id or 0]
        site = sites.get(stop.site_id or 0)
        lines.append(
            StopLine(
                starts=stop.starts_at.astimezone(zone),
                ends=stop.ends_at.astimezone(zone),
                mode=stop.kind,
                first_name=request.beneficiary.first_name if request.beneficiary else "",
                place=site.name if site is not None else "",
                reference=request.reference,
                request_id=request.id,
                travel_min=0,
                travel_km=0.0,
                pinned=stop.pinned,
                phone=_phone(request),
            )
        )
    return lines


def left_out_lines(session: Session, plan: PlanRow, zone: ZoneInfo) -> list[LeftOutLine]:
    """Every request the plan left out, drop-in seats first, then by request."""
    requests = _by_id(session, HelpRequest, {u.request_id for u in plan.unassigned})
    site_ids = {u.detail.get("site_id") for u in plan.unassigned if u.detail}
    sites = _by_id(session, Site, {s for s in site_ids if isinstance(s, int)})
    lines = []
    for missing in plan.unassigned:
        detail = dict(missing.detail or {})
        starts = detail.get("starts_at")
        site_id = detail.get("site_id")
        lines.append(
            LeftOutLine(
                reason=missing.reason,
                detail=detail,
                request=requests.get(missing.request_id) if missing.request_id else None,
                site=sites.get(site_id) if isinstance(site_id, int) else None,
                starts=(
                    datetime.fromisoformat(starts).astimezone(zone)
                    if isinstance(starts, str)
                    else None
                ),
            )
        )
    return sorted(lines, key=lambda x: (x.request is not None, x.request.id if x.request else 0))


def _phone(request: HelpRequest | None) -> str | None:
    if request is None or request.beneficiary is None:
        return None
    return request.beneficiary.phone


M = TypeVar("M", HelpRequest, Site, Volunteer)


def _by_id(session: Session, model: type[M], ids: set[int | None]) -> dict[int, M]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.scalars(sa.select(model).where(model.id.in_(wanted)))
    return {row.id: row for row in rows}
