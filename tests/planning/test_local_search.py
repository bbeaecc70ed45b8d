"""The local search inside routes (2-opt, or-opt) shortens routes and never breaks a rule."""

from __future__ import annotations

import random
import time
from dataclasses import replace

from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import check
from scheduler.planning.draft import Draft
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import build_plan
from scheduler.planning.greedy import greedy_start
from scheduler.planning.insertion import _cap_failure
from scheduler.planning.insertion import worker_caps
from scheduler.planning.local import improve_routes
from scheduler.planning.precheck import precheck
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import time_route
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def line_week(locked: bool = False) -> Problem:
    """One volunteer at kilometre 0 and four visits at kilometres 1 to 4."""
    visits = [
        make_visit(
            name, location=k + 1, duration_min=10, windows=[(at(0, "08:00"), at(0, "17:00"))]
        )
        for k, name in enumerate("abcd")
    ]
    return make_problem(
        [0, 1, 2, 3, 4], [make_worker()], [make_shift(locked=locked)], visits, weight_km=1.0
    )


def draft_of(problem: Problem, order: str) -> Draft:
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    number = {s.task[0].id: k for k, s in enumerate(seats)}
    return Draft.start(problem, idx, seats, [[number[v] for v in order]])


def test_a_route_with_a_crossing_gets_uncrossed() -> None:
    # 0 → 4 → 2 → 3 → 1 → 0 drives 10 km; out and back in one sweep drives 8.
    draft = draft_of(line_week(), "dbca")
    assert draft.timings["s1"].metres == 10_000
    assert improve_routes(draft, time.monotonic() + 10) > 0
    # The shortest: out to kilometre 4 and back, each place once on the way.
    assert draft.timings["s1"].metres == 8_000


def test_a_locked_shift_keeps_its_route() -> None:
    draft = draft_of(line_week(locked=True), "dbca")
    assert improve_routes(draft, time.monotonic() + 10) == 0
    assert "".join(v.id for v, _ in draft.routes["s1"]) == "dbca"


def test_a_window_that_forces_the_detour_is_kept() -> None:
    # Visit b (km 2) can only start at 08:02: it must come first, and the search keeps that.
    problem = line_week()
    visits = tuple(
        replace(v, windows=(replace(v.windows[0], start=at(0, "08:02"), end=at(0, "08:12")),))
        if v.id == "b"
        else v
        for v in problem.visits
    )
    problem = replace(problem, visits=visits)
    draft = draft_of(problem, "bdca")
    improve_routes(draft, time.monotonic() + 10)
    tasks = draft.routes["s1"]
    assert tasks[0][0].id == "b"
    assert draft.timings["s1"].starts[0] == at(0, "08:02")
    assert draft.timings["s1"].metres == 8_000  # 0 → 2 → 3 → 4 → 1 → 0


def test_the_local_search_never_breaks_a_rule_the_checker_knows() -> None:
    # A generated week with calls, drop-ins, languages and every daily and weekly cap; the
    # in-person visits of each route shuffled (where the route can still be timed within its
    # caps), so there is work for the local search.
    problem = generate_week("M", 3, Options(seed=3, solution_limit=60, fairness=0.2))
    idx = Index(problem)
    verdicts = precheck(problem, idx)
    seats, conflicts = make_seats(problem, idx, verdicts)
    draft = Draft.start(problem, idx, seats, [[] for _ in problem.shifts])
    greedy_start(draft, seats, time.monotonic() + 60)
    rng = random.Random(3)
    shuffled = 0
    for shift in problem.shifts:
        tasks = draft.routes[shift.id]
        physical = [k for k, (v, _) in enumerate(tasks) if v.location is not None]
        if len(physical) < 3:
            continue
        lo, hi = physical[0], physical[-1] + 1
        worker = idx.worker_of(shift)
        week = draft.totals(worker.id, None, shift.id)
        day = draft.totals(worker.id, shift.day, shift.id)
        for _ in range(20):
            block = tasks[lo:hi]
            rng.shuffle(block)
            seq = [*tasks[:lo], *block, *tasks[hi:]]
            timing = time_route(problem, shift, worker, seq, draft.pins)
            if (
                timing.feasible
                and _cap_failure(worker_caps(draft, shift), week, day, timing) is None
                and draft.route_cost(shift, seq, timing) > draft.cost_of(shift)
            ):
                draft.set_route(shift, seq, timing)
                shuffled += 1
                break
    assert shuffled >= 3
    before = {
        s.id: (draft.cost_of(s), sorted((v.id, k) for v, k in draft.routes[s.id]))
        for s in problem.shifts
    }
    assert improve_routes(draft, time.monotonic() + 60) >= shuffled
    for s in problem.shifts:
        cost, served = before[s.id]
        # Same stops on the same shift (so drop-in, series and eligibility rules hold), and
        # never a dearer route.
        assert sorted((v.id, k) for v, k in draft.routes[s.id]) == served
        assert draft.cost_of(s) <= cost
    plan = build_plan(draft, seats, verdicts, conflicts, "general", fix=False)
    assert check(problem, plan) == []
