"""Store a planning run as a draft: its stops, the requests left out with reasons, figures.

A published plan is never touched: a new run always makes a new draft whose parent is the
week's published plan (if any). Older drafts of the same week are marked discarded, so the
week has at most one draft to review.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Mode
from ..models import Plan as PlanRow
from ..models import PlannedVisit
from ..models import PlanStatus
from ..models import PlanUnassigned
from ..models import User
from ..planning import Plan
from .built import Booking
from .built import Built
from .built import LeftOut
from .built import SeamReason
from .dropin import book_visitors
from .weeks import local_instant


class PlanNotDraft(RuntimeError):
    """The plan is published, superseded or discarded: it cannot be changed."""


def published_plan(session: Session, organisation_id: int, week: date) -> PlanRow | None:
    """The week's published plan, if there is one."""
    return session.scalar(
        sa.select(PlanRow)
        .where(
            PlanRow.organisation_id == organisation_id,
            PlanRow.week_start == week,
            PlanRow.status == PlanStatus.PUBLISHED,
        )
        .order_by(PlanRow.id.desc())
    )


def save_plan(
    session: Session,
    built: Built,
    plan: Plan,
    *,
    now: datetime,
    user: User | None = None,
    solve_seconds: float | None = None,
) -> PlanRow:
    """Store ``plan`` (solved from ``built``) as the week's new draft and commit.

    :return: the new draft; earlier drafts of the week are now discarded.
    """
    problem = built.problem
    bookings, unbooked = book_visitors(built, plan)
    parent = published_plan(session, built.organisation_id, built.week_start)
    for old in session.scalars(
        sa.select(PlanRow).where(
            PlanRow.organisation_id == built.organisation_id,
            PlanRow.week_start == built.week_start,
            PlanRow.status == PlanStatus.DRAFT,
        )
    ):
        old.status = PlanStatus.DISCARDED
    row = PlanRow(
        organisation_id=built.organisation_id,
        week_start=built.week_start,
        status=PlanStatus.DRAFT,
        parent_id=parent.id if parent is not None else None,
        created_at=now,
        created_by_id=user.id if user is not None else None,
        seed=problem.options.seed,
        time_limit_s=problem.options.time_limit_s,
        solve_seconds=round(solve_seconds, 2) if solve_seconds is not None else None,
        objective=plan.stats.objective,
        stats=plan_stats(built, plan, bookings, unbooked),
    )
    zone = built.zone
    shifts = {s.id: s for s in problem.shifts}
    visits = {v.id: v for v in problem.visits}
    workers = {w.id: w for w in problem.workers}
    travel = problem.travel
    for route in plan.routes:
        shift = shifts[route.shift_id]
        walking = not workers[route.worker_id].has_car
        here = shift.start_location
        for position, stop in enumerate(route.stops):
            visit = visits[stop.visit_id]
            source = built.sources[stop.visit_id]
            minutes = metres = 0
            if visit.location is not None:
                table = travel.walk_minutes if walking else travel.minutes
                minutes, metres = table[here][visit.location], travel.metres[here][visit.location]
                here = visit.location
            row.visits.append(
                PlannedVisit(
                    kind=source.mode,
                    request_id=source.request_id,
                    site_id=source.site_id,
                    volunteer_id=built.volunteers[route.shift_id],
                    appointment_id=built.appointments.get((stop.visit_id, stop.seat)),
                    starts_at=local_instant(built.week_start, stop.start, zone),
                    ends_at=local_instant(built.week_start, stop.end, zone),
                    position=position,
                    travel_min_before=minutes,
                    travel_km_before=round(metres / 1000, 1),
                    pinned=(stop.visit_id, stop.seat) in built.pinned,
                )
            )
    for missing in plan.unassigned:
        source = built.sources[missing.visit_id]
        detail = _plain(dict(missing.detail))
        reason = str(missing.reason)
        if missing.visit_id in built.reassigned:
            reason = SeamReason.VOLUNTEER_ABSENT
            detail = {"volunteer_id": built.reassigned[missing.visit_id]}
        if source.mode is Mode.DROPIN:
            visit = visits[missing.visit_id]
            window = visit.windows[0]
            detail.update(
                site_id=source.site_id,
                seats_missing=missing.seats_missing,
                starts_at=local_instant(built.week_start, window.start, zone).isoformat(),
                ends_at=local_instant(built.week_start, window.end, zone).isoformat(),
            )
        row.unassigned.append(
            PlanUnassigned(request_id=source.request_id, reason=reason, detail=detail)
        )
    for booking in bookings:
        row.visits.append(
            PlannedVisit(
                kind=Mode.DROPIN,
                request_id=booking.request_id,
                site_id=booking.site_id,
                volunteer_id=None,
                appointment_id=built.appointments.get((f"d{booking.request_id}", 0)),
                starts_at=local_instant(built.week_start, booking.start, zone),
                ends_at=local_instant(built.week_start, booking.end, zone),
                pinned=booking.pinned,
            )
        )
    for left in [*built.left_out, *unbooked]:
        row.unassigned.append(
            PlanUnassigned(
                request_id=left.request_id, reason=left.reason, detail=_plain(left.detail)
            )
        )
    session.add(row)
    session.commit()
    return row


