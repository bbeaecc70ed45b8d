"""Re-planning a published week after cancellations, new requests and absences.

Confirmed visits become pins (same shift, same start). Every other visit that was placed
keeps a preference for its shift (``Options.change`` per move), and the search starts from
the published routes, so the new plan moves as little as it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace

from scheduler.planning.engine import solve
from scheduler.planning.plan import Plan
from scheduler.planning.plan import PlanDiff
from scheduler.planning.plan import diff_plans
from scheduler.planning.problem import Pin
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Visit


@dataclass(frozen=True, slots=True)
class Changes:
    """What happened since the plan was published."""

    cancelled: frozenset[str] = frozenset()
    added: tuple[Visit, ...] = ()
    absent_shifts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Replan:
    """The problem as changed, the new plan, and how it differs from the published one."""

    problem: Problem
    plan: Plan
    diff: PlanDiff


def replan(
    problem: Problem,
    published: Plan,
    changes: Changes | None = None,
    confirmed: frozenset[str] = frozenset(),
) -> Replan:
    """Re-solve ``problem`` after ``changes``, keeping ``confirmed`` visits where they are.

    :param problem: the week as it was planned.
    :param published: the plan the volunteers have seen.
    :param confirmed: ids of visits whose appointments were confirmed; they are pinned.
    """
    changes = changes or Changes()
    shifts = tuple(s for s in problem.shifts if s.id not in changes.absent_shifts)
    kept = {s.id for s in shifts}
    placed: dict[str, list[tuple[int, str, int]]] = {}
    for route in published.routes:
        if route.shift_id not in kept:
            continue
        for stop in route.stops:
            placed.setdefault(stop.visit_id, []).append((stop.seat, route.shift_id, stop.start))
    visits: list[Visit] = []
    for visit in problem.visits:
        if visit.id in changes.cancelled:
            continue
        seats = sorted(placed.get(visit.id, []))
        pins = tuple(p for p in visit.pins if p.shift_id in kept)
        if visit.id in confirmed and seats:
            pins = tuple(Pin(shift_id, start) for _, shift_id, start in seats)
        hint = seats[0][1] if seats and visit.seats == 1 else None
        visits.append(replace(visit, pins=pins, planned_shift_id=hint))
    visits.extend(changes.added)
    changed = replace(problem, shifts=shifts, visits=tuple(visits))
    plan = solve(changed, initial=published)
    return Replan(changed, plan, diff_plans(published, plan))
