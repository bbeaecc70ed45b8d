"""The general path's first plan: nearest shifts first, the others after, on a clock."""

from __future__ import annotations

import time
from dataclasses import replace

from scheduler.planning import check
from scheduler.planning import solve
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import Draft
from scheduler.planning.greedy import NEIGHBOURS
from scheduler.planning.greedy import greedy_start
from scheduler.planning.precheck import precheck
from scheduler.planning.problem import Problem
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def _start(problem: Problem) -> tuple[Draft, list[Seat]]:
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    return Draft.start(problem, idx, seats, [[] for _ in problem.shifts]), seats


def _line_of_volunteers(count: int) -> Problem:
    """``count`` volunteers three minutes apart on a line, a visit next to each one's home."""
    positions = [3 * k for k in range(count)] + [3 * k + 1 for k in range(count)]
    workers = [make_worker(f"w{k}", k) for k in range(count)]
    shifts = [make_shift(f"s{k}", f"w{k}", location=k) for k in range(count)]
    visits = [make_visit(f"v{k}", count + k, duration_min=30) for k in range(count)]
    return make_problem(positions, workers, shifts, visits)


def test_each_visit_goes_to_the_volunteer_next_door_among_more_shifts_than_the_neighbourhood() -> (
    None
):
    count = NEIGHBOURS + 6
    draft, seats = _start(_line_of_volunteers(count))
    assert all(len(s.shifts) == count for s in seats)
    still, reached = greedy_start(draft, seats, time.monotonic() + 3600)
    assert still == [] and reached == 1.0
    assert {key: sid for key, sid in draft.where.items()} == {
        (f"v{k}", 0): f"s{k}" for k in range(count)
    }


def test_a_visit_its_nearest_shifts_refuse_goes_to_a_farther_volunteer() -> None:
    # Twenty-four volunteers next door may each make one visit; a twenty-fifth lives far
    # away. The twenty-fifth visit is refused by every nearest shift and offered to him.
    near = [make_worker(f"n{k}", 0, max_visits_per_week=1) for k in range(NEIGHBOURS)]
    far = make_worker("far", 1)
    shifts = [make_shift(f"s{k}", f"n{k}", location=0) for k in range(NEIGHBOURS)]
    shifts.append(make_shift("s-far", "far", location=1))
    visits = [make_visit(f"v{k}", 2, duration_min=30) for k in range(NEIGHBOURS + 1)]
    problem = make_problem([0, 100, 1], [*near, far], shifts, visits)
    draft, seats = _start(problem)
    still, _ = greedy_start(draft, seats, time.monotonic() + 3600)
    assert still == []
    assert sorted(draft.where.values()).count("s-far") == 1
    assert len(draft.where) == NEIGHBOURS + 1


def test_the_greedy_start_stops_at_its_deadline_and_the_run_still_places_everyone() -> None:
    problem = _line_of_volunteers(NEIGHBOURS + 2)
    draft, seats = _start(problem)
    still, reached = greedy_start(draft, seats, time.monotonic() - 1)
    assert reached == 0.0 and len(still) == len(seats) and not draft.where
    # In a whole run, what the greedy start did not reach is placed by the search and the
    # final repair.
    plan = solve(replace(problem, options=replace(problem.options, engine="general")))
    assert check(problem, plan) == []
    assert plan.stats.served == len(problem.visits)


def test_a_plan_says_how_much_cpu_each_stage_took_and_equal_plans_stay_equal() -> None:
    problem = _line_of_volunteers(4)
    first = solve(problem)
    second = solve(problem)
    cpu = first.stats.stage_cpu
    assert {"precheck", "greedy start", "repair and explanations"} <= set(cpu)
    assert all(seconds >= 0.0 for seconds in cpu.values())
    assert set(first.stats.stage_wall) == set(cpu)
    # CPU times differ from run to run; the plans (with a solution limit) do not.
    assert first == second
