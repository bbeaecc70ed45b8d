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
    # Confirmed: every seat pinned by the week's appointments. A drop-in with one fixed seat
    # keeps that pin, and its other published seats follow the mode like any unconfirmed
    # visit; a lock pins its own seats (see with_locks), not the other seats of its drop-in.
    confirmed = frozenset(v.id for v in built.problem.visits if v.pins and len(v.pins) >= v.seats)
    locked_shifts = frozenset[str]()
    if base is not None and locks:
        built, locked_shifts, before = with_locks(built, base, locks, before)
    problem = built.problem
    result = replan(
        problem,
        _as_plan(problem, before),
        confirmed=confirmed,
        mode=mode,
        locked_shifts=locked_shifts,
        deadline=deadline,
        on_better=on_better,
    )
    built = _holders_follow_shifts(built, before, result.plan)
    return dataclasses.replace(built, problem=result.problem), result.plan, base


def _holders_follow_shifts(
    built: Built, before: dict[tuple[str, int], tuple[str, Stop]], plan: Plan
) -> Built:
    """The week with each drop-in seat's appointment given to the stop on the shift where
    that appointment stood before, whatever seat number the engine gave it.

    The engine may number a drop-in's seats afresh; a volunteer kept at the drop-in must
    keep their own appointment, or publishing cancels it and makes it again (and tells
    them both). An appointment that stood nowhere before keeps its seat, if still free.
    """
    shared = {v.id for v in built.problem.visits if v.seats > 1}
    held_on = {
        (key[0], before[key][0]): appointment
        for key, appointment in built.appointments.items()
        if key[0] in shared and key in before
    }
    pinned_on = {(key[0], before[key][0]) for key in built.pinned if key in before}
    appointments = {k: a for k, a in built.appointments.items() if k[0] not in shared}
    pinned = {key for key in built.pinned if key[0] not in shared}
    for route in plan.routes:
        for stop in route.stops:
            on = (stop.visit_id, route.shift_id)
            if stop.visit_id in shared and on in held_on:
                appointments[(stop.visit_id, stop.seat)] = held_on[on]
                if on in pinned_on:
                    pinned.add((stop.visit_id, stop.seat))
    given = set(appointments.values())
    for key, appointment in built.appointments.items():
        if key[0] in shared and key not in appointments and appointment not in given:
            appointments[key] = appointment
            if key in built.pinned:
                pinned.add(key)
    return dataclasses.replace(built, appointments=appointments, pinned=frozenset(pinned))


def with_locks(
    built: Built,
    base: PlanRow,
    locks: list[PlanLock],
    before: dict[tuple[str, int], tuple[str, Stop]],
) -> tuple[Built, frozenset[str], dict[tuple[str, int], tuple[str, Stop]]]:
    """Pins for locked stops, locked shifts for locked days, and ``before`` where each
    locked visit stands as in the locked plan.

    The engine pins seat k to a visit's k-th pin, so a drop-in's seats are put in a new
    order: its fixed seats first, then the locked ones, then the rest as published. Which
    appointment holds which seat follows that order, so publishing finds each volunteer's
    appointment again (a locked second seat renumbered alone took the first seat's
    appointment: both were cancelled and made again).

    :return: the week with those pins and seats, the locked shifts, and ``before``.
    """
    problem = built.problem
    where = replay(built, base).where
    locked_rows = {lock.planned_visit_id for lock in locks if lock.planned_visit_id}
    locked_days = {(lock.volunteer_id, lock.day) for lock in locks if not lock.planned_visit_id}
    shifts = {s.id: s for s in problem.shifts}
    pinned: dict[str, dict[int, tuple[str, Stop]]] = defaultdict(dict)
    locked_shifts: set[str] = set()
    for row in base.visits:
        if row.id not in where or row.volunteer_id is None:
            continue
        shift_id, stop = where[row.id]
        day = built.week_start + timedelta(days=shifts[shift_id].day)
        on_locked_day = (row.volunteer_id, day) in locked_days
        if row.id in locked_rows or on_locked_day:
            pinned[stop.visit_id][stop.seat] = (shift_id, stop)
        if on_locked_day:
            locked_shifts.add(shift_id)
    # The locked plan wins over the published one for every locked seat, and a locked
    # day holds only its own stops.
    kept = {key: value for key, value in before.items() if value[0] not in locked_shifts}
    appointments = dict(built.appointments)
    marked = set(built.pinned)
    visits = []
    for visit in problem.visits:
        locked = pinned.get(visit.id)
        if not locked:
            visits.append(visit)
            continue
        taken = {shift_id for shift_id, _stop in locked.values()}
        published = {
            key[1]: value
            for key, value in kept.items()
            if key[0] == visit.id and key[1] not in locked and value[0] not in taken
        }
        order = _seat_order(visit.seats, len(visit.pins), set(locked), set(published))
        pins = []
        for old in order:
            if old in locked:
                shift_id, stop = locked[old]
                pins.append(Pin(shift_id, stop.start))
            elif old < len(visit.pins):
                pins.append(visit.pins[old])
        for key in [key for key in kept if key[0] == visit.id]:
            del kept[key]
        for seat in range(len(order)):
            appointments.pop((visit.id, seat), None)
            marked.discard((visit.id, seat))
        for seat, old in enumerate(order):
            place = locked.get(old) or published.get(old)
            if place is not None:
                shift_id, stop = place
                kept[(visit.id, seat)] = (shift_id, Stop(visit.id, stop.start, stop.end, seat))
            if (visit.id, old) in built.appointments:
                appointments[(visit.id, seat)] = built.appointments[(visit.id, old)]
            if (visit.id, old) in built.pinned:
                marked.add((visit.id, seat))
        visits.append(dataclasses.replace(visit, pins=tuple(pins)))
    problem = dataclasses.replace(problem, visits=tuple(visits))
    locked_built = dataclasses.replace(
        built, problem=problem, appointments=appointments, pinned=frozenset(marked)
    )
    return locked_built, frozenset(locked_shifts), kept


def _seat_order(seats: int, fixed: int, locked: set[int], published: set[int]) -> list[int]:
    """The seats of a visit, by their number so far, in their new order: fixed seats
    (pinned by the week's appointments), locked ones, published ones, then any free."""
    order = list(range(fixed))
    order += sorted(locked - set(order))
    order += sorted(published - set(order))
    order += [seat for seat in range(seats) if seat not in order]
    return order[:seats]


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
