"""PyVRP for the plain VRPTW weeks it can express exactly; OR-Tools for everything else.

A week is plain when every request is an in-person visit with one window that any shift may
serve, no volunteer limit applies, nothing is pinned, locked or preferred, and fairness, the
time grid and the lead before a shift are off: then
the problem is a multi-depot VRPTW with shift windows and capacities, and PyVRP's iterated
local search finds better routes than OR-Tools in the same time. Every request must be served
on this path; if PyVRP finds no such solution by half of its time (or warns that its
penalties hit their bound first), the caller gives the rest of the deadline to the general
path.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any

from scheduler.planning.costs import travel_cost
from scheduler.planning.deadline import Deadline
from scheduler.planning.problem import Options
from scheduler.planning.problem import Problem
from scheduler.planning.problem import VisitKind
from scheduler.planning.solver import Seat

if TYPE_CHECKING:
    from pyvrp.stop import MultipleCriteria

UNBOUNDED = 2**40
INFEASIBLE = 2**63 - 1
"""What PyVRP's cost evaluator reports for an infeasible solution (``INT64_MAX``)."""


def is_plain_vrptw(problem: Problem, seats: Sequence[Seat]) -> bool:
    """True when PyVRP expresses every rule of this problem."""
    options = problem.options
    if (
        not seats
        or len(seats) != len(problem.visits)
        or options.fairness > 0
        or options.lead_min > 0
        or options.time_grid_min > 1
        or any(s.locked for s in problem.shifts)
    ):
        return False
    every = len(problem.shifts)
    for seat in seats:
        v = seat.task[0]
        if (
            v.kind is not VisitKind.HOME
            or len(v.windows) != 1
            or v.languages
            or v.skills
            or v.needs_car
            or v.pins
            or v.series_id
            or v.previous_worker_id
            or v.planned_shift_id
            or len(seat.shifts) != every
        ):
            return False
    for w in problem.workers:
        if (
            not w.has_car
            or w.max_visits_per_week is not None
            or w.max_visits_per_day is not None
            or w.max_work_min_per_week is not None
            or w.max_km_per_day is not None
            or w.max_road_min_per_day is not None
        ):
            return False
    return not any(s.phone_only for s in problem.shifts)


class _NoFeasibleBy:
    """Stop PyVRP at ``give_up_at`` (monotonic) if it holds no feasible solution yet, or as
    soon as it warns that its penalties reached their bound without one: the general path
    then gets the rest of the budget."""

    def __init__(self, give_up_at: float, warned: list[warnings.WarningMessage]) -> None:
        self.give_up_at = give_up_at
        self.warned = warned

    def __call__(self, best_cost: int) -> bool:
        if best_cost < INFEASIBLE:
            return False
        return bool(self.warned) or time.monotonic() >= self.give_up_at


class _Until:
    """Stop at a point on the monotonic clock (the run's deadline, less its reserve)."""

    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self, best_cost: int) -> bool:
        return time.monotonic() >= self.at


def stopping_rule(
    options: Options, until: Deadline, warned: list[warnings.WarningMessage]
) -> MultipleCriteria:
    """PyVRP's stopping criteria for one run: the deadline (always), ``solution_limit``
    iterations (when set), and giving up half-way without a feasible solution."""
    from pyvrp.stop import MaxIterations
    from pyvrp.stop import MultipleCriteria

    now = time.monotonic()
    criteria: list[Any] = [_Until(until.at)]
    if options.solution_limit is not None:
        criteria.append(MaxIterations(options.solution_limit))
    criteria.append(_NoFeasibleBy(now + (until.at - now) / 2, warned))
    return MultipleCriteria(criteria)


def solve_plain(
    problem: Problem,
    seats: Sequence[Seat],
    until: Deadline | None = None,
    build_by: float | None = None,
) -> list[list[int]] | None:
    """Seat numbers per shift (in ``problem.shifts`` order) from PyVRP, or ``None`` if it
    found no solution serving everyone by half of the time it was given.

    :param until: when PyVRP must stop (by default ``options.time_limit_s`` from now). With
        a solution limit, it also stops after that many iterations (repeatable).
    :param build_by: when the model must be built (by default ``until``): a build projected
        to end later is given up, and PyVRP does not search.
    """
    from pyvrp import Model  # imported here: only this path needs it
    from pyvrp.exceptions import PenaltyBoundWarning

    options = problem.options
    if until is None:
        until = Deadline.after(options.time_limit_s)
    travel = problem.travel
    model = Model()
    used = sorted(
        {s.start_location for s in problem.shifts}
        | {s.end_location for s in problem.shifts}
        | {seat.task[0].location for seat in seats if seat.task[0].location is not None}
    )
    place = {}
    for loc in used:
        point = problem.locations[loc]
        place[loc] = model.add_location(point.lon, point.lat)
    depots = {}
    for loc in sorted(
        {s.start_location for s in problem.shifts} | {s.end_location for s in problem.shifts}
    ):
        depots[loc] = model.add_depot(place[loc])
    for seat in seats:
        visit = seat.task[0]
        assert visit.location is not None
        window = visit.windows[0]
        model.add_client(
            place[visit.location],
            delivery=[visit.load],
            service_duration=visit.duration_min,
            tw_early=window.start,
            tw_late=window.end - visit.duration_min,
        )
    groups: dict[tuple[int, int, int, int, int], list[int]] = {}
    for v, s in enumerate(problem.shifts):
        cap = UNBOUNDED if s.capacity is None else s.capacity
        groups.setdefault((s.start_location, s.end_location, s.start, s.end, cap), []).append(v)
    for (start, end, early, late, cap), vehicles in groups.items():
        model.add_vehicle_type(
            num_available=len(vehicles),
            capacity=[cap],
            start_depot=depots[start],
            end_depot=depots[end],
            tw_early=early,
            tw_late=late,
        )
    began = until.clock()
    limit = until.at if build_by is None else build_by
    for n, a in enumerate(used, 1):
        for b in used:
            minutes = travel.minutes[a][b]
            cost = travel_cost(options, minutes, travel.metres[a][b], True)
            model.add_edge(place[a], place[b], distance=cost, duration=minutes)
        # One edge at a time, a million for 1,000 customers: about 2 s of CPU, which the
        # search's share of the time does not count. A build that will not end by
        # ``build_by`` (projected from the rows done) is given up, so that PyVRP never
        # starts after it: no solution then, as when it finds none in its time.
        if began + (until.clock() - began) * len(used) / n >= limit:
            return None
    # PyVRP warns when its penalties reach their bound without a feasible solution. That is
    # an answer, not an error: the search stops and the general path takes over.
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always", PenaltyBoundWarning)
        stop = stopping_rule(options, until, warned)
        result = model.solve(stop, seed=options.seed, display=False, collect_stats=False)
    for w in warned:
        if not issubclass(w.category, PenaltyBoundWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    best = result.best
    if not best.is_feasible() or best.num_missing_clients() > 0:
        return None
    free = [list(vs) for vs in groups.values()]
    out: list[list[int]] = [[] for _ in problem.shifts]
    for route in best.routes():
        vehicle = free[route.vehicle_type()].pop(0)
        out[vehicle] = [act.idx for act in route if act.is_client()]
    return out
