"""The general path's convergence rule: when the search stops before its deadline."""

from __future__ import annotations

import time
from typing import Any

import pytest

from scheduler.planning import Deadline
from scheduler.planning import check
from scheduler.planning import engine
from scheduler.planning import ruin
from scheduler.planning import solve
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import Draft
from scheduler.planning.explain import repair
from scheduler.planning.precheck import precheck
from scheduler.planning.problem import Problem
from scheduler.planning.ruin import WINDOW_BASE
from scheduler.planning.ruin import WINDOW_PER_SEAT
from scheduler.planning.ruin import ruin_and_recreate
from scheduler.planning.ruin import window
from scheduler.planning.schedule import Index
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def _two_volunteers_three_visits() -> Problem:
    """A week the general path plans on the clock (no solution limit)."""
    return make_problem(
        [0, 10, 20, 30],
        [make_worker("w1", 0), make_worker("w2", 0)],
        [make_shift("s1", "w1"), make_shift("s2", "w2")],
        [make_visit("a", 1), make_visit("b", 2), make_visit("c", 3)],
        solution_limit=None,
        engine="general",
    )


def test_the_window_grows_with_the_week_and_a_solution_limit_sets_it() -> None:
    assert window(10) == WINDOW_BASE + 10 * WINDOW_PER_SEAT
    assert window(1000) > window(100) > window(10)
    assert window(1000, solution_limit=40) == 40


def test_ruin_and_recreate_stops_after_a_window_of_steps_without_a_better_plan() -> None:
    # One volunteer, one visit: the start is already the best plan, so the search converges
    # after exactly one window of steps, long before its deadline.
    problem = make_problem(
        [0, 10], [make_worker()], [make_shift()], [make_visit("a", 1)], solution_limit=None
    )
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    draft = Draft.start(problem, idx, seats, [[]])
    repair(draft, seats)
    steps = ruin_and_recreate(draft, seats, time.monotonic() + 3600)
    assert steps == window(len(seats))
    assert draft.placed() == {("a", 0)}


def test_a_converged_week_ends_before_its_deadline_with_the_same_plan() -> None:
    problem = _two_volunteers_three_visits()
    first = solve(problem, deadline=Deadline.after(3600))
    second = solve(problem, deadline=Deadline.after(3600))
    assert check(problem, first) == []
    assert first == second


def test_the_tightening_runs_even_when_ruin_and_recreate_never_converges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each round of ruin and recreate gets at most half of the time left: with a window so
    # long that it never converges, the OR-Tools tightening must still get its turn.
    problem = _two_volunteers_three_visits()
    monkeypatch.setattr(ruin, "window", lambda seats, limit=None: 10**9)
    calls: list[float] = []
    real = engine.route_week

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(time.monotonic())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "route_week", spy)
    plan = solve(problem, deadline=Deadline.after(2))
    assert calls, "the tightening never ran"
    assert check(problem, plan) == []


def test_a_small_week_runs_the_model_from_its_own_start_first_when_a_share_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With SMALL_SCRATCH_SHARE, the OR-Tools model first builds its own plan (no initial
    # routes), for that share of the time; later tightenings start from the search's plan.
    problem = _two_volunteers_three_visits()
    starts: list[object] = []
    real = engine.route_week

    def spy(*args: Any, **kwargs: Any) -> Any:
        starts.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "route_week", spy)
    monkeypatch.setattr(engine, "SMALL_SCRATCH_SHARE", 0.3)
    plan = solve(problem, deadline=Deadline.after(3))
    assert starts and starts[0] is None
    assert all(s is not None for s in starts[1:])
    assert check(problem, plan) == []
