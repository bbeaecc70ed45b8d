"""Hand edits of a draft, judged by the engine's independent checker.

A dispatcher moves a stop to another volunteer, day or time, or assigns a left-out
request by hand. The draft is read back as an engine plan before and after the edit and
both are passed to :func:`~scheduler.planning.check`: the rules the edit newly breaks are
returned, and the edit is only saved when there are none or when the dispatcher confirms
it anyway (an override, recorded with who, when and which rules). A stop edited by hand is
locked, so planning the week again keeps it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..core.weekly import covered_minutes
from ..models import HelpRequest
from ..models import Mode
from ..models import Organisation
from ..models import Plan as PlanRow
from ..models import PlanEdit
from ..models import PlanLock
from ..models import PlannedVisit
from ..models import PlanStatus
from ..models import User
from ..models import Volunteer
from ..planning import Violation
from ..planning import check
from .built import Built
from .built import Periods
from .hand_placed import slots_of
from .policy import settings_for
from .problem import build_problem
from .replanning import locks_of
from .replanning import with_locks
from .replay import replay
from .settings import PlanningSettings
from .stop_overlaps import overlapped_by
from .stop_overlaps import overlaps
from .stop_overlaps import stray_rules
from .store import PlanNotDraft

log = logging.getLogger(__name__)


class EditRefused(ValueError):
    """The edit cannot even be judged: ``code`` says why (``volunteer``, ``day``,
    ``request``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class EditOutcome:
    """Whether the edit was saved, the rules it breaks (overridden when saved), and the
    stops of the same volunteer it runs into (ids of the draft's rows), so that the page
    names them."""

    saved: bool
    broken: tuple[Violation, ...]
    overlapped: tuple[int, ...] = ()

    @property
    def rules(self) -> list[str]:
        return sorted({v.rule for v in self.broken})


@dataclass(frozen=True, slots=True)
class Target:
    """Where the dispatcher wants the stop: a volunteer, a day of the week, a start time."""

    volunteer_id: int
    day: date
    starts: time


def move_stop(
    session: Session,
    organisation: Organisation,
    plan: PlanRow,
    stop: PlannedVisit,
    target: Target,
    *,
    settings: PlanningSettings,
    periods: Periods | None,
    user: User | None,
    now: datetime,
    override: bool = False,
) -> EditOutcome:
    """Move one stop of a draft (see the module's docstring).

    :raises PlanNotDraft: the plan is no longer a draft.
    :raises EditRefused: the volunteer or the day is not one of this week's.
    """
    built = _judge_setup(session, organisation, plan, target, settings, periods, now)
    length = stop.ends_at - stop.starts_at
    starts = _instant(built, target)
    moved = _copy(stop, volunteer_id=target.volunteer_id, starts_at=starts, ends_at=starts + length)
    rows = [moved if r.id == stop.id else r for r in plan.visits]
    broken = _judge(session, built, plan, rows, moved)
    overlapped = overlapped_by(rows, moved, broken)
    if broken and not override:
        return EditOutcome(False, broken, overlapped)
    before = {"volunteer_id": stop.volunteer_id, "starts_at": stop.starts_at.isoformat()}
    stop.volunteer_id, stop.starts_at, stop.ends_at = target.volunteer_id, starts, starts + length
    _finish(session, built, plan, stop, "move", broken, user, now, before)
    return EditOutcome(True, broken, overlapped)


def assign_request(
    session: Session,
    organisation: Organisation,
    plan: PlanRow,
    request: HelpRequest,
    target: Target,
    *,
    settings: PlanningSettings,
    periods: Periods | None,
    user: User | None,
    now: datetime,
    override: bool = False,
) -> EditOutcome:
    """Place a request the draft left out, by hand (see the module's docstring).

    :raises EditRefused: ``request`` when it is not a left-out home visit or call of this
        draft.
    """
    left = [u for u in plan.unassigned if u.request_id == request.id]
    if not left or request.mode is Mode.DROPIN:
        raise EditRefused("request")
    built = _judge_setup(session, organisation, plan, target, settings, periods, now)
    starts = _instant(built, target)
    fields: dict[str, Any] = {
        "kind": request.mode,
        "request_id": request.id,
        "volunteer_id": target.volunteer_id,
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=max(1, request.duration_min)),
    }
    # Judged as a detached stop (never added to the session); saved only if it stands.
    trial = PlannedVisit(id=-1, **fields)
    broken = _judge(session, built, plan, [*plan.visits, trial], trial)
    overlapped = overlapped_by(list(plan.visits), trial, broken)
    if broken and not override:
        return EditOutcome(False, broken, overlapped)
    added = PlannedVisit(**fields)
    plan.visits.append(added)
    for missing in left:
        plan.unassigned.remove(missing)
    stats = dict(plan.stats or {})
    stats["requests_served"] = int(stats.get("requests_served", 0)) + 1
    reasons = dict(stats.get("left_out_by_reason") or {})
    for missing in left:
        reasons[missing.reason] = int(reasons.get(missing.reason, 1)) - 1
    stats["left_out_by_reason"] = {k: v for k, v in reasons.items() if v > 0}
    plan.stats = stats
    session.flush()
    _finish(session, built, plan, added, "assign", broken, user, now, {"reason": left[0].reason})
    return EditOutcome(True, broken, overlapped)


