"""The exchange search: a left-out request served through a chain of hand-overs between a
volunteer whose weekly count is full and one whose weekly work minutes are."""

from __future__ import annotations

import time

from scheduler.planning import Problem
from scheduler.planning import check
from scheduler.planning.engine import make_seats
from scheduler.planning.exchange import exchange
from scheduler.planning.explain import Draft
from scheduler.planning.explain import build_plan
from scheduler.planning.explain import repair
from scheduler.planning.precheck import precheck
from scheduler.planning.room import make_room
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker

FAR = 60.0


def _week(c_languages: frozenset[str]) -> Problem:
    """Three volunteers on a line. "a" (at km 0) is the only one who speaks Arabic and has
    room for one visit this week; "b" (km 10) may work 100 minutes this week, enough for the
    Spanish visit (km 2, 76 minutes from home) or the French one (km 11, 62 minutes) but not
    both (138); "c" (km 30) has no cap."""
    return make_problem(
        [0, 1, 2, 10, 11, 30],
        [
            make_worker("a", 0, languages=frozenset({"fr", "ar", "es"}), max_visits_per_week=1),
            make_worker("b", 3, languages=frozenset({"fr", "es"}), max_work_min_per_week=100),
            make_worker("c", 5, languages=c_languages),
        ],
        [
            make_shift("a-mon", "a", location=0),
            make_shift("b-mon", "b", location=3),
            make_shift("c-mon", "c", location=5),
        ],
        [
            make_visit("arabic", 1, languages=frozenset({"ar"})),
            make_visit("spanish", 2, languages=frozenset({"es"})),
            make_visit("french", 4, languages=frozenset({"fr"})),
        ],
    )


def _stuck(problem: Problem) -> tuple[Draft, list[Seat], Index]:
    """The plan a search can stop at: "a" gives its one visit to the Spanish request, "b"
    drives to the French one next door, "c" stays home and the Arabic request is left out."""
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    number = {s.task[0].id: k for k, s in enumerate(seats)}
    draft = Draft.start(problem, idx, seats, [[number["spanish"]], [number["french"]], []])
    return draft, seats, idx


def test_a_chain_of_two_hand_overs_serves_a_request_the_old_stages_leave_out() -> None:
    problem = _week(frozenset({"fr"}))
    draft, seats, idx = _stuck(problem)
    # Neither the repair nor making room (one hand-over, or a chain through count caps)
    # sees it: "b" refuses the Spanish visit for its work minutes, not its count.
    repair(draft, [s for s in seats if (s.task[0].id, s.task[1]) not in draft.where])
    assert make_room(draft, seats, time.monotonic() + FAR) == 0
    assert exchange(draft, seats, time.monotonic() + FAR, depth=1) == 0
    assert ("arabic", 0) not in draft.where

    assert exchange(draft, seats, time.monotonic() + FAR) == 1
    assert draft.where == {("arabic", 0): "a-mon", ("spanish", 0): "b-mon", ("french", 0): "c-mon"}
    verdicts = precheck(problem, idx)
    plan = build_plan(draft, seats, verdicts, {}, "general")
    assert check(problem, plan) == []
    assert not plan.unassigned


def test_no_chain_leaves_the_plan_as_it_was() -> None:
    # "c" speaks no French: the French visit has nowhere to go, so "b" cannot make room
    # for the Spanish one, and "a" none for the Arabic one.
    problem = _week(frozenset({"de"}))
    draft, seats, _ = _stuck(problem)
    before = {sid: list(tasks) for sid, tasks in draft.routes.items()}
    assert exchange(draft, seats, time.monotonic() + FAR) == 0
    assert draft.routes == before
    assert draft.journal is None


def test_a_pass_whose_time_is_up_changes_nothing() -> None:
    problem = _week(frozenset({"fr"}))
    draft, seats, _ = _stuck(problem)
    before = {sid: list(tasks) for sid, tasks in draft.routes.items()}
    assert exchange(draft, seats, time.monotonic() - 1.0) == 0
    assert draft.routes == before
