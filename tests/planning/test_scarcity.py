"""Priced work minutes: a seat goes to the volunteer with minutes to spare, not to the one
near their weekly limit, so that a request only the latter can serve still fits."""

from __future__ import annotations

import pytest

from scheduler.planning import Problem
from scheduler.planning import check
from scheduler.planning import scarcity
from scheduler.planning import solve
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import Draft
from scheduler.planning.explain import repair
from scheduler.planning.precheck import precheck
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def _week() -> tuple[Problem, Index, list[Seat]]:
    # w1 lives next to both requests, speaks Arabic too, and works 80 minutes a week: one
    # visit of an hour and its trips. w2 lives 10 km away with no limit. "x" (French, the
    # more pressing) is cheapest with w1; "y" (Arabic) only w1 can serve.
    problem = make_problem(
        [0, 1, 2, 10],
        [
            make_worker("w1", 0, max_work_min_per_week=80, languages=frozenset({"fr", "ar"})),
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


def test_cheapest_insertion_spends_the_scarce_minutes_and_leaves_someone_out() -> None:
    problem, idx, seats = _week()
    draft = Draft.start(problem, idx, seats, [[], []])
    left = repair(draft, seats, priced=True)
    assert [s.task[0].id for s in left] == ["y"]
    assert draft.where == {("x", 0): "s1"}


def test_priced_minutes_send_the_seat_to_the_volunteer_with_time_to_spare(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scarcity, "PRICE", 100_000)
    problem, idx, seats = _week()
    draft = Draft.start(problem, idx, seats, [[], []])
    left = repair(draft, seats, priced=True)
    assert left == []
    assert draft.where == {("x", 0): "s2", ("y", 0): "s1"}


def test_the_price_only_ranks_places_never_turns_a_seat_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A price far above any request's penalty: the seat still goes where it fits.
    monkeypatch.setattr(scarcity, "PRICE", 10**12)
    problem, idx, seats = _week()
    only_w1 = [s for s in seats if s.task[0].id == "y"]
    draft = Draft.start(problem, idx, seats, [[], []])
    assert repair(draft, only_w1, priced=True) == []
    assert draft.where == {("y", 0): "s1"}


def test_a_week_planned_with_priced_minutes_passes_the_checker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scarcity, "PRICE", 100_000)
    problem, _, _ = _week()
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.stats.served == 2
