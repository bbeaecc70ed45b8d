"""The week's OR-Tools model gives shifts that leave from the same place one depot node.

With a start node and an end node of its own for every shift, each shift was a vehicle class
of its own, and the guided local search, started from scratch on Solomon R112, cycled between
two plans 9.6 % above the best known from 3 s to 25 s. Shared depot nodes make identical
shifts one vehicle class, as in the textbook model; shifts that start and end at different
places still do (``bench/week_model.py`` prints the search's figures).
"""

from __future__ import annotations

from pathlib import Path

from bench.solomon_data import read_instance
from bench.solomon_data import to_problem
from scheduler.planning import Problem
from scheduler.planning import check
from scheduler.planning import solve
from scheduler.planning.engine import make_seats
from scheduler.planning.precheck import precheck
from scheduler.planning.schedule import Index
from scheduler.planning.solver import WeekModel
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker

R112 = Path(__file__).resolve().parents[2] / "bench" / "data" / "solomon" / "R112.txt"


def _model(problem: Problem) -> WeekModel:
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    model = WeekModel(problem, idx, seats)
    model.add_costs()
    model.add_time_windows()
    model.add_eligibility()
    model.add_phone_placement()
    model.add_caps()
    model.routing.CloseModel()
    return model


def test_identical_shifts_from_one_depot_form_one_vehicle_class() -> None:
    problem = to_problem(read_instance(R112), 1.0, engine="general")
    model = _model(problem)
    assert len(problem.shifts) == 25
    assert model.routing.GetVehicleClassesCount() == 1
    assert model.n_depots == 1


def test_shifts_sharing_an_office_as_start_and_end_keep_their_own_places() -> None:
    # Place 4 is the office: the end of w1's shift (from home 0) and both ends of w2's.
    positions = [0, 2, 5, 7, 9, 11]
    workers = [make_worker("w1", home=0), make_worker("w2", home=4), make_worker("w3", home=5)]
    shifts = [
        make_shift("s1", "w1", start_location=0, end_location=4),
        make_shift("s2", "w2", location=4),
        make_shift("s3", "w3", start_location=5, end_location=0),
    ]
    visits = [
        make_visit("a", 1, windows=[(at(0, "08:00"), at(0, "11:00"))]),
        make_visit("b", 2),
        make_visit("c", 3, windows=[(at(0, "13:00"), at(0, "17:00"))]),
        make_visit("d", 5),
        make_visit("e", 1, windows=[(at(0, "14:00"), at(0, "17:00"))]),
        make_visit("call", None, duration_min=30),
    ]
    problem = make_problem(positions, workers, shifts, visits)
    model = _model(problem)
    assert model.n_depots == 3
    plan = solve(problem)
    assert check(problem, plan) == []
    assert not plan.unassigned
