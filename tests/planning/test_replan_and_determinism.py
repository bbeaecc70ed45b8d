"""Re-planning keeps promises and moves little; same inputs give the same plan."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bench.solomon_data import judge_routes
from bench.solomon_data import read_instance
from bench.solomon_data import to_problem
from bench.week_data import generate_week
from scheduler.planning import ChangeKind
from scheduler.planning import Changes
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import VisitKind
from scheduler.planning import check
from scheduler.planning import replan
from scheduler.planning import solve
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def small_week() -> Problem:
    return make_problem(
        [0, 40, 3, 5, 37, 39],
        [make_worker("w1", 0), make_worker("w2", 1)],
        [
            make_shift("w1-mon", "w1", location=0),
            make_shift("w2-mon", "w2", location=1),
            make_shift("w1-tue", "w1", day=1, location=0),
        ],
        [
            make_visit("a", 2),
            make_visit("b", 3),
            make_visit("c", 4),
            make_visit("d", 5, windows=[(at(0, "08:00"), at(1, "17:00"))]),
        ],
    )


def test_confirmed_visits_keep_volunteer_and_time_when_replanning() -> None:
    problem = small_week()
    published = solve(problem)
    confirmed = frozenset({"a", "c"})
    before = {s.visit_id: (r.shift_id, s.start) for r in published.routes for s in r.stops}
    new = Changes(added=(make_visit("e", 2, priority=3),), cancelled=frozenset({"b"}))
    result = replan(problem, published, new, confirmed)
    assert check(result.problem, result.plan) == []
    after = {s.visit_id: (r.shift_id, s.start) for r in result.plan.routes for s in r.stops}
    for vid in confirmed:
        assert after[vid] == before[vid]
    assert "b" not in after and "e" in after
    kinds = {c.visit_id: c.kind for c in result.diff.changes}
    assert kinds["b"] is ChangeKind.REMOVED and kinds["e"] is ChangeKind.ADDED
    assert "a" not in kinds and "c" not in kinds


def test_absence_moves_only_the_absent_volunteers_visits() -> None:
    problem = small_week()
    published = solve(problem)
    absent = next(r.shift_id for r in published.routes if r.worker_id == "w2")
    result = replan(problem, published, Changes(absent_shifts=frozenset({absent})))
    assert check(result.problem, result.plan) == []
    moved = {c.visit_id for c in result.diff.changes}
    lost = {s.visit_id for s in published.route_of(absent).stops}  # type: ignore[union-attr]
    assert moved <= lost


def test_same_problem_seed_and_solution_limit_give_the_same_plan() -> None:
    problem = generate_week(
        "S", seed=3, options=Options(solution_limit=30, time_limit_s=30, seed=3)
    )
    first = solve(problem)
    second = solve(problem)
    assert first == second
    assert check(problem, first) == []


@pytest.mark.slow
def test_generated_week_plan_is_feasible_and_explains_every_left_out_request() -> None:
    problem = generate_week("S", seed=1, options=Options(solution_limit=50, time_limit_s=20))
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.stats.served + len(plan.unassigned) == len(problem.visits)
    assert plan.stats.served > len(problem.visits) // 2


@pytest.mark.parametrize("engine", ["auto", "ortools"])
def test_solomon_instance_is_solved_feasibly_under_a_short_solution_limit(
    solomon_dir: Path, engine: str
) -> None:
    inst = read_instance(solomon_dir / "C101.txt")
    problem = to_problem(inst, time_limit_s=20.0, seed=1, solution_limit=200)
    problem = replace(problem, options=replace(problem.options, engine=engine))
    plan = solve(problem)
    assert check(problem, plan) == []
    assert not plan.unassigned
    routes = [[int(s.visit_id) for s in r.stops] for r in plan.routes]
    distance, feasible, _ = judge_routes(inst, routes)
    assert feasible
    assert distance < 828.94 * 1.10


def test_replan_moves_a_placed_visit_when_that_makes_room_for_an_urgent_one() -> None:
    def week(a_windows: list[tuple[int, int]]) -> Problem:
        return make_problem(
            [0, 2, 3],
            [make_worker("w1", 0)],
            [
                make_shift("w1-mon", "w1", end=at(0, "10:00")),
                make_shift("w1-tue", "w1", day=1),
            ],
            [make_visit("a", 1, windows=a_windows)],
        )

    published = solve(week([(at(0, "08:00"), at(0, "17:00"))]))
    assert published.route_of("w1-mon") is not None
    problem = week([(at(0, "08:00"), at(1, "17:00"))])
    urgent = make_visit("e", 2, priority=3, windows=[(at(0, "08:00"), at(0, "10:00"))])
    result = replan(problem, published, Changes(added=(urgent,)))
    assert check(result.problem, result.plan) == []
    kinds = {c.visit_id: c.kind for c in result.diff.changes}
    assert kinds == {"a": ChangeKind.MOVED, "e": ChangeKind.ADDED}


def test_diff_treats_the_seats_of_a_drop_in_as_interchangeable() -> None:
    problem = make_problem(
        [0, 1, 2, 3],
        [make_worker(f"w{k}", k) for k in range(3)],
        [make_shift(f"s{k}", f"w{k}", location=k) for k in range(3)],
        [
            make_visit(
                "drop",
                3,
                kind=VisitKind.DROP_IN,
                staff_needed=2,
                duration_min=60,
                windows=[(at(0, "09:00"), at(0, "10:00"))],
            )
        ],
    )
    published = solve(problem)
    assert len(published.routes) == 2
    # Seat 0's volunteer is away: the seat that stays is renumbered, not moved.
    absent = next(r.shift_id for r in published.routes if r.stops[0].seat == 0)
    result = replan(problem, published, Changes(absent_shifts=frozenset({absent})))
    assert check(result.problem, result.plan) == []
    assert [c.kind for c in result.diff.changes] == [ChangeKind.MOVED]
    assert result.diff.changes[0].before is not None
    assert result.diff.changes[0].before[0] == absent
