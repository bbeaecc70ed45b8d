"""Which search runs for which week, what the plan says about it, and one deadline for all."""

from __future__ import annotations

import time
import warnings
from typing import Any

import pytest

from scheduler.planning import Deadline
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import Reason
from scheduler.planning import check
from scheduler.planning import solve
from scheduler.planning.portfolio import solve_plain
from scheduler.planning.portfolio import stopping_rule
from scheduler.planning.precheck import precheck
from scheduler.planning.schedule import Index
from scheduler.planning.seats import make_seats
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def plain_week(engine: str, **options: Any) -> Problem:
    return make_problem(
        [0, 10, 20, 30],
        [make_worker("w1", 0), make_worker("w2", 0)],
        [make_shift("s1", "w1"), make_shift("s2", "w2")],
        [make_visit("a", 1), make_visit("b", 2), make_visit("c", 3)],
        engine=engine,
        time_grid_min=1,
        **options,
    )


@pytest.mark.parametrize(
    ("engine", "solver"), [("auto", "pyvrp"), ("ortools", "general"), ("general", "general")]
)
def test_plan_names_the_search_that_made_it(engine: str, solver: str) -> None:
    problem = plain_week(engine)
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.stats.served == 3
    assert plan.stats.solver == solver


def test_a_week_pyvrp_cannot_express_takes_the_general_path_under_auto() -> None:
    problem = make_problem(
        [0, 10],
        [make_worker("w1", 0)],
        [make_shift("s1", "w1")],
        [make_visit("a", 1, languages=frozenset({"fr"}))],
        engine="auto",
    )
    plan = solve(problem)
    assert plan.stats.solver == "general"
    assert plan.stats.served == 1


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        solve(plain_week("fastest"))


def clash_week(**options: Any) -> Problem:
    """Plain VRPTW, but one volunteer cannot be at km 40 and km -40 at 10:00: PyVRP, which must
    serve every request, finds nothing; the general path serves one and explains the other."""
    return make_problem(
        [0, 40, -40],
        [make_worker("w1", 0)],
        [make_shift("s1", "w1")],
        [
            make_visit("east", 1, windows=[(at(0, "10:00"), at(0, "11:00"))], priority=1),
            make_visit("west", 2, windows=[(at(0, "10:00"), at(0, "11:00"))]),
        ],
        engine="auto",
        time_grid_min=1,
        **options,
    )


@pytest.mark.parametrize(
    "limits",
    [
        {"solution_limit": 30, "time_limit_s": 5.0},
        # No solution limit: PyVRP gives up on its own (half its time, or its penalty
        # warning, which must not escape as an error under ``filterwarnings = error``).
        {"solution_limit": None, "time_limit_s": 1.0},
    ],
)
def test_when_pyvrp_cannot_serve_everyone_the_general_path_plans_the_week(
    limits: dict[str, Any],
) -> None:
    problem = clash_week(**limits)
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.stats.solver == "general after pyvrp"
    assert [s.visit_id for r in plan.routes for s in r.stops] == ["east"]
    (left,) = plan.unassigned
    assert left.visit_id == "west" and left.reason is Reason.CAPACITY


def test_pyvrp_stops_at_the_deadline_even_with_a_solution_limit() -> None:
    options = Options(solution_limit=10**9)
    expired = Deadline(time.monotonic() - 1.0)
    stop = stopping_rule(options, expired, [])
    assert stop(0) is True
    later = stopping_rule(options, Deadline.after(3600.0), [])
    assert later(0) is False


def test_pyvrp_stops_after_its_solution_limit() -> None:
    stop = stopping_rule(Options(solution_limit=2), Deadline.after(3600.0), [])
    assert [stop(0), stop(0), stop(0)] == [False, False, True]


def test_pyvrp_gives_up_without_a_feasible_solution_once_it_warns() -> None:
    warned = [warnings.WarningMessage("penalty bound", UserWarning, "pyvrp", 1)]
    stop = stopping_rule(Options(), Deadline.after(3600.0), warned)
    infeasible = 2**63 - 1
    assert stop(infeasible) is True
    assert stop(1234) is False


@pytest.mark.parametrize("engine", ["auto", "ortools"])
def test_an_expired_deadline_still_gives_a_checked_plan(engine: str) -> None:
    problem = plain_week(engine, solution_limit=None)
    plan = solve(problem, deadline=Deadline(time.monotonic()))
    assert check(problem, plan) == []
    assert plan.stats.served + len(plan.unassigned) == 3


def test_a_pyvrp_model_that_cannot_be_built_by_the_deadline_is_given_up_before_searching(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A clock that moves one second per reading: after the first of the four rows of edges
    # the build is projected to end four seconds in, past a deadline two seconds away.
    import pyvrp

    problem = plain_week("auto")
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    ticks = iter(range(10**6))
    until = Deadline(2.0, lambda: float(next(ticks)))

    def search(*args: object, **kwargs: object) -> None:
        raise AssertionError("PyVRP searched after its deadline")

    monkeypatch.setattr(pyvrp.Model, "solve", search)
    assert solve_plain(problem, seats, until) is None
    # Allowed to build until later (the search's end, for the per-day stage), it searches.
    with pytest.raises(AssertionError, match="searched"):
        solve_plain(problem, seats, Deadline(2.0, lambda: float(next(ticks))), 10**7)
