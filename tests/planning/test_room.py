"""Making room: a left-out request takes the place of one that can move elsewhere."""

from __future__ import annotations

import time

from scheduler.planning import check
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import Draft
from scheduler.planning.explain import build_plan
from scheduler.planning.explain import repair
from scheduler.planning.precheck import precheck
from scheduler.planning.room import make_room
from scheduler.planning.schedule import Index
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def test_a_full_volunteer_hands_a_visit_over_to_serve_one_only_they_can_take() -> None:
    # "a" volunteer lives next to both visits but has room for one visit this week; "b"
    # speaks French only and lives far away. The urgent French visit goes first, to "a"
    # (cheapest), which leaves out the Arabic one that only "a" can serve.
    problem = make_problem(
        [0, 1, 2, 30],
        [
            make_worker("a", 0, languages=frozenset({"fr", "ar"}), max_visits_per_week=1),
            make_worker("b", 3),
        ],
        [make_shift("a-mon", "a", location=0), make_shift("b-mon", "b", location=3)],
        [
            make_visit("urgent", 1, priority=3),
            make_visit("arabic", 2, languages=frozenset({"ar"})),
        ],
    )
    idx = Index(problem)
    verdicts = precheck(problem, idx)
    seats, conflicts = make_seats(problem, idx, verdicts)
    draft = Draft.start(problem, idx, seats, [[] for _ in problem.shifts])
    repair(draft, seats)
    assert set(draft.where) == {("urgent", 0)}
    assert make_room(draft, seats, time.monotonic() + 60) == 1
    assert draft.where == {("urgent", 0): "b-mon", ("arabic", 0): "a-mon"}
    plan = build_plan(draft, seats, verdicts, conflicts, "ortools")
    assert check(problem, plan) == []
    assert not plan.unassigned
