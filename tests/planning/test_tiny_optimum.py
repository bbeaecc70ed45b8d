"""Problems small enough to solve by hand: the planner must find the known optimum."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scheduler.planning import check
from scheduler.planning import solve
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker


def test_importing_the_engine_loads_neither_flask_nor_sqlalchemy() -> None:
    code = (
        "import sys, scheduler.planning\n"
        "bad = [m for m in ('flask', 'sqlalchemy', 'flask_babel', 'babel') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("engine", ["auto", "ortools"])
def test_one_volunteer_visits_two_homes_on_one_loop(engine: str) -> None:
    # Home at km 0, visits at km 10 and km 20: the best loop is 0 -> 10 -> 20 -> 0 = 40 km.
    problem = make_problem(
        [0, 10, 20],
        [make_worker()],
        [make_shift()],
        [make_visit("a", 1), make_visit("b", 2)],
        engine=engine,
    )
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.stats.served == 2
    assert plan.stats.metres == 40_000
    assert plan.stats.road_min == 40
    assert plan.stats.work_min == 40 + 120


@pytest.mark.parametrize("engine", ["auto", "ortools"])
def test_each_visit_goes_to_the_nearest_volunteer(engine: str) -> None:
    # Volunteer w1 lives at km 0, w2 at km 100; visits at km 5 and km 95.
    problem = make_problem(
        [0, 100, 5, 95],
        [make_worker("w1", 0), make_worker("w2", 1)],
        [make_shift("s1", "w1", location=0), make_shift("s2", "w2", location=1)],
        [make_visit("near1", 2), make_visit("near2", 3)],
        engine=engine,
    )
    plan = solve(problem)
    assert check(problem, plan) == []
    where = {s.visit_id: r.worker_id for r in plan.routes for s in r.stops}
    assert where == {"near1": "w1", "near2": "w2"}
    assert plan.stats.metres == 20_000


def test_volunteer_leaves_just_in_time_for_an_afternoon_window() -> None:
    problem = make_problem(
        [0, 30],
        [make_worker()],
        [make_shift()],
        [make_visit("a", 1, windows=[(at(0, "14:00"), at(0, "15:00"))])],
    )
    plan = solve(problem)
    route = plan.routes[0]
    assert route.stops[0].start == at(0, "14:00")
    assert route.depart == at(0, "13:30")
    assert route.back == at(0, "15:30")


def test_phone_call_costs_no_travel() -> None:
    problem = make_problem(
        [0],
        [make_worker()],
        [make_shift()],
        [make_visit("call", None, duration_min=30)],
    )
    plan = solve(problem)
    assert check(problem, plan) == []
    assert plan.stats.served == 1
    assert plan.stats.metres == 0
    assert plan.stats.work_min == 30