def _judge_setup(
    session: Session,
    organisation: Organisation,
    plan: PlanRow,
    target: Target,
    settings: PlanningSettings,
    periods: Periods | None,
    now: datetime,
) -> Built:
    # Hold the draft's row until the edit is saved, so that a publication running at the
    # same time either sees the edit or makes it refused: FOR UPDATE on PostgreSQL.
    postgres = session.get_bind().dialect.name == "postgresql"
    session.refresh(plan, with_for_update=postgres)
    if plan.status is not PlanStatus.DRAFT:
        raise PlanNotDraft(plan.status.value)
    volunteer = session.get(Volunteer, target.volunteer_id)
    if volunteer is None or volunteer.organisation_id != organisation.id or not volunteer.active:
        raise EditRefused("volunteer")
    if not plan.week_start <= target.day < plan.week_start + timedelta(days=7):
        raise EditRefused("day")
    settings = settings_for(session, organisation.id, settings)
    built = build_problem(
        session, organisation, plan.week_start, settings=settings, periods=periods, now=now
    )
    if not postgres:
        _hold_draft(session, plan)
    return built


def _hold_draft(session: Session, plan: PlanRow) -> None:
    """SQLite ignores FOR UPDATE: take its write lock with a write that only succeeds on a
    draft, after the slow reading and before anything is written, so that a publication
    that went through meanwhile makes this edit refused instead of saved on a published
    plan whose appointments would not show it."""
    held = session.execute(
        sa.update(PlanRow)
        .where(PlanRow.id == plan.id, PlanRow.status == PlanStatus.DRAFT)
        .values(status=PlanRow.status)
        .execution_options(synchronize_session=False)
    )
    if held.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        session.refresh(plan)
        raise PlanNotDraft(plan.status.value)


def _instant(built: Built, target: Target) -> datetime:
    return datetime.combine(target.day, target.starts, built.zone).astimezone(UTC)


def _copy(row: PlannedVisit, **changes: Any) -> PlannedVisit:
    """A detached copy of a stop with some fields changed (never added to the session)."""
    values = {
        name: getattr(row, name)
        for name in (
            "id",
            "kind",
            "request_id",
            "volunteer_id",
            "site_id",
            "appointment_id",
            "starts_at",
            "ends_at",
        )
    }
    values.update(changes)
    return PlannedVisit(**values)


def _judge(
    session: Session, built: Built, plan: PlanRow, rows: list[PlannedVisit], edited: PlannedVisit
) -> tuple[Violation, ...]:
    """The rules broken after the edit that were not broken before it."""
    locks = locks_of(session, plan.id)
    # The stop being edited is not held by its own lock.
    locks = [lock for lock in locks if lock.planned_visit_id != edited.id]
    built, locked, _before = with_locks(built, plan, locks, {})
    problem = built.problem
    shifts = tuple(replace(s, locked=s.locked or s.id in locked) for s in problem.shifts)
    problem = replace(problem, shifts=shifts)
    judged = replace(built, problem=problem)
    old = replay(judged, plan)
    new = replay(judged, plan, rows)
    seen = {(v.rule, v.message) for v in check(problem, old.plan)}
    seen |= stray_rules(old) | overlaps(list(plan.visits))
    found = stray_rules(new) | overlaps(rows)
    after = set(check(problem, new.plan)) | {Violation(*pair) for pair in found}
    return tuple(sorted((v for v in after if (v.rule, v.message) not in seen), key=str))


