"""The independent checker catches every broken rule in a hand-altered plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from scheduler.planning import Options
from scheduler.planning import Pin
from scheduler.planning import Plan
from scheduler.planning import Problem
from scheduler.planning import Reason
from scheduler.planning import Route
from scheduler.planning import Stop
from scheduler.planning import Unassigned
from scheduler.planning import VisitKind
from scheduler.planning import check
from scheduler.planning import solve
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker

NINE = at(0, "09:00")


def one_route(problem: Problem, stops: list[tuple[str, int]], shift_id: str = "s1") -> Plan:
    """A plan with one route serving ``stops`` (visit id, start) in order, totals computed."""
    visits = {v.id: v for v in problem.visits}
    shift = next(s for s in problem.shifts if s.id == shift_id)
    worker = problem.worker(shift.worker_id)
    minutes = problem.travel.minutes if worker.has_car else problem.travel.walk_minutes
    here, metres, road, work = shift.start_location, 0, 0, 0
    physical = [k for k, (v, _) in enumerate(stops) if visits[v].location is not None]
    out = []
    for k, (vid, start) in enumerate(stops):
        visit = visits[vid]
        target = visit.location
        if target is None:
            target = here if not physical or k < physical[0] else shift.end_location
        metres += problem.travel.metres[here][target]
        road += minutes[here][target]
        here = target
        work += visit.duration_min
        out.append(Stop(vid, start, start + visit.duration_min))
    metres += problem.travel.metres[here][shift.end_location]
    road += minutes[here][shift.end_location]
    route = Route(
        shift.id, shift.worker_id, shift.start, shift.end, tuple(out), metres, road, work + road
    )
    served = {s[0] for s in stops}
    unassigned = tuple(
        Unassigned(v.id, Reason.CAPACITY, {}, v.seats) for v in problem.visits if v.id not in served
    )
    return Plan((route,), unassigned, solve(problem).stats)


def rules(problem: Problem, plan: Plan) -> set[str]:
    return {v.rule for v in check(problem, plan)}


def base_problem(**visit_kw: object) -> Problem:
    return make_problem(
        [0, 10, 12],
        [make_worker(), make_worker("w2", 0, has_car=False, walking_limit_km=1)],
        [make_shift(), make_shift("s2", "w2", day=1)],
        [
            make_visit("a", 1, **visit_kw),
            make_visit("b", 2),
            make_visit("call", None, duration_min=30),
        ],
    )


def car_problem() -> Problem:
    return make_problem(
        [0],
        [make_worker(has_car=False)],
        [make_shift()],
        [make_visit("a", 0, needs_car=True)],
    )


def test_a_sound_plan_passes() -> None:
    problem = base_problem()
    plan = one_route(problem, [("a", NINE), ("b", NINE + 65)])
    assert rules(problem, plan) == set()


CASES: list[tuple[str, Callable[[], tuple[Problem, Plan]]]] = [
    (
        "time_window",
        lambda: (
            p := base_problem(windows=[(at(0, "13:00"), at(0, "15:00"))]),
            one_route(p, [("a", NINE)]),
        ),
    ),
    ("travel_time", lambda: (p := base_problem(), one_route(p, [("a", NINE), ("b", NINE + 61)]))),
    ("shift_window", lambda: (p := base_problem(), one_route(p, [("a", at(0, "16:30"))]))),
    (
        "phone",
        lambda: (
            p := base_problem(),
            one_route(p, [("a", NINE), ("call", NINE + 70), ("b", NINE + 110)]),
        ),
    ),
    (
        "language",
        lambda: (p := base_problem(languages=frozenset({"ar"})), one_route(p, [("a", NINE)])),
    ),
    (
        "skill",
        lambda: (p := base_problem(skills=frozenset({"tablet"})), one_route(p, [("a", NINE)])),
    ),
    ("walking", lambda: (p := base_problem(), one_route(p, [("a", at(1, "11:00"))], "s2"))),
    ("car", lambda: (p := car_problem(), one_route(p, [("a", NINE)]))),
    (
        "pin",
        lambda: (p := base_problem(pins=(Pin("s1", at(0, "10:00")),)), one_route(p, [("a", NINE)])),
    ),
    ("series", lambda: (p := base_problem(series_worker_id="w2"), one_route(p, [("a", NINE)]))),
    ("time_grid", lambda: (p := base_problem(), one_route(p, [("a", NINE), ("b", NINE + 62)]))),
    ("availability", lambda: (p := base_problem(), one_route(p, [("a", at(0, "07:50"))]))),
    (
        "deadline",
        lambda: (
            p := replace(
                base_problem(deadline=at(0, "10:00")),
                options=Options(hard_deadlines=True, time_limit_s=1.0, solution_limit=5),
            ),
            one_route(p, [("a", at(0, "09:30"))]),
        ),
    ),
    (
        "locked",
        lambda: (
            p := replace(base_problem(), shifts=(make_shift(locked=True),)),
            one_route(p, [("a", NINE)]),
        ),
    ),
]


@pytest.mark.parametrize(("rule", "build"), CASES, ids=[c[0] for c in CASES])
def test_checker_reports_the_broken_rule(
    rule: str, build: Callable[[], tuple[Problem, Plan]]
) -> None:
    problem, plan = build()
    assert rule in rules(problem, plan)


def test_checker_reports_caps_and_totals() -> None:
    problem = make_problem(
        [0, 10, 12],
        [
            make_worker(
                max_visits_per_week=1,
                max_visits_per_day=1,
                max_work_min_per_week=60,
                max_km_per_day=5,
                max_road_min_per_day=5,
            )
        ],
        [make_shift(capacity=0)],
        [make_visit("a", 1, load=1), make_visit("b", 2)],
    )
    plan = one_route(problem, [("a", NINE), ("b", NINE + 62)])
    assert {
        "visits_per_week",
        "visits_per_day",
        "work_per_week",
        "km_per_day",
        "road_per_day",
        "load",
    } <= rules(problem, plan)
    bad = replace(plan, routes=(replace(plan.routes[0], metres=1),))
    assert "totals" in rules(problem, bad)


def test_checker_reports_a_volunteer_holding_two_seats_and_unexplained_gaps() -> None:
    slot = (at(0, "09:00"), at(0, "10:00"))
    problem = make_problem(
        [0, 1],
        [make_worker()],
        [make_shift()],
        [make_visit("d", 1, kind=VisitKind.DROP_IN, windows=[slot], staff_needed=2)],
    )
    stops = (Stop("d", slot[0], slot[1], 0), Stop("d", slot[0], slot[1], 1))
    route = Route("s1", "w1", at(0, "08:00"), at(0, "17:00"), stops, 2000, 2, 122)
    plan = Plan((route,), (), solve(problem).stats)
    found = rules(problem, plan)
    # Both seats at once: the second starts before the first ends, whatever the road.
    assert "drop_in" in found and "overlap" in found and "travel_time" not in found
    empty = Plan((), (), plan.stats)
    assert "coverage" in rules(problem, empty)


def test_a_stop_too_early_is_named_by_its_cause_and_charged_once() -> None:
    """A call takes no road of its own: during a visit it is an overlap, and right after
    the day's last visit it waits for the way back (calls are never made on the road),
    never a late arrival. A visit that starts before the one before it ends is an overlap
    too, and the stops after it are judged at their own times, not pushed back by it."""
    problem = base_problem()
    back = problem.travel.minutes[1][0]
    after = NINE + 60 + -(-back // 5) * 5  # the first minute on the grid once back home
    assert rules(problem, one_route(problem, [("a", NINE), ("call", NINE + 30)])) == {"overlap"}
    assert rules(problem, one_route(problem, [("a", NINE), ("call", NINE + 60)])) == {"phone_back"}
    assert rules(problem, one_route(problem, [("a", NINE), ("call", after)])) == set()
    early = one_route(problem, [("call", NINE), ("a", NINE + 15), ("b", NINE + 90)])
    assert rules(problem, early) == {"overlap"}
