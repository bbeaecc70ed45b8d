"""The route ruin: empty one route and take strings of the stops nearest to it.

String removal near one stop rarely makes the exchange of stops between several routes that
the small weeks' best plans need; this ruin frees a whole route and its neighbours at once.
"""

from __future__ import annotations

import time

import pytest

from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import check
from scheduler.planning import ruin
from scheduler.planning import solve
from scheduler.planning.draft import Draft
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import repair
from scheduler.planning.greedy import greedy_start
from scheduler.planning.precheck import precheck
from scheduler.planning.ruin import Search
from scheduler.planning.schedule import Index


def _demo_draft() -> tuple[Draft, Search]:
    problem = generate_week("demo", 1, Options(seed=1))
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    draft = Draft.start(problem, idx, seats, [[] for _ in problem.shifts])
    greedy_start(draft, seats, time.monotonic() + 60)
    return draft, Search(draft, seats)


def test_the_route_ruin_empties_a_route_and_takes_the_stops_nearest_to_it() -> None:
    draft, search = _demo_draft()
    sid = max(draft.routes, key=lambda s: len(draft.routes[s]))
    before = {s: [(v.id, k) for v, k in draft.routes[s]] for s in draft.routes}
    assert len(before[sid]) >= 3
    draft.journal = []
    removed, related = search._ruin_route(sid, 3)
    keys = {(s.task[0].id, s.task[1]) for s in removed}
    # Every unpinned stop of the route is out, and up to three more from other routes.
    assert set(before[sid]) - set(draft.pins) <= keys
    assert all((v.id, k) in draft.pins for v, k in draft.routes[sid])
    others = keys - set(before[sid])
    assert 1 <= len(others) <= 3
    near = {
        key
        for visit_id, _ in before[sid]
        if (location := draft.idx.visits[visit_id].location) is not None
        for key in search._neighbours(location)
    }
    assert any(key in near for key in others)
    assert not (keys & draft.where.keys())
    # The step's usual recreate puts them back with every rule kept; undone, the plan is whole.
    repair(draft, removed + related)
    draft.rollback()
    assert {s: [(v.id, k) for v, k in draft.routes[s]] for s in draft.routes} == before


def test_a_search_made_of_route_ruins_keeps_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ruin, "VOLUNTEER_RUIN", 0.0)
    monkeypatch.setattr(ruin, "ROUTE_RUIN_SHARE", 1.0)
    calls: list[str] = []
    original = Search._ruin_route

    def counted(self: Search, sid: str, count: int) -> tuple[list, list]:  # type: ignore[type-arg]
        calls.append(sid)
        return original(self, sid, count)

    monkeypatch.setattr(Search, "_ruin_route", counted)
    problem = generate_week("demo", 1, Options(seed=3, solution_limit=200, engine="general"))
    plan = solve(problem)
    assert calls
    assert check(problem, plan) == []
    assert len(plan.unassigned) <= 6
