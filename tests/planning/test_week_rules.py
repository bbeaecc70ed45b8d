"""Rules a running week needs: leaving before availability opens, readable start times,
deadlines that are reported or kept, and locked volunteer-days."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.planning import Problem
from scheduler.planning import Reason
from scheduler.planning import VisitKind
from scheduler.planning import check
from scheduler.planning import solve
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def dropin_at_nine(**options: Any) -> Problem:
    # The volunteer is free from 9:00; the drop-in at km 20 opens at 9:00 (20 minutes away).
    return make_problem(
        [0, 20],
        [make_worker()],
        [make_shift(start=at(0, "09:00"), end=at(0, "12:00"))],
        [
            make_visit(
                "drop",
                1,
                kind=VisitKind.DROP_IN,
                duration_min=60,
                windows=[(at(0, "09:00"), at(0, "10:00"))],
            )
        ],
        **options,
    )


def test_without_a_lead_a_nine_oclock_drop_in_twenty_minutes_away_stays_unstaffed() -> None:
    problem = dropin_at_nine(lead_min=0)
    plan = solve(problem)
    assert check(problem, plan) == []
    (left,) = plan.unassigned
    assert left.reason is Reason.TRAVEL_DOES_NOT_FIT


@pytest.mark.parametrize("engine", ["auto", "general"])
def test_a_lead_lets_the_volunteer_drive_before_availability_opens(engine: str) -> None:
    problem = dropin_at_nine(lead_min=30, engine=engine)
    plan = solve(problem)
    assert check(problem, plan) == []
    (route,) = plan.routes
    assert route.depart == at(0, "08:40")
    assert route.stops[0].start == at(0, "09:00")


def test_the_first_stop_still_starts_inside_availability() -> None:
    # The beneficiary is free from 8:00, but the volunteer only from 9:00.
    problem = make_problem(
        [0, 10],
        [make_worker()],
        [make_shift(start=at(0, "09:00"))],
        [make_visit("a", 1, windows=[(at(0, "08:00"), at(0, "17:00"))])],
        lead_min=30,
    )
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.routes[0].stops[0].start == at(0, "09:00")
    assert plan.routes[0].depart == at(0, "08:50")


def test_visits_start_on_the_grid_and_travel_still_holds() -> None:
    # Home at km 0, visits at km 7 (a, by 10:00) and km 13 (b, from 10:00): without a grid
    # they would start at 9:07 and 10:01 (45-minute visits).
    problem = make_problem(
        [0, 7, 13],
        [make_worker()],
        [make_shift(start=at(0, "09:00"))],
        [
            make_visit("a", 1, duration_min=45, windows=[(at(0, "08:00"), at(0, "10:00"))]),
            make_visit("b", 2, duration_min=45, windows=[(at(0, "10:00"), at(0, "17:00"))]),
        ],
        time_grid_min=5,
    )
    plan = solve(problem)
    assert check(problem, plan) == []
    starts = [s.start for s in plan.routes[0].stops]
    assert starts == [at(0, "09:10"), at(0, "10:05")]


def test_without_a_grid_visits_start_on_arrival() -> None:
    problem = make_problem(
        [0, 7],
        [make_worker()],
        [make_shift(start=at(0, "09:00"))],
        [make_visit("a", 1, duration_min=45)],
        time_grid_min=1,
    )
    plan = solve(problem)
    assert plan.routes[0].stops[0].start == at(0, "09:07")


def test_a_drop_in_slot_keeps_its_own_start_off_the_grid() -> None:
    problem = make_problem(
        [0, 1],
        [make_worker()],
        [make_shift(start=at(0, "09:00"))],
        [
            make_visit(
                "drop",
                1,
                kind=VisitKind.DROP_IN,
                duration_min=50,
                windows=[(at(0, "09:10"), at(0, "10:00"))],
            )
        ],
        dropin_grid_min=15,
    )
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.routes[0].stops[0].start == at(0, "09:10")


def late_request(hard: bool) -> Problem:
    # Due Monday noon, but the person is only free on Tuesday (or Monday afternoon).
    return make_problem(
        [0, 5],
        [make_worker()],
        [make_shift(), make_shift("s2", day=1)],
        [
            make_visit(
                "a",
                1,
                deadline=at(0, "12:00"),
                windows=[(at(0, "13:00"), at(0, "17:00")), (at(1, "08:00"), at(1, "17:00"))],
            )
        ],
        hard_deadlines=hard,
    )


def test_a_request_placed_after_its_deadline_is_reported_late() -> None:
    problem = late_request(hard=False)
    plan = solve(problem)
    assert check(problem, plan) == []
    (late,) = plan.late
    assert late.visit_id == "a" and late.deadline == at(0, "12:00")
    assert late.end > late.deadline and late.start == plan.routes[0].stops[0].start


def test_with_hard_deadlines_a_request_that_only_fits_later_is_left_out_with_its_deadline() -> None:
    problem = late_request(hard=True)
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.routes == () and plan.late == ()
    (left,) = plan.unassigned
    assert left.reason is Reason.AFTER_DEADLINE
    assert left.detail == {"deadline": at(0, "12:00")}


def test_with_hard_deadlines_a_request_is_placed_before_its_deadline_when_it_can_be() -> None:
    problem = make_problem(
        [0, 5],
        [make_worker()],
        [make_shift(), make_shift("s2", day=1)],
        [
            make_visit(
                "a",
                1,
                deadline=at(0, "12:00"),
                windows=[(at(0, "08:00"), at(1, "17:00"))],
            ),
            # Takes Monday morning if it can: it is far more pressing otherwise.
            make_visit("b", 1, priority=3, windows=[(at(0, "08:00"), at(1, "17:00"))]),
        ],
        hard_deadlines=True,
    )
    plan = solve(problem)
    assert check(problem, plan) == []
    where = {s.visit_id: s for r in plan.routes for s in r.stops}
    assert where["a"].end <= at(0, "12:00")
    assert plan.late == ()


def test_a_locked_shift_takes_nothing_new() -> None:
    # Only w1 speaks Arabic, and w1's Monday is locked.
    problem = make_problem(
        [0, 5, 50],
        [make_worker("w1", 0, languages=frozenset({"ar", "fr"})), make_worker("w2", 2)],
        [make_shift("s1", "w1", locked=True), make_shift("s2", "w2", location=2)],
        [make_visit("a", 1), make_visit("only-w1", 1, languages=frozenset({"ar"}))],
    )
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.route_of("s1") is None
    assert [s.visit_id for s in plan.route_of("s2").stops] == ["a"]  # type: ignore[union-attr]
    (left,) = plan.unassigned
    assert left.visit_id == "only-w1" and left.reason is Reason.CAPACITY
    assert left.detail["bound"] == "locked"
