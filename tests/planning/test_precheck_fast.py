"""The precheck's array evaluation gives exactly the verdicts of timing each visit alone.

``precheck`` evaluates every shift at once for a visit (``alone.py``) and judges one by one
only the visits no shift takes; ``precheck(..., exhaustive=True)`` times every visit on every
candidate shift with ``time_route``. On random weeks (walkers and drivers, limits and caps,
calls, drop-ins, series, grids, lead time, asymmetric travel, hard deadlines) both must give
the same candidates in the same order, and the same reason with the same parameters.
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from scheduler.planning import Location
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import Shift
from scheduler.planning import TravelMatrix
from scheduler.planning import Visit
from scheduler.planning import VisitKind
from scheduler.planning import Window
from scheduler.planning import Worker
from scheduler.planning.alone import AloneTable
from scheduler.planning.precheck import Verdict
from scheduler.planning.precheck import clip_to_deadlines
from scheduler.planning.precheck import judge
from scheduler.planning.precheck import precheck
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import time_route
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker

LANGUAGES = ("fr", "en", "ar")
SKILLS = ("phone", "tablet", "portal")


def _often(value: object, *others: object) -> st.SearchStrategy[object]:
    """``value`` four times in five, else one of ``others``: most visits must have
    candidates for the comparison to mean something, and every family must bite sometimes."""
    return st.sampled_from((value,) * 4 * len(others) + others)


@st.composite
def weeks(draw: st.DrawFn) -> Problem:
    """A random small week; travel may be asymmetric, with a non-zero diagonal."""
    n = draw(st.integers(2, 6))
    # Few distinct values, so that sums land exactly on the limits and the shifts' ends.
    km = [[draw(st.sampled_from((0, 500, 1000, 2500, 5000))) for _ in range(n)] for _ in range(n)]
    drive = [[draw(st.sampled_from((0, 3, 5, 10, 15))) for _ in range(n)] for _ in range(n)]
    walk = [[draw(st.sampled_from((0, 10, 20, 30))) for _ in range(n)] for _ in range(n)]
    compact = draw(st.booleans())

    def rows(m: list[list[int]]) -> Any:
        return tuple(array("i", r) if compact else tuple(r) for r in m)

    travel = TravelMatrix(minutes=rows(drive), metres=rows(km), walk_minutes=rows(walk))
    fr = frozenset({"fr"})
    workers = []
    for k in range(draw(st.integers(1, 6))):
        workers.append(
            Worker(
                id=f"w{k}",
                home=draw(st.integers(0, n - 1)),
                languages=draw(_often(fr, frozenset({"fr", "ar"}), frozenset({"en"}))),
                skills=draw(_often(frozenset(SKILLS), frozenset({"tablet"}), frozenset())),
                has_car=draw(st.booleans()),
                walking_limit_km=draw(st.sampled_from((0.5, 1.0, 2.5))),
                max_visits_per_week=draw(_often(None, 0, 3)),
                max_visits_per_day=draw(_often(None, 0, 2)),
                max_work_min_per_week=draw(_often(None, 45, 50, 60, 65, 75)),
                max_km_per_day=draw(_often(None, 1.0, 5.0, 10.0)),
                max_road_min_per_day=draw(_often(None, 10, 20, 30)),
            )
        )
    shifts = []
    for w in workers:
        for day in sorted(draw(st.sets(st.integers(0, 1), min_size=1))):
            start = at(day, draw(st.sampled_from(("08:00", "09:07", "13:00"))))
            shifts.append(
                Shift(
                    id=f"{w.id}-d{day}",
                    worker_id=w.id,
                    day=day,
                    start=start,
                    end=start + draw(st.sampled_from((50, 60, 65, 70, 75, 90, 180))),
                    start_location=w.home,
                    end_location=draw(st.sampled_from((w.home, w.home, 0, n - 1))),
                    phone_only=draw(_often(False, True)),
                    capacity=draw(_often(None, 0, 2)),
                )
            )
    visits = []
    for k in range(draw(st.integers(1, 10))):
        kind = draw(st.sampled_from(list(VisitKind)))
        duration = draw(st.sampled_from((20, 45, 60)))
        if kind is VisitKind.DROP_IN:
            begin = at(draw(st.integers(0, 1)), draw(st.sampled_from(("09:00", "10:15", "14:00"))))
            windows: tuple[Window, ...] = (Window(begin, begin + duration),)
        else:
            windows = tuple(
                Window(a, a + draw(st.sampled_from((duration, 60, 90, 240))))
                for a in (
                    at(d, draw(st.sampled_from(("08:00", "08:10", "09:07", "09:20", "13:05"))))
                    for d in sorted(draw(st.sets(st.integers(0, 1), min_size=1)))
                )
            )
        series = draw(_often(None, "nobody", *(w.id for w in workers)))
        visits.append(
            Visit(
                id=f"v{k}",
                request_id=f"v{k}",
                kind=kind,
                duration_min=duration,
                windows=windows,
                location=None if kind is VisitKind.PHONE else draw(st.integers(0, n - 1)),
                languages=draw(_often(fr, frozenset(), frozenset({"ar", "en"}), frozenset({"es"}))),
                skills=draw(_often(frozenset(), frozenset({"portal"}), frozenset({"tablet"}))),
                needs_car=draw(_often(False, True)),
                deadline=draw(_often(None, at(0, "12:00"), at(1, "17:00"))),
                series_id="cycle" if series else None,
                series_worker_id=series,  # type: ignore[arg-type]
                staff_needed=draw(st.integers(1, 2)),
                load=draw(_often(0, 1, 3)),
            )
        )
    options = Options(
        lead_min=draw(st.sampled_from((0, 3, 5, 10, 30))),
        time_grid_min=draw(st.sampled_from((0, 1, 5, 15))),
        dropin_grid_min=draw(st.sampled_from((1, 15))),
        hard_deadlines=draw(st.booleans()),
    )
    places = tuple(Location(f"p{i}", 46.0, -72.0) for i in range(n))
    return Problem(places, travel, tuple(workers), tuple(shifts), tuple(visits), options)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weeks())
def test_array_precheck_equals_timing_each_visit_alone(problem: Problem) -> None:
    originals: dict[str, Visit] = {}
    if problem.options.hard_deadlines:
        problem, originals = clip_to_deadlines(problem)
    assert_same_verdicts(problem, originals)


def assert_same_verdicts(problem: Problem, originals: dict[str, Visit]) -> dict[str, Verdict]:
    """Both prechecks agree, and so do the shifts every family keeps before the array
    evaluation falls back to the one-by-one judgement (which would hide a shift it lost
    when it was the only one)."""
    idx = Index(problem)
    fast = precheck(problem, idx, originals)
    assert fast == precheck(problem, idx, originals, exhaustive=True)
    table = AloneTable(idx)
    for visit in problem.visits:
        kept = tuple(table.ids[k] for k in np.flatnonzero(table.survivors(visit)))
        assert kept == judge(idx, visit).shifts, visit.id
    return fast


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weeks())
def test_each_visit_alone_is_timed_like_time_route_on_every_shift(problem: Problem) -> None:
    """Metres, road minutes and fit of the one-visit route, pair by pair (a difference on a
    boundary shows here even where another family would hide it in the verdicts)."""
    idx = Index(problem)
    table = AloneTable(idx)
    for visit in problem.visits:
        metres, road, fits, _ = table.alone(visit)
        for k, shift in enumerate(problem.shifts):
            timing = time_route(problem, shift, idx.worker_of(shift), [(visit, 0)])
            assert (metres[k], road[k], fits[k]) == (
                timing.metres,
                timing.road_min,
                timing.feasible,
            ), (visit.id, shift.id)


def test_both_agree_on_a_hand_made_week_with_every_reason() -> None:
    """A week where each family removes the last shift of some visit, so the one-by-one
    judgement runs for every reason. Each limit is also met exactly once ("long" is back at
    17:00 sharp because it may leave 15 minutes early; "km tie" drives 20 km of 20; "walk tie"
    walks 5 km of 5 each way, 120 minutes of 120 on the road, 180 of 180 at work): equal to
    a limit is within it."""
    day0, day1, day2, day3, day4 = ([(at(d, "08:00"), at(d, "17:00"))] for d in range(5))
    problem = make_problem(
        [0, 3, 30, 10, 5],
        [
            make_worker("w1", skills=frozenset({"tablet"}), max_km_per_day=20.0),
            make_worker("w2", has_car=False, walking_limit_km=5.0, max_road_min_per_day=10),
            make_worker("w3", max_visits_per_week=0),
            make_worker("w4", max_km_per_day=20.0),
            make_worker(
                "w5",
                has_car=False,
                walking_limit_km=5.0,
                max_road_min_per_day=120,
                max_work_min_per_week=180,
            ),
        ],
        [
            make_shift("s1", "w1"),
            make_shift("s2", "w2", day=1),
            make_shift("s3", "w3", day=2),
            make_shift("s4", "w4", day=3),
            make_shift("s5", "w5", day=4),
        ],
        [
            make_visit("ok", 1, windows=day0),
            make_visit("call", None, windows=day0 + day2),
            make_visit("sunday", 1, windows=[(at(6, "10:00"), at(6, "12:00"))]),
            make_visit("lang", 1, languages=frozenset({"ar"})),
            make_visit("skill", 1, skills=frozenset({"portal"})),
            make_visit("far", 2, windows=day0),
            make_visit("long", 1, windows=day0, duration_min=537),
            make_visit("longer", 1, windows=day0, duration_min=538),
            make_visit("walk", 2, windows=day1),
            make_visit("road", 1, windows=day1),
            make_visit("capped", 1, windows=day2),
            make_visit("km tie", 3, windows=day3),
            make_visit("walk tie", 4, windows=day4),
        ],
        lead_min=15,
    )
    fast = assert_same_verdicts(problem, {})
    assert {k: v.shifts for k, v in fast.items() if v.shifts} == {
        "ok": ("s1",),
        "call": ("s1",),
        "long": ("s1",),
        "km tie": ("s4",),
        "walk tie": ("s5",),
    }
    assert {k: v.reason.value for k, v in fast.items() if v.reason} == {
        "sunday": "no_availability",
        "lang": "no_language_match",
        "skill": "missing_skill",
        "far": "beyond_km_limit",
        "longer": "travel_does_not_fit",
        "walk": "needs_car",
        "road": "beyond_road_time_limit",
        "capped": "capacity",
    }
