"""A repair of a small week that has nothing left to gain returns once it has converged."""

from __future__ import annotations

import pytest

from scheduler.planning import Changes
from scheduler.planning import Reason
from scheduler.planning import ReplanMode
from scheduler.planning import check
from scheduler.planning import engine
from scheduler.planning import replan
from scheduler.planning import solve
from tests.planning.test_replan_modes import URGENT
from tests.planning.test_replan_modes import placed
from tests.planning.test_replan_modes import two_volunteers


def test_a_keep_mode_repair_whose_left_out_seat_fits_nowhere_ends_without_tightening(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``a`` is held where it was published and ``e`` fits no shift as they stand: ruin and
    recreate converges at once, and the OR-Tools tightening (which used to run three times
    to its time guard for nothing) is skipped, with the same plan as when it runs."""
    problem, published = two_volunteers()
    result = replan(problem, published, Changes(added=(URGENT,)), mode=ReplanMode.KEEP)
    assert check(result.problem, result.plan) == []
    assert "tightening" not in result.plan.stats.stage_wall
    (left,) = result.plan.unassigned
    assert left.visit_id == "e" and left.reason is Reason.CAPACITY

    monkeypatch.setattr(engine, "settled", lambda draft, seats: False)
    searched = replan(problem, published, Changes(added=(URGENT,)), mode=ReplanMode.KEEP)
    assert "tightening" in searched.plan.stats.stage_wall
    assert placed(searched.plan) == placed(result.plan)
    assert searched.plan.stats.objective == result.plan.stats.objective


def test_a_first_plan_of_the_week_still_runs_the_tightening() -> None:
    """The rule is for re-planning: a week planned from nothing keeps its whole search."""
    problem, _published = two_volunteers()
    plan = solve(problem)
    assert "tightening" in plan.stats.stage_wall
