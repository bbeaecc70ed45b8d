"""Regret insertion: the seat with the fewest places goes first, so caps serve more people."""

from __future__ import annotations

from scheduler.planning import Problem
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import Draft
from scheduler.planning.explain import repair
from scheduler.planning.precheck import precheck
from scheduler.planning.recreate import regret_insert
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def _week() -> tuple[Problem, Index, list[Seat]]:
    # w1 lives next to both requests, speaks Arabic too, and takes one visit a week; w2
    # lives far away and speaks French only, so "y" (Arabic) can only go to w1. "x" (French)
    # is the more pressing, and cheapest with w1.
    problem = make_problem(
        [0, 1, 2, 40],
        [
            make_worker("w1", 0, max_visits_per_week=1, languages=frozenset({"fr", "ar"})),
            make_worker("w2", 3),
        ],
        [make_shift("s1", "w1"), make_shift("s2", "w2", location=3)],
        [
            make_visit("x", 1, priority=3),
            make_visit("y", 2, priority=0, languages=frozenset({"ar"})),
        ],
    )
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    return problem, idx, seats


def test_cheapest_insertion_most_pressing_first_leaves_someone_out() -> None:
    problem, idx, seats = _week()
    draft = Draft.start(problem, idx, seats, [[], []])
    left = repair(draft, seats)
    assert [s.task[0].id for s in left] == ["y"]


def test_regret_insertion_places_the_seat_with_one_place_first() -> None:
    problem, idx, seats = _week()
    draft = Draft.start(problem, idx, seats, [[], []])
    left = regret_insert(draft, seats)
    assert left == []
    assert draft.where == {("x", 0): "s2", ("y", 0): "s1"}
