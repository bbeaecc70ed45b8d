"""Every request left out comes back with a reason that is true, one test per reason code."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.planning import Pin
from scheduler.planning import Plan
from scheduler.planning import Problem
from scheduler.planning import Reason
from scheduler.planning import Unassigned
from scheduler.planning import VisitKind
from scheduler.planning import check
from scheduler.planning import solve
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def left_out(problem: Problem, visit_id: str = "a") -> Unassigned:
    plan = solve(problem)
    assert check(problem, plan) == []
    found = [u for u in plan.unassigned if u.visit_id == visit_id]
    assert found, f"{visit_id} was placed"
    return found[0]


def one_volunteer(visit_kw: dict[str, Any], worker_kw: dict[str, Any] | None = None) -> Problem:
    location = visit_kw.pop("location", 1)
    return make_problem(
        [0, 20],
        [make_worker(**(worker_kw or {}))],
        [make_shift()],
        [make_visit("a", location, **visit_kw)],
    )


def test_visit_outside_every_window_is_unassigned_with_window_reason() -> None:
    u = left_out(one_volunteer({"windows": [(at(6, "10:00"), at(6, "12:00"))]}))
    assert u.reason is Reason.NO_AVAILABILITY
    assert u.detail == {"windows": [[at(6, "10:00"), at(6, "12:00")]]}


def test_series_whose_volunteer_is_away_says_so() -> None:
    problem = make_problem(
        [0, 20],
        [make_worker("w1"), make_worker("w2")],
        [make_shift("s1", "w1"), make_shift("s2", "w2", day=3)],
        [make_visit("a", 1, series_id="cycle", series_worker_id="w2")],
    )
    u = left_out(problem)
    assert u.reason is Reason.SERIES_VOLUNTEER_UNAVAILABLE
    assert u.detail == {"worker_id": "w2"}


def test_nobody_speaking_the_language_on_an_overlapping_day() -> None:
    u = left_out(one_volunteer({"languages": frozenset({"ar"})}))
    assert u.reason is Reason.NO_LANGUAGE_MATCH
    assert u.detail == {"languages": ["ar"], "days": [0]}


def test_missing_skill_is_named() -> None:
    u = left_out(
        one_volunteer(
            {"skills": frozenset({"tablet", "school_portal"})}, {"skills": frozenset({"tablet"})}
        )
    )
    assert u.reason is Reason.MISSING_SKILL
    assert u.detail == {"skills": ["school_portal"], "days": [0]}


def test_home_beyond_walking_distance_needs_a_car() -> None:
    u = left_out(one_volunteer({}, {"has_car": False, "walking_limit_km": 2.0}))
    assert u.reason is Reason.NEEDS_CAR
    assert u.detail == {"needs_car": False, "walking_limit_km": 2.0, "km_from_home": 20.0}


def test_visit_needing_a_car_with_no_driver_free() -> None:
    u = left_out(one_volunteer({"needs_car": True, "location": 0}, {"has_car": False}))
    assert u.reason is Reason.NEEDS_CAR
    assert u.detail["needs_car"] is True


def test_round_trip_beyond_every_km_limit() -> None:
    u = left_out(one_volunteer({}, {"max_km_per_day": 30.0}))
    assert u.reason is Reason.BEYOND_KM_LIMIT
    assert u.detail == {"km": 40.0, "limit_km": 30.0}


def test_round_trip_beyond_every_road_time_limit() -> None:
    u = left_out(one_volunteer({}, {"max_road_min_per_day": 30}))
    assert u.reason is Reason.BEYOND_ROAD_TIME_LIMIT
    assert u.detail == {"minutes": 40, "limit_min": 30}


def test_travel_that_does_not_fit_the_window() -> None:
    # Overlap is fine (08:00-09:30 in an 08:00-17:00 shift) but the drive takes 20 minutes
    # each way and the window closes at 09:10 for a one-hour visit.
    u = left_out(one_volunteer({"windows": [(at(0, "07:00"), at(0, "09:10"))]}))
    assert u.reason is Reason.TRAVEL_DOES_NOT_FIT
    assert u.detail == {"shifts": 1}


def test_pin_outside_the_windows_is_a_pin_conflict() -> None:
    u = left_out(
        one_volunteer(
            {
                "windows": [(at(0, "13:00"), at(0, "15:00"))],
                "pins": (Pin("s1", at(0, "09:00")),),
            }
        )
    )
    assert u.reason is Reason.PIN_CONFLICT
    assert u.detail == {"shift_id": "s1", "start": at(0, "09:00")}


def test_second_request_in_a_full_day_is_left_out_for_capacity() -> None:
    slot = [(at(0, "10:00"), at(0, "11:00"))]
    problem = make_problem(
        [0, 20, 21],
        [make_worker()],
        [make_shift()],
        [make_visit("a", 1, windows=slot), make_visit("b", 2, windows=slot)],
    )
    plan = solve(problem)
    assert check(problem, plan) == []
    assert len(plan.unassigned) == 1
    u = plan.unassigned[0]
    assert u.reason is Reason.CAPACITY
    assert u.detail == {"bound": "schedule", "shifts": 1, "bounds": {"schedule": 1}}


def test_capacity_names_the_weekly_cap_that_blocks() -> None:
    problem = make_problem(
        [0, 1, 2],
        [make_worker(max_visits_per_week=1)],
        [make_shift("mon"), make_shift("tue", day=1)],
        [make_visit(v, 1, windows=[(at(0, "08:00"), at(1, "17:00"))]) for v in "ab"],
    )
    plan = solve(problem)
    assert [u.reason for u in plan.unassigned] == [Reason.CAPACITY]
    assert plan.unassigned[0].detail["bound"] == "visits_per_week"


def test_partially_staffed_drop_in_reports_the_missing_seats() -> None:
    slot = (at(1, "09:00"), at(1, "10:00"))
    problem = make_problem(
        [0, 1, 2],
        [make_worker("w0", 0), make_worker("w1", 1)],
        [make_shift("s0", "w0", day=1, location=0), make_shift("s1", "w1", day=1, location=1)],
        [make_visit("a", 2, kind=VisitKind.DROP_IN, windows=[slot], staff_needed=3)],
    )
    u = left_out(problem)
    assert u.reason is Reason.CAPACITY and u.seats_missing == 1
    assert u.detail["bound"] == "staff"


def test_every_reason_code_is_covered_by_a_test() -> None:
    tested = {
        Reason.NO_AVAILABILITY,
        Reason.SERIES_VOLUNTEER_UNAVAILABLE,
        Reason.NO_LANGUAGE_MATCH,
        Reason.MISSING_SKILL,
        Reason.NEEDS_CAR,
        Reason.BEYOND_KM_LIMIT,
        Reason.BEYOND_ROAD_TIME_LIMIT,
        Reason.TRAVEL_DOES_NOT_FIT,
        Reason.PIN_CONFLICT,
        Reason.CAPACITY,
        Reason.AFTER_DEADLINE,  # tests/planning/test_week_rules.py
    }
    assert tested == set(Reason)


@pytest.mark.parametrize(
    ("urgent", "calm"),
    [
        ({"priority": 3}, {"priority": 0}),
        ({"deadline": at(2, "12:00")}, {"deadline": None}),
        ({"waiting_days": 21}, {"waiting_days": 0}),
    ],
)
def test_most_pressing_request_is_served_when_capacity_is_short(
    urgent: dict[str, Any], calm: dict[str, Any]
) -> None:
    slot = [(at(0, "10:00"), at(0, "11:00"))]
    problem = make_problem(
        [0, 5, 6],
        [make_worker()],
        [make_shift()],
        # The calm request is nearer, so only the penalty can make the urgent one win.
        [
            make_visit("calm", 1, windows=slot, **calm),
            make_visit("urgent", 2, windows=slot, **urgent),
        ],
    )
    plan: Plan = solve(problem)
    assert [s.visit_id for r in plan.routes for s in r.stops] == ["urgent"]
