"""Ejection chains: a left-out request served through hand-overs between several volunteers,
each at their weekly count of visits, where neither a direct insertion nor making room can."""

from __future__ import annotations

from typing import Any

import pytest

from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import chains
from scheduler.planning import check
from scheduler.planning import ruin
from scheduler.planning import solve
from scheduler.planning.draft import Draft
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import build_plan
from scheduler.planning.precheck import precheck
from scheduler.planning.room import make_room
from scheduler.planning.ruin import Search
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def _week(far: int = 4, **options: Any) -> tuple[Problem, Index, list[Seat], Draft]:
    # Four volunteers; w1, w2 and w3 give one visit a week and each holds one. "r" (Arabic)
    # only w1 can serve; w1's "v" (German) also w2; w2's "w" (Spanish) also w3; w3's "x"
    # (Italian) also w4, who has room (at km ``far``). Serving "r" takes three hand-overs:
    # v to w2, w to w3, x to w4.
    def speaks(*languages: str) -> frozenset[str]:
        return frozenset({"fr", *languages})

    problem = make_problem(
        [0, 1, 2, 3, 4, far],
        [
            make_worker("w1", 0, max_visits_per_week=1, languages=speaks("ar", "de")),
            make_worker("w2", 0, max_visits_per_week=1, languages=speaks("de", "es")),
            make_worker("w3", 0, max_visits_per_week=1, languages=speaks("es", "it")),
            make_worker("w4", 5, languages=speaks("it")),
        ],
        [
            make_shift("s1", "w1"),
            make_shift("s2", "w2"),
            make_shift("s3", "w3"),
            make_shift("s4", "w4", location=5),
        ],
        [
            make_visit("r", 1, languages=frozenset({"ar"})),
            make_visit("v", 2, languages=frozenset({"de"})),
            make_visit("w", 3, languages=frozenset({"es"})),
            make_visit("x", 4, languages=frozenset({"it"})),
        ],
        **options,
    )
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    number = {s.task[0].id: k for k, s in enumerate(seats)}
    draft = Draft.start(problem, idx, seats, [[number["v"]], [number["w"]], [number["x"]], []])
    return problem, idx, seats, draft


def _where(draft: Draft) -> dict[str, str]:
    return {visit_id: sid for (visit_id, _), sid in draft.where.items()}


def _seat(seats: list[Seat], visit_id: str) -> Seat:
    return next(s for s in seats if s.task[0].id == visit_id)


def test_neither_a_direct_insertion_nor_making_room_serves_the_request() -> None:
    _, idx, seats, draft = _week()
    r = _seat(seats, "r")
    assert draft.try_insert(r.task, idx.shifts["s1"]) == "visits_per_week"
    assert make_room(draft, seats, float("inf")) == 0
    assert "r" not in _where(draft)


def test_a_chain_of_three_hand_overs_serves_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chains, "SHARE", 1.0)
    problem, idx, seats, draft = _week()
    search = Search(draft, seats)
    history = [search.cost] * ruin.HISTORY
    before = search.cost
    search.step(history)
    assert _where(draft) == {"r": "s1", "v": "s2", "w": "s3", "x": "s4"}
    # One more request served: the search's account of the step is the objective's.
    assert search.cost == search.objective() < before
    plan = build_plan(draft, seats, precheck(problem, idx), {}, "general", fix=False)
    assert check(problem, plan) == []
    assert plan.stats.served == 4


def test_every_weekly_count_holds_along_the_chain() -> None:
    _, idx, seats, draft = _week()
    draft.journal = []
    found = chains.Chains(draft, {(s.task[0].id, s.task[1]): s for s in seats}).serve(
        _seat(seats, "r")
    )
    assert found is not None
    for worker in ("w1", "w2", "w3"):
        assert draft.totals(worker, None, "")[0] == 1


def test_a_chain_too_long_for_the_depth_leaves_every_route_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chains, "DEPTH", 2)
    _, _, seats, draft = _week()
    routes = dict(draft.routes)
    timings = dict(draft.timings)
    versions = dict(draft.versions)
    draft.journal = []
    seat_of = {(s.task[0].id, s.task[1]): s for s in seats}
    assert chains.Chains(draft, seat_of).serve(_seat(seats, "r")) is None
    assert draft.journal == []
    assert draft.routes == routes and draft.timings == timings and draft.versions == versions


def test_a_chain_that_costs_more_than_the_request_is_worth_is_undone() -> None:
    # The last hand-over drives x to w4 at km 300: 600 minutes of road for a request worth
    # 50 points left out.
    _, _, seats, draft = _week(far=300, unserved_penalty=50.0)
    routes = {sid: list(tasks) for sid, tasks in draft.routes.items()}
    versions = dict(draft.versions)
    draft.journal = []
    seat_of = {(s.task[0].id, s.task[1]): s for s in seats}
    assert chains.Chains(draft, seat_of).serve(_seat(seats, "r")) is None
    assert draft.routes == routes and draft.versions == versions
    assert _where(draft) == {"v": "s1", "w": "s2", "x": "s3"}


def test_with_no_share_the_search_makes_no_chain_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chains, "SHARE", 0.0)
    _, _, seats, draft = _week()
    search = Search(draft, seats)
    history = [search.cost] * ruin.HISTORY
    for _ in range(20):
        search.step(history)
    assert search.chains is None


def test_a_generated_week_searched_with_chain_steps_passes_the_checker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chains, "SHARE", 0.5)
    served: list[str] = []
    original = chains.Chains.serve

    def counted(self: chains.Chains, r: Seat) -> tuple[list[Seat], list[Seat]] | None:
        found = original(self, r)
        if found is not None:
            served.append(r.task[0].id)
        return found

    monkeypatch.setattr(chains.Chains, "serve", counted)
    problem = generate_week("S", 1, Options(seed=3, solution_limit=200, engine="general"))
    plan = solve(problem)
    assert served
    assert check(problem, plan) == []
