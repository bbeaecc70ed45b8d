"""One test per hard rule, each built so that dropping the rule from the model breaks it.

Plans come from the search alone (``repair=False``) and are judged by the independent
checker, so a rule missing from the OR-Tools model shows as a violation here.
"""

from __future__ import annotations

from scheduler.planning import Pin
from scheduler.planning import Plan
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


def solved(problem: Problem) -> Plan:
    plan = solve(problem, repair=False)
    assert check(problem, plan) == []
    return plan


def placed(plan: Plan) -> dict[str, str]:
    return {s.visit_id: r.worker_id for r in plan.routes for s in r.stops}


def reasons(plan: Plan) -> dict[str, Reason]:
    return {u.visit_id: u.reason for u in plan.unassigned}


def test_visit_starts_and_ends_inside_its_window() -> None:
    # Both visits want 09:00-10:00, an hour apart by road: only one can be served.
    nine = [(at(0, "09:00"), at(0, "10:00"))]
    problem = make_problem(
        [0, 30, -30],
        [make_worker()],
        [make_shift()],
        [make_visit("east", 1, windows=nine), make_visit("west", 2, windows=nine)],
    )
    plan = solved(problem)
    assert plan.stats.served == 1
    stop = plan.routes[0].stops[0]
    assert (stop.start, stop.end) == (at(0, "09:00"), at(0, "10:00"))


def test_visit_uses_the_second_window_when_the_first_is_too_short() -> None:
    problem = make_problem(
        [0, 5],
        [make_worker()],
        [make_shift()],
        [
            make_visit(
                "a",
                1,
                windows=[(at(0, "08:00"), at(0, "08:30")), (at(0, "15:00"), at(0, "16:00"))],
            )
        ],
    )
    assert solved(problem).routes[0].stops[0].start == at(0, "15:00")


def test_route_is_back_home_before_the_shift_ends() -> None:
    # Two 3-hour visits 60 km apart fit in the window but not both in a 4-hour shift.
    problem = make_problem(
        [0, 60, 61],
        [make_worker()],
        [make_shift(start=at(0, "09:00"), end=at(0, "15:00"))],
        [make_visit("a", 1, duration_min=180), make_visit("b", 2, duration_min=180)],
    )
    plan = solved(problem)
    assert plan.stats.served == 1
    assert plan.routes[0].back <= at(0, "15:00")


def test_daily_km_limit_holds_across_the_day() -> None:
    problem = make_problem(
        [0, 20, -20],
        [make_worker(max_km_per_day=50)],
        [make_shift()],
        [make_visit("east", 1), make_visit("west", 2)],
    )
    plan = solved(problem)
    assert plan.stats.served == 1 and plan.stats.metres == 40_000


def test_daily_km_limit_sums_two_shifts_of_one_day() -> None:
    problem = make_problem(
        [0, 20, -20],
        [make_worker(max_km_per_day=50)],
        [
            make_shift("am", start=at(0, "08:00"), end=at(0, "12:00")),
            make_shift("pm", start=at(0, "13:00"), end=at(0, "17:00")),
        ],
        [make_visit("east", 1), make_visit("west", 2)],
    )
    assert solved(problem).stats.served == 1


def test_daily_road_minutes_limit_holds() -> None:
    problem = make_problem(
        [0, 20, -20],
        [make_worker(max_road_min_per_day=60)],
        [make_shift()],
        [make_visit("east", 1), make_visit("west", 2)],
    )
    plan = solved(problem)
    assert plan.stats.served == 1 and plan.stats.road_min == 40


def test_visits_per_day_cap_holds() -> None:
    problem = make_problem(
        [0, 1, 2],
        [make_worker(max_visits_per_day=1)],
        [make_shift()],
        [make_visit("a", 1), make_visit("b", 2)],
    )
    assert solved(problem).stats.served == 1


