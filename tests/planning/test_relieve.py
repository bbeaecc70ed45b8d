"""Relieving a volunteer at a weekly limit: their far visits go, as a group, to a volunteer
with minutes to spare, and the time freed serves a request only they can take."""

from __future__ import annotations

import pytest

from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import check
from scheduler.planning import relieve
from scheduler.planning import ruin
from scheduler.planning import solve
from scheduler.planning.draft import Draft
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import build_plan
from scheduler.planning.greedy import repair
from scheduler.planning.precheck import precheck
from scheduler.planning.room import make_room
from scheduler.planning.room import remove_seat
from scheduler.planning.ruin import Search
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def _week(**options: object) -> tuple[Problem, Index, list[Seat]]:
    # w1 lives at km 0 and works 190 minutes a week; w2 lives at km 70, no limit. "f1" and
    # "f2" (an hour each, km 30 and 31) cost w1 62 minutes of road (182 minutes of work) and
    # w2 80: cheapest with w1. "u" (90 minutes at km 1, Arabic) only w1 can serve: with f2
    # alone w1 would work 212 minutes, so only when both far visits go to w2 does it fit.
    problem = make_problem(
        [0, 30, 31, 1, 70],
        [
            make_worker("w1", 0, max_work_min_per_week=190, languages=frozenset({"fr", "ar"})),
            make_worker("w2", 4),
        ],
        [make_shift("s1", "w1"), make_shift("s2", "w2", location=4)],
        [
            make_visit("f1", 1),
            make_visit("f2", 2),
            make_visit("u", 3, duration_min=90, languages=frozenset({"ar"})),
        ],
        **options,
    )
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    return problem, idx, seats


def _far_with_w1(problem: Problem, idx: Index, seats: list[Seat]) -> Draft:
    number = {s.task[0].id: k for k, s in enumerate(seats)}
    return Draft.start(problem, idx, seats, [[number["f1"], number["f2"]], []])


def _where(draft: Draft) -> dict[str, str]:
    return {visit_id: sid for (visit_id, _), sid in draft.where.items()}


def test_cheapest_insertion_puts_the_far_visits_back_and_making_room_serves_nothing() -> None:
    problem, idx, seats = _week()
    draft = _far_with_w1(problem, idx, seats)
    assert relieve.at_limit(draft, "w1")
    assert make_room(draft, seats, float("inf")) == 0
    assert _where(draft) == {"f1": "s1", "f2": "s1"}
    # Taken out and put back at their cheapest place, both go to w1 again.
    far = [s for s in seats if s.task[0].id != "u"]
    draft.journal = []
    for seat in far:
        assert remove_seat(draft, (seat.task[0].id, 0))
    repair(draft, far)
    assert _where(draft) == {"f1": "s1", "f2": "s1"}


def _relieve_until_served(draft: Draft, seats: list[Seat]) -> list[tuple[str, int]]:
    search = Search(draft, seats)
    history = [search.cost] * ruin.HISTORY
    relieved: list[tuple[str, int]] = []
    while "u" not in _where(draft) and search.steps < 20:
        search.step(history)
        if search.away is not None:
            relieved.append(search.away)
    assert search.cost == search.objective()
    return relieved


def test_relieving_steps_move_the_far_visits_together_and_serve_the_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ruin, "VOLUNTEER_RUIN", 0.0)
    monkeypatch.setattr(relieve, "SHARE", 1.0)
    problem, idx, seats = _week()
    draft = _far_with_w1(problem, idx, seats)
    relieved = _relieve_until_served(draft, seats)
    assert relieved and all(worker == "w1" for worker, _ in relieved)
    assert _where(draft) == {"f1": "s2", "f2": "s2", "u": "s1"}


def test_with_no_share_the_search_makes_no_relieving_step() -> None:
    problem, idx, seats = _week()
    draft = _far_with_w1(problem, idx, seats)
    assert _relieve_until_served(draft, seats) == []


def test_the_plan_of_relieving_steps_passes_the_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ruin, "VOLUNTEER_RUIN", 0.0)
    monkeypatch.setattr(relieve, "SHARE", 1.0)
    problem, idx, seats = _week()
    draft = _far_with_w1(problem, idx, seats)
    assert _relieve_until_served(draft, seats)
    plan = build_plan(draft, seats, precheck(problem, idx), {}, "general", fix=False)
    assert check(problem, plan) == []
    assert plan.stats.served == 3


def test_a_generated_week_searched_with_relieving_steps_passes_the_checker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(relieve, "SHARE", 0.5)
    calls: list[str] = []
    original = relieve.recreate

    def counted(
        draft: Draft, removed: list[Seat], related: list[Seat], relief: relieve.Relief
    ) -> None:
        calls.append(relief[0])
        original(draft, removed, related, relief)

    monkeypatch.setattr(relieve, "recreate", counted)
    problem = generate_week("demo", 1, Options(seed=3, solution_limit=200, engine="general"))
    plan = solve(problem)
    assert calls
    assert check(problem, plan) == []


def test_a_full_volunteer_gives_up_a_visit_so_that_the_far_one_fits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # w1 (170 minutes a week) drives to "f1" at km 30: 120 minutes, 50 left, so "u" (90
    # minutes at km 1, Arabic, only w1) does not fit. w2 (one visit a week, at km 70) holds
    # "g" at km 2, which w1 could serve. Only if w2 gives "g" up can "f1" go to w2; then w1
    # serves "g" and "u" (154 minutes).
    monkeypatch.setattr(ruin, "VOLUNTEER_RUIN", 0.0)
    monkeypatch.setattr(relieve, "SHARE", 1.0)
    problem = make_problem(
        [0, 30, 1, 70, 2],
        [
            make_worker("w1", 0, max_work_min_per_week=170, languages=frozenset({"fr", "ar"})),
            make_worker("w2", 3, max_visits_per_week=1),
        ],
        [make_shift("s1", "w1"), make_shift("s2", "w2", location=3)],
        [
            make_visit("f1", 1),
            make_visit("u", 2, duration_min=90, languages=frozenset({"ar"})),
            make_visit("g", 4),
        ],
    )
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    number = {s.task[0].id: k for k, s in enumerate(seats)}
    draft = Draft.start(problem, idx, seats, [[number["f1"]], [number["g"]]])
    assert make_room(draft, seats, float("inf")) == 0
    relieved = _relieve_until_served(draft, seats)
    assert relieved and relieved[-1] == ("w1", 1)
    assert _where(draft) == {"f1": "s2", "g": "s1", "u": "s1"}
    plan = build_plan(draft, seats, precheck(problem, idx), {}, "general", fix=False)
    assert check(problem, plan) == []
