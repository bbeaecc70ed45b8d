"""The insertion checks remembered during the search: only for routes that can come back.

A check's positions depend on the route alone and are remembered with it (``Draft.places``).
A route is replaced, never changed in place, so once a shift has moved on, the answers of
its older routes can serve again only if undoing the step in progress puts the route before
it back. Each shift keeps the answers of its last two routes, no more (the XL week's search
held those of some 7,000 routes for 1,201 shifts, over 100 MB), and what it keeps is what
the check would work out again.
"""

from __future__ import annotations

import random
import time

from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning.draft import Draft
from scheduler.planning.engine import make_seats
from scheduler.planning.greedy import greedy_start
from scheduler.planning.precheck import precheck
from scheduler.planning.room import remove_seat
from scheduler.planning.ruin import ruin_and_recreate
from scheduler.planning.schedule import Index


def test_each_shift_remembers_checks_for_its_last_two_routes_only() -> None:
    problem = generate_week("M", 1, Options(seed=1, solution_limit=300))
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    draft = Draft.start(problem, idx, seats, [[] for _ in problem.shifts])
    greedy_start(draft, seats, time.monotonic() + 60)
    ruin_and_recreate(draft, seats, time.monotonic() + 60)
    assert draft.places  # the search did remember checks
    held = [len(kept) for kept in draft.places.values()]
    assert max(held) <= 2
    # The routes of the search were many more than two a shift.
    assert draft.changes > 2 * len(problem.shifts)

    # A step that changes routes and is undone: the route put back answers from memory
    # exactly as worked out afresh.
    rng = random.Random(3)
    pairs = [(s, sid) for s in seats for sid in s.shifts if sid in idx.shifts]
    sample = rng.sample(pairs, 400)
    draft.journal = []
    before = [draft.try_insert(s.task, idx.shifts[sid]) for s, sid in sample]
    placed = sorted(draft.where)[::7][:30]
    moved = sum(remove_seat(draft, key) for key in placed)
    assert moved > 10
    draft.rollback()
    draft.journal = []
    again = [draft.try_insert(s.task, idx.shifts[sid]) for s, sid in sample]
    draft.rollback()
    draft.memo.clear()
    draft.places.clear()
    draft.slack.clear()
    afresh = [draft.try_insert(s.task, idx.shifts[sid]) for s, sid in sample]
    assert before == again == afresh