def test_weekly_visit_cap_holds_across_shifts() -> None:
    window = [(at(0, "08:00"), at(2, "17:00"))]
    problem = make_problem(
        [0, 1, 2],
        [make_worker(max_visits_per_week=2)],
        [make_shift("mon", day=0), make_shift("tue", day=1), make_shift("wed", day=2)],
        [make_visit(v, 1 + k % 2, windows=window, duration_min=400) for k, v in enumerate("abc")],
    )
    assert solved(problem).stats.served == 2


def test_weekly_work_minutes_cap_holds_across_shifts() -> None:
    # Each visit takes 60 minutes plus 2 on the road; 130 minutes a week allow two.
    window = [(at(0, "08:00"), at(2, "17:00"))]
    problem = make_problem(
        [0, 1],
        [make_worker(max_work_min_per_week=130)],
        [make_shift("mon", day=0), make_shift("tue", day=1), make_shift("wed", day=2)],
        [make_visit(v, 1, windows=window) for v in "abc"],
    )
    plan = solved(problem)
    assert plan.stats.served == 2
    assert sum(r.work_min for r in plan.routes) <= 130


def test_language_goes_to_a_speaker_even_if_farther() -> None:
    problem = make_problem(
        [0, 50, 1],
        [make_worker("fr", 0), make_worker("ar", 1, languages=frozenset({"ar"}))],
        [make_shift("s-fr", "fr", location=0), make_shift("s-ar", "ar", location=1)],
        [make_visit("a", 2, languages=frozenset({"ar", "ber"}))],
    )
    assert placed(solved(problem)) == {"a": "ar"}


def test_any_one_of_the_beneficiarys_languages_will_do() -> None:
    problem = make_problem(
        [0, 1],
        [make_worker("fr", 0)],
        [make_shift("s", "fr")],
        [make_visit("a", 1, languages=frozenset({"ar", "fr"}))],
    )
    assert placed(solved(problem)) == {"a": "fr"}


def test_every_required_skill_is_needed() -> None:
    problem = make_problem(
        [0, 50, 1],
        [
            make_worker("one", 0, skills=frozenset({"tablet"})),
            make_worker("both", 1, skills=frozenset({"tablet", "online_admin"})),
        ],
        [make_shift("s1", "one", location=0), make_shift("s2", "both", location=1)],
        [make_visit("a", 2, skills=frozenset({"tablet", "online_admin"}))],
    )
    assert placed(solved(problem)) == {"a": "both"}


def test_volunteer_without_car_gets_no_home_visit_beyond_walking_distance() -> None:
    problem = make_problem(
        # Walking 3 km there and back (72 min) is cheaper than driving 37 km each way.
        [0, 40, 3],
        [make_worker("walker", 0, has_car=False, walking_limit_km=2), make_worker("driver", 1)],
        [make_shift("s1", "walker", location=0), make_shift("s2", "driver", location=1)],
        [make_visit("a", 2)],
    )
    assert placed(solved(problem)) == {"a": "driver"}


def test_visit_that_needs_a_car_goes_to_a_driver() -> None:
    problem = make_problem(
        [0, 40, 1],
        [make_worker("walker", 0, has_car=False, walking_limit_km=5), make_worker("driver", 1)],
        [make_shift("s1", "walker", location=0), make_shift("s2", "driver", location=1)],
        [make_visit("laptop", 2, needs_car=True)],
    )
    assert placed(solved(problem)) == {"laptop": "driver"}


def test_pinned_visit_stays_on_its_volunteer_and_time() -> None:
    problem = make_problem(
        [0, 50, 1],
        [make_worker("near", 0), make_worker("far", 1)],
        [make_shift("s-near", "near", location=0), make_shift("s-far", "far", location=1)],
        [make_visit("a", 2, pins=(Pin("s-far", at(0, "11:00")),))],
    )
    route = solved(problem).route_of("s-far")
    assert route is not None and route.stops[0].start == at(0, "11:00")


