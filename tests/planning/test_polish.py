"""Moves between routes (``polish.py``): a seat goes to the volunteer it costs least with,
two seats change volunteers, or a seat takes a full volunteer's place while that one's seat
moves on to a third; every rule and cap holds, and a move that costs more is undone."""

from __future__ import annotations

import time
from dataclasses import replace

from pytest import MonkeyPatch

from scheduler.planning import Problem
from scheduler.planning import check
from scheduler.planning import engine
from scheduler.planning import solve
from scheduler.planning.draft import Draft
from scheduler.planning.engine import _objective
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import build_plan
from scheduler.planning.polish import polish
from scheduler.planning.precheck import precheck
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker

FAR = 60.0


def _week() -> Problem:
    """Three volunteers on a line: "a" at km 0 (one visit a day at most), "b" at km 100,
    "c" at km 60. Request "p" (km 20) speaks English, which "b" does not; "r" (km 0) speaks
    German, which "c" does not."""
    return make_problem(
        [0, 100, 60, 20, 0],
        [
            make_worker("a", 0, languages=frozenset({"en", "de"}), max_visits_per_day=1),
            make_worker("b", 1, languages=frozenset({"de"})),
            make_worker("c", 2, languages=frozenset({"en"})),
        ],
        [
            make_shift("a-mon", "a", location=0),
            make_shift("b-mon", "b", location=1),
            make_shift("c-mon", "c", location=2),
        ],
        [
            make_visit("p", 3, languages=frozenset({"en"})),
            make_visit("r", 4, languages=frozenset({"de"})),
        ],
        weight_km=1.0,
    )


def _draft(problem: Problem, routes: dict[str, str]) -> tuple[Draft, list[Seat], Index]:
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    number = {s.task[0].id: k for k, s in enumerate(seats)}
    seqs = [[number[v] for v in routes.get(s.id, "")] for s in problem.shifts]
    return Draft.start(problem, idx, seats, seqs), seats, idx


def test_a_seat_moves_to_the_volunteer_it_costs_least_with() -> None:
    # "r" (km 0) driven from km 100 by "b": 200 km, where "a" lives next door.
    problem = _week()
    draft, seats, idx = _draft(problem, {"b-mon": "r"})
    before = _objective(draft, seats)
    assert polish(draft, seats, time.monotonic() + FAR) == 1
    assert draft.where == {("r", 0): "a-mon"}
    assert _objective(draft, seats) < before
    assert check(problem, build_plan(draft, seats, precheck(problem, idx), {}, "general")) == []


def test_a_seat_takes_a_full_volunteers_place_and_that_seat_moves_on() -> None:
    # "a" may make one visit a day and drives to "p" (40 km); "b" drives 200 km to "r".
    # Moving "r" to "a" is refused (a full day), "p" to "c" alone costs more (80 km), and
    # "p" cannot go to "b" (English): only both moves together are better (120 km, not 240).
    problem = _week()
    draft, seats, idx = _draft(problem, {"a-mon": "p", "b-mon": "r"})
    before = _objective(draft, seats)
    assert polish(draft, seats, time.monotonic() + FAR) == 1
    assert draft.where == {("r", 0): "a-mon", ("p", 0): "c-mon"}
    assert _objective(draft, seats) < before
    assert check(problem, build_plan(draft, seats, precheck(problem, idx), {}, "general")) == []


def test_a_plan_no_move_improves_is_left_as_it_is() -> None:
    problem = _week()
    draft, seats, _ = _draft(problem, {"a-mon": "r", "c-mon": "p"})
    routes = {sid: list(tasks) for sid, tasks in draft.routes.items()}
    assert polish(draft, seats, time.monotonic() + FAR) == 0
    assert draft.routes == routes
    assert draft.journal is None


def test_two_seats_change_volunteers_when_each_is_nearer_the_other() -> None:
    # "a" (km 0) drives to "q" (km 99) and "b" (km 100) to "s" (km 1).
    problem = make_problem(
        [0, 100, 99, 1],
        [make_worker("a", 0, max_visits_per_day=1), make_worker("b", 1, max_visits_per_day=1)],
        [make_shift("a-mon", "a", location=0), make_shift("b-mon", "b", location=1)],
        [make_visit("q", 2), make_visit("s", 3)],
        weight_km=1.0,
    )
    draft, seats, idx = _draft(problem, {"a-mon": "q", "b-mon": "s"})
    assert polish(draft, seats, time.monotonic() + FAR) == 1
    assert draft.where == {("q", 0): "b-mon", ("s", 0): "a-mon"}
    assert check(problem, build_plan(draft, seats, precheck(problem, idx), {}, "general")) == []


def test_a_deadline_already_passed_changes_nothing() -> None:
    problem = _week()
    draft, seats, _ = _draft(problem, {"b-mon": "r"})
    assert polish(draft, seats, time.monotonic() - 1.0) == 0
    assert draft.where == {("r", 0): "b-mon"}


def test_when_on_a_small_week_is_polished_and_a_week_of_many_candidate_pairs_is_not(
    monkeypatch: MonkeyPatch,
) -> None:
    # The week of the first tests (two seats, four pairs of a seat and a candidate shift).
    problem = replace(_week(), options=replace(_week().options, solution_limit=5))
    monkeypatch.setattr(engine, "POLISH_SHARE", 0.5)
    assert "polish" in solve(problem).stats.stage_cpu
    monkeypatch.setattr(engine, "POLISH_PAIRS", 3)
    assert "polish" not in solve(problem).stats.stage_cpu
