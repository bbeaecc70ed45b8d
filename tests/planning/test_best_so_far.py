"""While it searches, the engine tells who listens each better plan it holds (for a page
that follows a long background run); the listener changes nothing of the result."""

from __future__ import annotations

from scheduler.planning import Progress
from scheduler.planning import solve

from .builders import make_problem
from .builders import make_shift
from .builders import make_visit
from .builders import make_worker


def _week():
    return make_problem(
        [0, 3, 5, 9, 12],
        [make_worker("w1"), make_worker("w2", home=4)],
        [make_shift("s1", "w1"), make_shift("s2", "w2", location=4)],
        [make_visit(v, location=k + 1) for k, v in enumerate("abcd")],
    )


def test_each_better_plan_is_told_with_what_it_places_and_its_km():
    seen: list[Progress] = []
    plan = solve(_week(), on_better=seen.append)
    assert seen, "the search told nothing"
    objectives = [p.objective for p in seen]
    assert objectives == sorted(objectives, reverse=True)  # only ever better
    assert all(p.placed <= {"a", "b", "c", "d"} for p in seen)
    placed = {s.visit_id for r in plan.routes for s in r.stops}
    assert seen[-1].placed == placed
    assert seen[-1].metres == plan.stats.metres


def test_listening_does_not_change_the_plan():
    quiet = solve(_week())
    told = solve(_week(), on_better=lambda progress: None)
    assert [(r.shift_id, [s.visit_id for s in r.stops]) for r in quiet.routes] == [
        (r.shift_id, [s.visit_id for s in r.stops]) for r in told.routes
    ]