def test_started_series_stays_with_its_volunteer() -> None:
    problem = make_problem(
        [0, 50, 1],
        [make_worker("near", 0), make_worker("far", 1)],
        [make_shift("s-near", "near", location=0), make_shift("s-far", "far", location=1)],
        [make_visit("a", 2, series_id="cycle", series_worker_id="far")],
    )
    assert placed(solved(problem)) == {"a": "far"}


def test_new_series_sessions_of_one_week_share_a_volunteer() -> None:
    # Each session alone would go to the nearest volunteer, a different one each.
    problem = make_problem(
        [0, 100, 2, 98],
        [make_worker("w1", 0), make_worker("w2", 1)],
        [
            make_shift("w1-mon", "w1", location=0),
            make_shift("w2-mon", "w2", location=1),
            make_shift("w1-tue", "w1", day=1, location=0),
            make_shift("w2-tue", "w2", day=1, location=1),
        ],
        [
            make_visit("s1", 2, series_id="cycle"),
            make_visit("s2", 3, series_id="cycle", windows=[(at(1, "08:00"), at(1, "17:00"))]),
        ],
    )
    plan = solved(problem)
    assert plan.stats.served == 2
    assert len(set(placed(plan).values())) == 1


def test_phone_call_is_never_between_two_home_visits() -> None:
    # The call's only window falls between the two more urgent visits' windows.
    problem = make_problem(
        [0, 5, 6],
        [make_worker()],
        [make_shift()],
        [
            make_visit("a", 1, windows=[(at(0, "09:00"), at(0, "10:00"))], priority=3),
            make_visit("b", 2, windows=[(at(0, "14:00"), at(0, "15:00"))], priority=3),
            make_visit("call", None, duration_min=30, windows=[(at(0, "11:00"), at(0, "12:00"))]),
        ],
    )
    plan = solved(problem)
    order = [s.visit_id for s in plan.routes[0].stops]
    assert order == ["a", "b"]
    assert [u.visit_id for u in solve(problem).unassigned] == ["call"]


def test_calls_before_and_after_the_visits_are_made_from_home() -> None:
    problem = make_problem(
        [0, 5],
        [make_worker()],
        [make_shift()],
        [
            make_visit("a", 1, windows=[(at(0, "11:00"), at(0, "12:00"))]),
            make_visit("early", None, duration_min=30, windows=[(at(0, "08:00"), at(0, "09:00"))]),
            make_visit("late", None, duration_min=30, windows=[(at(0, "15:00"), at(0, "16:00"))]),
        ],
    )
    plan = solved(problem)
    assert [s.visit_id for s in plan.routes[0].stops] == ["early", "a", "late"]
    assert plan.routes[0].metres == 10_000


def test_phone_only_shift_takes_calls_but_no_visit() -> None:
    problem = make_problem(
        [0, 1],
        [make_worker("caller", 0, has_car=False)],
        [make_shift("s", "caller", phone_only=True)],
        [make_visit("a", 1), make_visit("call", None)],
    )
    plan = solved(problem)
    assert placed(plan) == {"call": "caller"}


def test_drop_in_is_staffed_by_distinct_volunteers() -> None:
    slot = (at(1, "09:00"), at(1, "10:00"))
    problem = make_problem(
        [0, 1, 2, 3],
        [make_worker(f"w{k}", k) for k in range(3)],
        [make_shift(f"s{k}", f"w{k}", day=1, location=k) for k in range(3)],
        [make_visit("permanence", 3, kind=VisitKind.DROP_IN, windows=[slot], staff_needed=2)],
    )
    plan = solved(problem)
    seats = [(r.worker_id, s.start) for r in plan.routes for s in r.stops]
    assert len(seats) == 2 and len({w for w, _ in seats}) == 2
    assert all(start == slot[0] for _, start in seats)


def test_load_stays_within_what_a_shift_carries() -> None:
    problem = make_problem(
        [0, 1, 2],
        [make_worker()],
        [make_shift(capacity=1)],
        [make_visit("a", 1, load=1), make_visit("b", 2, load=1)],
    )
    assert solved(problem).stats.served == 1
