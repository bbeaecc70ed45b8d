"""Re-planning neighbouring volunteers together: two volunteers who each drive to the
other's neighbourhood swap their requests, and the request left out for want of minutes is
served."""

from __future__ import annotations

import time

from scheduler.planning import Problem
from scheduler.planning import check
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import Draft
from scheduler.planning.explain import build_plan
from scheduler.planning.explain import repair
from scheduler.planning.precheck import precheck
from scheduler.planning.regroup import regroup
from scheduler.planning.regroup import replan
from scheduler.planning.room import make_room
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker

FAR = 60.0


def _week() -> Problem:
    """ "a" lives at km 0 and "b" at km 60; each may work 200 minutes this week. Requests
    "p" (km 1) and "r" (km 2) are next to "a", "q" (km 61) next to "b"; an hour each."""
    return make_problem(
        [0, 60, 1, 61, 2],
        [
            make_worker("a", 0, max_work_min_per_week=200),
            make_worker("b", 1, max_work_min_per_week=200),
        ],
        [make_shift("a-mon", "a", location=0), make_shift("b-mon", "b", location=1)],
        [make_visit("p", 2), make_visit("q", 3), make_visit("r", 4)],
    )


def _crossed(problem: Problem) -> tuple[Draft, list[Seat], Index]:
    """The plan a search can stop at: "a" drives to "q" and "b" to "p" (182 and 178
    minutes), so neither has the minutes left for "r"."""
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    number = {s.task[0].id: k for k, s in enumerate(seats)}
    draft = Draft.start(problem, idx, seats, [[number["q"]], [number["p"]]])
    return draft, seats, idx


def test_replanning_two_volunteers_together_serves_what_no_hand_over_can() -> None:
    problem = _week()
    draft, seats, idx = _crossed(problem)
    # The repair and making room move one seat at a time: "q" does not fit next to "p"
    # (240 minutes), nor "p" next to "q", so they leave "r" out.
    repair(draft, [s for s in seats if (s.task[0].id, s.task[1]) not in draft.where])
    assert make_room(draft, seats, time.monotonic() + FAR) == 0
    assert ("r", 0) not in draft.where

    assert replan(draft, seats, ["a", "b"], time.monotonic() + FAR)
    assert draft.where == {("p", 0): "a-mon", ("r", 0): "a-mon", ("q", 0): "b-mon"}
    plan = build_plan(draft, seats, precheck(problem, idx), {}, "general")
    assert check(problem, plan) == []
    assert not plan.unassigned


def test_regroup_finds_the_group_and_then_leaves_a_good_plan_alone() -> None:
    problem = _week()
    draft, seats, _ = _crossed(problem)
    assert regroup(draft, seats, time.monotonic() + 5.0) == 1
    routes = dict(draft.routes)
    assert len(draft.where) == 3
    # Nothing left to gain: no group's plan is kept, and the routes stay as they are.
    assert regroup(draft, seats, time.monotonic() + 2.0) == 0
    assert draft.routes == routes


def test_a_replan_that_would_break_a_weekly_cap_is_refused() -> None:
    """The sub-problem holds every shift of its volunteers, so the week's model sees their
    whole caps; the draft checks them again before keeping anything."""
    problem = make_problem(
        [0, 1, 2],
        [make_worker("a", 0, max_visits_per_week=1)],
        [
            make_shift("a-mon", "a", location=0),
            make_shift("a-tue", "a", day=1, location=0),
        ],
        [
            make_visit("p", 1, windows=[(0, 10_000)]),
            make_visit("q", 2, windows=[(0, 10_000)]),
        ],
    )
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    draft = Draft.start(problem, idx, seats, [[0], []])
    assert not replan(draft, seats, ["a"], time.monotonic() + FAR)
    assert len(draft.where) == 1