def plan_stats(
    built: Built,
    plan: Plan,
    bookings: list[Booking] | None = None,
    unbooked: list[LeftOut] | None = None,
) -> dict[str, Any]:
    """The figures shown on the plan page and printed by ``plan-week``.

    Requests and drop-in seats are counted apart: "served" is about people helped (visited,
    called, or booked at a drop-in); seats are the volunteers a drop-in needs.
    """
    if bookings is None or unbooked is None:
        bookings, unbooked = book_visitors(built, plan)
    sources = built.sources
    placed = {s.visit_id for r in plan.routes for s in r.stops}
    requests_in_problem = [v for v, s in sources.items() if s.request_id is not None]
    served = sum(1 for v in requests_in_problem if v in placed) + len(bookings)
    reasons: Counter[str] = Counter()
    for missing in plan.unassigned:
        if sources[missing.visit_id].request_id is not None:
            locked = missing.reason == "capacity" and missing.detail.get("bound") == "locked"
            reason = "capacity_locked" if locked else str(missing.reason)
            if missing.visit_id in built.reassigned:
                reason = SeamReason.VOLUNTEER_ABSENT
            reasons[reason] += 1
    for left in [*built.left_out, *unbooked]:
        reasons[left.reason] += 1
    seats = sum(v.seats for v in built.problem.visits if sources[v.id].mode is Mode.DROPIN)
    seats_filled = sum(
        1 for r in plan.routes for s in r.stops if sources[s.visit_id].mode is Mode.DROPIN
    )
    return {
        "requests_total": built.request_count,
        "requests_served": served,
        "dropin_seats_total": seats,
        "dropin_seats_filled": seats_filled,
        "km": round(plan.stats.metres / 1000, 1),
        "road_min": plan.stats.road_min,
        "work_min": plan.stats.work_min,
        "left_out_by_reason": dict(sorted(reasons.items())),
        "solver": plan.stats.solver,
        "volunteers": len({r.worker_id for r in plan.routes if r.stops}),
        "visitors_booked": len(bookings),
        # Whole days, the way home included: "volunteer id/local date" -> km, minutes.
        "days": _day_totals(built, plan),
        # Requests placed after their deadline (soft deadlines): request id, deadline and
        # end, local ISO times.
        "late": _late(built, plan),
    }


def _late(built: Built, plan: Plan) -> list[dict[str, Any]]:
    lines = []
    for late in plan.late:
        source = built.sources.get(late.visit_id)
        if source is None or source.request_id is None:
            continue
        lines.append(
            {
                "request_id": source.request_id,
                "deadline": local_instant(built.week_start, late.deadline, built.zone).isoformat(),
                "ends_at": local_instant(built.week_start, late.end, built.zone).isoformat(),
            }
        )
    return lines


def _day_totals(built: Built, plan: Plan) -> dict[str, dict[str, float]]:
    shifts = {s.id: s for s in built.problem.shifts}
    totals: dict[str, dict[str, float]] = {}
    for route in plan.routes:
        if not route.stops:
            continue
        day = built.week_start + timedelta(days=shifts[route.shift_id].day)
        key = f"{built.volunteers[route.shift_id]}/{day.isoformat()}"
        total = totals.setdefault(key, {"km": 0.0, "road_min": 0})
        total["km"] = round(total["km"] + route.metres / 1000, 1)
        total["road_min"] += route.road_min
    return totals


def _plain(value: Any) -> Any:
    """JSON-ready copy of an engine detail (sets and tuples become sorted lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
