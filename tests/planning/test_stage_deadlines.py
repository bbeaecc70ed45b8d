"""Every search stage stops at its deadline, and the final repair's shortcuts change nothing.

A stage handed a deadline that has already passed returns at once and leaves a plan the
checker accepts; the whole run, given no time at all, still returns a checked plan at once,
every request explained (the final repair stops at the deadline too). The draft answers a
full volunteer's refusal from one count instead of timing the route: the repair then returns
the same plan as with every check worked out.
"""

from __future__ import annotations

import time

import pytest

from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import check
from scheduler.planning import solve
from scheduler.planning.deadline import Deadline
from scheduler.planning.decompose import improve_by_day
from scheduler.planning.draft import Draft
from scheduler.planning.draft import Insertion
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import RepairClock
from scheduler.planning.explain import build_plan
from scheduler.planning.greedy import greedy_start
from scheduler.planning.precheck import Verdict
from scheduler.planning.precheck import precheck
from scheduler.planning.problem import Shift
from scheduler.planning.room import make_room
from scheduler.planning.ruin import ruin_and_recreate
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import Task
from scheduler.planning.solver import Seat


@pytest.fixture(scope="module")
def week() -> Problem:
    return generate_week("M", 1, Options(seed=1, solution_limit=30))


def started(
    problem: Problem, greedy: bool = True, kind: type[Draft] = Draft
) -> tuple[Draft, list[Seat], dict[str, Verdict], dict[tuple[str, int], int]]:
    idx = Index(problem)
    verdicts = precheck(problem, idx)
    seats, conflicts = make_seats(problem, idx, verdicts)
    draft = kind.start(problem, idx, seats, [[] for _ in problem.shifts])
    if greedy:
        greedy_start(draft, seats, time.monotonic() + 60)
    return draft, seats, verdicts, conflicts


def routes(draft: Draft) -> dict[str, list[tuple[str, int]]]:
    return {sid: [(v.id, k) for v, k in tasks] for sid, tasks in draft.routes.items()}


def test_a_stage_given_a_passed_deadline_returns_at_once_and_changes_nothing(
    week: Problem,
) -> None:
    draft, seats, verdicts, conflicts = started(week)
    before = routes(draft)
    assert any((s.task[0].id, s.task[1]) not in draft.where for s in seats)
    passed = time.monotonic() - 1
    assert make_room(draft, seats, passed) == 0
    assert improve_by_day(draft, seats, passed) is False
    assert ruin_and_recreate(draft, seats, passed) == 0
    assert routes(draft) == before
    plan = build_plan(draft, seats, verdicts, conflicts, "general")
    assert check(week, plan) == []


def test_a_run_given_no_time_still_returns_a_checked_plan(week: Problem) -> None:
    plan = solve(week, deadline=Deadline.after(0))
    assert check(week, plan) == []
    # Neither the search nor the final repair had time: every request is explained, most
    # by the shifts nobody had time to offer it to.
    assert plan.stats.served + len(plan.unassigned) == len(week.visits)
    bounds = [u.detail.get("bound") for u in plan.unassigned if u.reason.value == "capacity"]
    assert bounds.count("time_limit") > len(week.visits) // 2


class EveryCheckWorkedOut(Draft):
    """A draft that times every insertion check: no remembered answer, no shortcut."""

    def try_insert(self, task: Task, shift: Shift) -> Insertion:
        return self._try_insert(task, shift)


def test_the_repair_returns_the_same_plan_as_with_every_check_worked_out(
    week: Problem,
) -> None:
    # Nothing placed before the repair: it does the whole greedy start's work, and weekly and
    # daily caps bind (full volunteers refuse from one count).
    fast, seats, verdicts, conflicts = started(week, greedy=False)
    slow, _, _, _ = started(week, greedy=False, kind=EveryCheckWorkedOut)
    got = build_plan(fast, seats, verdicts, conflicts, "general")
    want = build_plan(slow, seats, verdicts, conflicts, "general")
    assert routes(fast) == routes(slow)
    assert got.routes == want.routes
    assert got.unassigned == want.unassigned
    assert got.stats.objective == want.stats.objective
    assert any(u.detail.get("bound") == "visits_per_week" for u in got.unassigned)


def test_the_repair_estimate_works_out_a_few_left_out_seats_and_keeps_their_answers(
    week: Problem,
) -> None:
    draft, seats, _, _ = started(week)
    left = [s for s in seats if (s.task[0].id, s.task[1]) not in draft.where]
    assert left
    draft.memo.clear()
    clock = RepairClock(draft, seats)
    assert clock.seconds() > 0
    remembered = [
        s for s in left if all(draft.known(s.task, draft.idx.shifts[sid]) for sid in s.shifts)
    ]
    # A few seats were worked out (the draft keeps their answers for the repair), not all.
    assert 0 < len(remembered) < len(left)
    placed = Draft.start(week, draft.idx, seats, [[] for _ in week.shifts])
    assert RepairClock(placed, []).seconds() == 0.0