def _finish(
    session: Session,
    built: Built,
    plan: PlanRow,
    stop: PlannedVisit,
    action: str,
    broken: tuple[Violation, ...],
    user: User | None,
    now: datetime,
    before: dict[str, Any],
) -> None:
    """Re-time the draft's days, lock the edited stop, record the edit; commit."""
    refresh_rows(built, plan)
    day = stop.starts_at.astimezone(built.zone).date()
    assert stop.volunteer_id is not None
    if not any(lock.planned_visit_id == stop.id for lock in locks_of(session, plan.id)):
        session.add(
            PlanLock(
                plan_id=plan.id,
                volunteer_id=stop.volunteer_id,
                day=day,
                planned_visit_id=stop.id,
                created_at=now,
                created_by_id=user.id if user else None,
            )
        )
    rules = sorted({v.rule for v in broken})
    volunteer = session.get(Volunteer, stop.volunteer_id)
    assert volunteer is not None
    local = (stop.starts_at.astimezone(built.zone), stop.ends_at.astimezone(built.zone))
    session.add(
        PlanEdit(
            plan_id=plan.id,
            action=action,
            request_id=stop.request_id,
            volunteer_id=stop.volunteer_id,
            rules=rules,
            detail={
                "before": before,
                "after": {
                    "volunteer_id": stop.volunteer_id,
                    "starts_at": stop.starts_at.isoformat(),
                    "ends_at": stop.ends_at.isoformat(),
                    # What of it the slots held: removing one of them later undoes the
                    # agreement to keep it outside them (see hand_placed.PlacedOutside).
                    "covered_min": covered_minutes(slots_of(volunteer), *local),
                },
            },
            at=now,
            user_id=user.id if user else None,
        )
    )
    session.commit()
    log.info(
        "hand edit %s on draft plan %d by user %s: %s",
        action,
        plan.id,
        user.id if user else "-",
        f"rules overridden: {', '.join(rules)}" if rules else "no rule broken",
    )


def refresh_rows(built: Built, plan: PlanRow) -> None:
    """Order, drive before each stop and each day's totals, from the stops as they are."""
    replayed = replay(built, plan)
    problem = built.problem
    shifts = {s.id: s for s in problem.shifts}
    visits = {v.id: v for v in problem.visits}
    rows = {row.id: row for row in plan.visits}
    by_stop = {
        (shift_id, stop.visit_id, stop.seat): rid
        for rid, (shift_id, stop) in replayed.where.items()
    }
    travel = problem.travel
    days: dict[str, dict[str, float]] = {}
    for route in replayed.plan.routes:
        shift = shifts[route.shift_id]
        walking = not problem.worker(route.worker_id).has_car
        table = travel.walk_minutes if walking else travel.minutes
        here = shift.start_location
        for position, stop in enumerate(route.stops):
            row = rows[by_stop[(route.shift_id, stop.visit_id, stop.seat)]]
            visit = visits[stop.visit_id]
            row.position = position
            if visit.location is not None:
                row.travel_min_before = table[here][visit.location]
                row.travel_km_before = round(travel.metres[here][visit.location] / 1000, 1)
                here = visit.location
        day = built.week_start + timedelta(days=shift.day)
        key = f"{built.volunteers[route.shift_id]}/{day.isoformat()}"
        total = days.setdefault(key, {"km": 0.0, "road_min": 0})
        total["km"] = round(total["km"] + route.metres / 1000, 1)
        total["road_min"] += route.road_min
    stats = dict(plan.stats or {})
    stats["days"] = days
    stats["km"] = round(sum(d["km"] for d in days.values()), 1)
    stats["road_min"] = int(sum(d["road_min"] for d in days.values()))
    plan.stats = stats
