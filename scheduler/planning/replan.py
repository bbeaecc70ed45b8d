"""Re-planning a published week after cancellations, new requests and absences.

The dispatcher chooses how much may move (:class:`ReplanMode`):

- ``KEEP``: every published visit on a shift still worked stays exactly where it is (same
  shift, same start); only new requests and those that lost their shift are placed, around
  them.
- ``MOVE_UNCONFIRMED`` (the default): confirmed visits become pins. Every other published
  visit is *held* first (pinned where it was), so the search only places what lost its
  shift and what is new. When that plan leaves out a request for lack of room (or cannot
  keep a held visit), the week is solved again with the holds released (each placement
  still prefers its published shift, ``Options.change`` per move) and that plan is kept only
  if it is better once every move and re-timing is charged ``Options.change``.
- ``FREE``: confirmed visits are pinned; everything else is planned again from the published
  routes, each move costing ``Options.change``.

In every mode a locked shift (a volunteer-day, ``locked_shifts``) keeps its published route
as it is: its visits are pinned and nothing is added to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from enum import StrEnum

from scheduler.planning.costs import COST_SCALE
from scheduler.planning.deadline import Deadline
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
from scheduler.planning.progress import OnBetter
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import time_route


class ReplanMode(StrEnum):
    """How much of the published plan may move when re-planning."""

    KEEP = "keep"
    MOVE_UNCONFIRMED = "move_unconfirmed"
    FREE = "free"


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
    *,
    mode: ReplanMode = ReplanMode.MOVE_UNCONFIRMED,
    locked_shifts: frozenset[str] = frozenset(),
    deadline: Deadline | None = None,
    on_better: OnBetter | None = None,
) -> Replan:
    """Re-solve ``problem`` after ``changes``, moving only what ``mode`` allows.

    :param problem: the week as it was planned.
    :param published: the plan the volunteers have seen.
    :param confirmed: ids of visits whose appointments were all confirmed; every published
        seat of theirs is pinned. A drop-in with only some fixed seats is not one of them:
        its ``pins`` hold those seats, and its other seats follow ``mode``.
    :param mode: what may move (see :class:`ReplanMode`).
    :param locked_shifts: shift ids whose published routes are kept as they are.
    :param deadline: when the whole re-plan must end (shared by its solves); by default
        ``options.time_limit_s`` from now.
    :param on_better: told each better plan of each solve (see :func:`solve`).
    :return: the changed problem (confirmed and locked visits pinned, locked shifts locked,
        the others preferring their published shift), a plan that the checker accepts for
        it, and the diff.
    """
    changes = changes or Changes()
    if deadline is None:
        deadline = Deadline.after(problem.options.time_limit_s)
    shifts = tuple(
        replace(s, locked=s.locked or s.id in locked_shifts)
        for s in problem.shifts
        if s.id not in changes.absent_shifts
    )
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
        else:
            # A seat on a locked shift is pinned, not the other seats of its drop-in: they
            # follow the mode, as do the seats of a drop-in with only some fixed seats.
            taken = {p.shift_id for p in pins}
            pins += tuple(
                Pin(shift_id, start)
                for _, shift_id, start in seats
                if shift_id in locked_shifts and shift_id not in taken
            )
        hint = seats[0][1] if seats and visit.seats == 1 else None
        visits.append(replace(visit, pins=pins, planned_shift_id=hint))
    visits.extend(changes.added)
    changed = replace(problem, shifts=shifts, visits=tuple(visits))

    if mode is ReplanMode.FREE:
        plan = solve(changed, initial=published, deadline=deadline, on_better=on_better)
        return Replan(changed, plan, diff_plans(published, plan))
    held_problem, held = _hold(changed, placed)
    if mode is ReplanMode.KEEP:
        plan = solve(held_problem, initial=published, deadline=deadline, on_better=on_better)
        return Replan(held_problem, plan, diff_plans(published, plan))
    # The held plan gets half the time: the freer one may need the rest.
    plan = solve(held_problem, initial=published, deadline=deadline.share(0.5), on_better=on_better)
    if _needs_release(plan, held):
        free = solve(changed, initial=published, deadline=deadline, on_better=on_better)
        # A held visit left out would carry a pin conflict that is not the dispatcher's.
        lost_hold = any(u.visit_id in held for u in plan.unassigned)
        if lost_hold or _score(changed, published, free) < _score(changed, published, plan):
            plan = free
    return Replan(changed, plan, diff_plans(published, plan))


def _hold(
    changed: Problem, placed: dict[str, list[tuple[int, str, int]]]
) -> tuple[Problem, set[str]]:
    """The changed problem with every published placement that can still stand pinned.

    A placement that a pin of another visit now runs into (a visit placed by hand over it,
    then locked) is not held: the pin wins, and the visit is placed again like any other,
    at another time or with another volunteer, and left out only if no place is found.
    A plan of this problem is a plan of ``changed``: it only adds pins.
    """
    idx = Index(changed)
    verdicts = precheck(changed, idx)
    fixed: dict[str, list[tuple[Visit, int, int]]] = {}
    for visit in changed.visits:
        for seat, pin in enumerate(visit.pins):
            fixed.setdefault(pin.shift_id, []).append((visit, seat, pin.start))
    held: set[str] = set()
    visits: list[Visit] = []
    for visit in changed.visits:
        seats = placed.get(visit.id, [])
        pins = tuple(
            Pin(shift_id, start)
            for seat, shift_id, start in seats
            if Pin(shift_id, start) in visit.pins
            or _beside_pins(idx, fixed.get(shift_id, []), visit, seat, shift_id, start)
        )
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


def _beside_pins(
    idx: Index,
    pinned: list[tuple[Visit, int, int]],
    visit: Visit,
    seat: int,
    shift_id: str,
    start: int,
) -> bool:
    """True when the placement fits on its shift with the pins of the other visits there."""
    others = [(v, k, at) for v, k, at in pinned if v.id != visit.id]
    if not others:
        return True
    stops = sorted([*others, (visit, seat, start)], key=lambda t: t[2])
    shift = idx.shifts[shift_id]
    pins = {(v.id, k): at for v, k, at in stops}
    tasks = [(v, k) for v, k, _at in stops]
    return time_route(idx.problem, shift, idx.worker_of(shift), tasks, pins).feasible


def _needs_release(plan: Plan, held: set[str]) -> bool:
    """True when moving held visits might serve more: something was left out for room, or a
    held visit could not be kept."""
    return any(u.reason is Reason.CAPACITY or u.visit_id in held for u in plan.unassigned)


def _score(problem: Problem, published: Plan, plan: Plan) -> int:
    """The plan's objective with every re-timed seat charged like a move."""
    retimed = diff_plans(published, plan).count(ChangeKind.RETIMED)
    return plan.stats.objective + retimed * round(COST_SCALE * problem.options.change)
