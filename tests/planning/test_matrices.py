"""Transit matrices (read by OR-Tools in C++) give the model the same arcs as callbacks."""

from __future__ import annotations

import pytest

from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import check
from scheduler.planning import solve
from scheduler.planning import solver


def test_matrix_and_callback_transits_give_the_same_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = generate_week(
        "S", seed=2, options=Options(solution_limit=15, time_limit_s=60, seed=2)
    )
    with_matrices = solve(problem)
    monkeypatch.setattr(solver, "MATRIX_BUDGET", 0)
    with_callbacks = solve(problem)
    assert with_matrices == with_callbacks
    assert check(problem, with_matrices) == []
