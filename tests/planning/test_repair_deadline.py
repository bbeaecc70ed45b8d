"""The final repair ends at the run's deadline, and still explains every seat it leaves out.

On a slow core the final repair of a large week (every left-out seat offered to every
candidate shift) may need more than the time left; it stops offering seats at the deadline,
and the seats it did not reach are CAPACITY with the shifts it had no time to check counted
as ``time_limit``, never a guess.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import Reason
from scheduler.planning import check
from scheduler.planning.draft import Draft
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import build_plan
from scheduler.planning.precheck import Verdict
from scheduler.planning.precheck import precheck
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat

Week = tuple[Draft, list[Seat], Mapping[str, Verdict], Mapping[tuple[str, int], int]]


def unplaced_week() -> Week:
    problem = generate_week("S", 1, Options(seed=1))
    idx = Index(problem)
    verdicts = precheck(problem, idx)
    seats, conflicts = make_seats(problem, idx, verdicts)
    draft = Draft.start(problem, idx, seats, [[] for _ in problem.shifts])
    return draft, seats, verdicts, conflicts


def test_a_passed_deadline_returns_at_once_with_a_reason_for_every_seat_left() -> None:
    draft, seats, verdicts, conflicts = unplaced_week()
    began = time.monotonic()
    plan = build_plan(draft, seats, verdicts, conflicts, "general", True, began - 1.0)
    # Nothing was offered: no insertion check was worked out, no seat placed.
    assert draft.checks == 0
    assert plan.routes == ()
    assert check(draft.problem, plan) == []
    assert plan.stats.served + len(plan.unassigned) == len(draft.problem.visits)
    capacity = [u for u in plan.unassigned if u.reason is Reason.CAPACITY]
    assert capacity
    for u in capacity:
        assert u.detail["bound"] == "time_limit"
        bounds = u.detail["bounds"]
        assert isinstance(bounds, dict)
        assert sum(bounds.values()) == u.detail["shifts"]


def test_without_a_deadline_the_same_draft_is_repaired_and_verified() -> None:
    draft, seats, verdicts, conflicts = unplaced_week()
    plan = build_plan(draft, seats, verdicts, conflicts, "general", True, math.inf)
    assert check(draft.problem, plan) == []
    assert plan.stats.served > len(draft.problem.visits) / 2
    assert all(
        u.detail.get("bound") != "time_limit"
        for u in plan.unassigned
        if u.reason is Reason.CAPACITY
    )
