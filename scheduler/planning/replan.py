"""Re-planning a published week after cancellations, new requests and absences.

Confirmed visits become pins (same shift, same start). Everything else that was placed on a
shift that is still worked is *held* first: pinned where it was, so the search only places
what lost its shift and what is new, around the published routes. A diff then moves only
what must move. Holding can cost requests: when that first plan leaves out a request for
lack of room, the week is solved again with the holds released (each placement still prefers
its published shift, ``Options.change`` per move) and that plan is kept only if it is better
once every move and re-timing is charged ``Options.change``.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace

from scheduler.planning.costs import COST_SCALE
from scheduler.planning.engine import solve
from scheduler.planning.plan import ChangeKind
from scheduler.planning.plan import Plan
from scheduler.planning.plan import PlanDiff
from scheduler.planning.plan import Reason
from scheduler.planning.plan import diff_plans
from scheduler.planning.precheck import pin_ok
from scheduler.planning.precheck import precheck
from scheduler.planning.problem import Pin
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Visit
from scheduler.planning.schedule import Index


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
    :return: the changed problem (confirmed visits pinned, the others preferring their
        published shift), a plan that the checker accepts for it, and the diff.
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

    held_problem, held = _hold(changed, placed)
    plan = solve(held_problem, initial=published)
    if _needs_release(plan, held):
        free = solve(changed, initial=published)
        # A held visit left out would carry a pin conflict that is not the dispatcher's.
        lost_hold = any(u.visit_id in held for u in plan.unassigned)
        if lost_hold or _score(changed, published, free) < _score(changed, published, plan):
            plan = free
    return Replan(changed, plan, diff_plans(published, plan))


def _hold(
    changed: Problem, placed: dict[str, list[tuple[int, str, int]]]
) -> tuple[Problem, set[str]]:
    """The changed problem with every published placement that can still stand pinned.

    A plan of this problem is a plan of ``changed``: it only adds pins.
    """
    idx = Index(changed)
    verdicts = precheck(changed, idx)
    held: set[str] = set()
    visits: list[Visit] = []
    for visit in changed.visits:
        seats = placed.get(visit.id, [])
        pins = tuple(Pin(shift_id, start) for _, shift_id, start in seats)
        if (
            seats
            and len(pins) >= len(visit.pins)
            and all(pin_ok(idx, visit, verdicts[visit.id], p.shift_id, p.start) for p in pins)
        ):
            visits.append(replace(visit, pins=pins))
            held.add(visit.id)
        else:
            visits.append(visit)
    return replace(changed, visits=tuple(visits)), held


def _needs_release(plan: Plan, held: set[str]) -> bool:
    """True when moving held visits might serve more: something was left out for room, or a
    held visit could not be kept."""
    return any(u.reason is Reason.CAPACITY or u.visit_id in held for u in plan.unassigned)


def _score(problem: Problem, published: Plan, plan: Plan) -> int:
    """The plan's objective with every re-timed seat charged like a move."""
    retimed = diff_plans(published, plan).count(ChangeKind.RETIMED)
    return plan.stats.objective + retimed * round(COST_SCALE * problem.options.change)
