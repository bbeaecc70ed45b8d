"""Planning a week again once it is published, or once its draft holds locks.

The published plan is read back on the week's fresh shifts and handed to the engine's
:func:`~scheduler.planning.replan` with the dispatcher's mode (keep every published visit,
move only unconfirmed ones, or plan freely). Locks of the week's latest plan (a stop, or a
volunteer's whole day) become pins and locked shifts, so every mode keeps them. A week
with neither a published plan nor locks is simply solved.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Plan as PlanRow
from ..models import PlanLock
from ..models import PlanStatus
from ..planning import Deadline
from ..planning import OnBetter
from ..planning import Pin
from ..planning import Plan
from ..planning import Problem
from ..planning import ReplanMode
from ..planning import Stop
from ..planning import replan
from ..planning import solve
from .built import Built
from .replay import replay
from .replay import stored_plan
from .replay import time_route
from .store import published_plan

MODES = tuple(ReplanMode)


def base_plan(session: Session, organisation_id: int, built: Built) -> PlanRow | None:
    """The week's latest plan (its draft, else its published plan): where locks live."""
    for status in (PlanStatus.DRAFT, PlanStatus.PUBLISHED):
        found = session.scalar(
            sa.select(PlanRow)
            .where(
                PlanRow.organisation_id == organisation_id,
                PlanRow.week_start == built.week_start,
                PlanRow.status == status,
            )
            .order_by(PlanRow.id.desc())
            .limit(1)
        )
        if found is not None:
            return found
    return None


def locks_of(session: Session, plan_id: int) -> list[PlanLock]:
    return list(session.scalars(sa.select(PlanLock).where(PlanLock.plan_id == plan_id)))


def plan_again(
    session: Session,
    built: Built,
    *,
    mode: ReplanMode,
    deadline: Deadline,
    on_better: OnBetter | None = None,
) -> tuple[Built, Plan, PlanRow | None]:
    """Solve the week, keeping what is published (as ``mode`` allows) and what is locked.

    :param on_better: told each better plan the engine finds (a background run shows it).

    :return: the problem as solved (with pins and locked shifts), the plan, and the plan
        whose locks were kept (to carry them to the new draft).
    """
    published = published_plan(session, built.organisation_id, built.week_start)
    base = base_plan(session, built.organisation_id, built)
    locks = locks_of(session, base.id) if base is not None else []
    if published is None and not locks:
        return built, solve(built.problem, deadline=deadline, on_better=on_better), base
    before: dict[tuple[str, int], tuple[str, Stop]] = {}
    if published is not None:
        before = replay(built, published).plan.placements()
    problem, locked_shifts = built.problem, frozenset[str]()
    if base is not None and locks:
        problem, locked_shifts, before = with_locks(built, base, locks, before)
    confirmed = frozenset(v.id for v in problem.visits if v.pins)
    result = replan(
        problem,
        _as_plan(problem, before),
        confirmed=confirmed,
        mode=mode,
        locked_shifts=locked_shifts,
        deadline=deadline,
        on_better=on_better,
    )
    return dataclasses.replace(built, problem=result.problem), result.plan, base


def with_locks(
    built: Built,
    base: PlanRow,
    locks: list[PlanLock],
    before: dict[tuple[str, int], tuple[str, Stop]],
) -> tuple[Problem, frozenset[str], dict[tuple[str, int], tuple[str, Stop]]]:
    """Pins for locked stops, locked shifts for locked days, and ``before`` where each
    locked visit stands as in the locked plan."""
    problem = built.problem
    where = replay(built, base).where
    locked_rows = {lock.planned_visit_id for lock in locks if lock.planned_visit_id}
    locked_days = {(lock.volunteer_id, lock.day) for lock in locks if not lock.planned_visit_id}
    shifts = {s.id: s for s in problem.shifts}
    pinned: dict[str, list[tuple[str, Stop]]] = defaultdict(list)
    locked_shifts: set[str] = set()
    for row in base.visits:
        if row.id not in where or row.volunteer_id is None:
            continue
        shift_id, stop = where[row.id]
        day = built.week_start + timedelta(days=shifts[shift_id].day)
        on_locked_day = (row.volunteer_id, day) in locked_days
        if row.id in locked_rows or on_locked_day:
            pinned[stop.visit_id].append((shift_id, stop))
        if on_locked_day:
            locked_shifts.add(shift_id)
    # The locked plan wins over the published one for every locked visit, and a locked
    # day holds only its own stops.
    kept = {
        key: value
        for key, value in before.items()
        if key[0] not in pinned and value[0] not in locked_shifts
    }
    visits = []
    for visit in problem.visits:
        if visit.id not in pinned:
            visits.append(visit)
            continue
        places = pinned[visit.id][: visit.seats]
        for seat, (shift_id, stop) in enumerate(places):
            kept[(visit.id, seat)] = (shift_id, Stop(visit.id, stop.start, stop.end, seat))
        visits.append(
            dataclasses.replace(visit, pins=tuple(Pin(sid, stop.start) for sid, stop in places))
        )
    problem = dataclasses.replace(problem, visits=tuple(visits))
    return problem, frozenset(locked_shifts), kept


def _as_plan(problem: Problem, placements: dict[tuple[str, int], tuple[str, Stop]]) -> Plan:
    """A plan holding these placements, each route timed in start order."""
    visits = {v.id: v for v in problem.visits}
    by_shift: dict[str, list[Stop]] = defaultdict(list)
    for shift_id, stop in placements.values():
        by_shift[shift_id].append(stop)
    routes = tuple(
        time_route(problem, shift, sorted(by_shift[shift.id], key=lambda s: s.start), visits)
        for shift in problem.shifts
        if by_shift.get(shift.id)
    )
    return stored_plan(routes, (), problem)
