"""Identical empty shifts are offered a seat once: the repair asks one, places as if it asked all.

A VRPTW fleet is many identical vehicles waiting at one depot; the final repair offered every
customer to each of them and, on a busy core, ran out of time before reaching half the
customers. Shifts that differ in anything a rule or the objective reads are all offered.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

from scheduler.planning import Reason
from scheduler.planning.draft import Draft
from scheduler.planning.explain import build_plan
from scheduler.planning.greedy import Twins
from scheduler.planning.greedy import greedy_start
from scheduler.planning.greedy import repair
from scheduler.planning.precheck import precheck
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Worker
from scheduler.planning.schedule import Index
from scheduler.planning.seats import make_seats
from scheduler.planning.solver import Seat
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker

FLEET = 6


def _fleet(
    workers: list[Worker], visits: int = 1, penalty: float = 10_000.0, **visit: object
) -> Problem:
    """One shift per volunteer, all at the depot (place 0); visits at places 1, 2, …"""
    shifts = [make_shift(f"s{k}", w.id, location=0) for k, w in enumerate(workers)]
    places = [make_visit(f"v{k}", 1 + k, duration_min=30, **visit) for k in range(visits)]
    positions = [0, *(2 + 3 * k for k in range(visits))]
    return make_problem(positions, workers, shifts, places, fairness=0.2, unserved_penalty=penalty)


def _start(problem: Problem) -> tuple[Draft, list[Seat]]:
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    return Draft.start(problem, idx, seats, [[] for _ in problem.shifts]), seats


def _identical(count: int = FLEET) -> list[Worker]:
    return [make_worker(f"w{k}", 0, max_km_per_day=80.0) for k in range(count)]


def test_a_seat_is_checked_against_one_of_identical_empty_shifts_and_placed_as_cheaply() -> None:
    problem = _fleet(_identical(), visits=3)
    twinned, seats = _start(problem)
    still, _ = greedy_start(twinned, seats, time.monotonic() + 60)
    # Offering every shift: the insertion the stages used before (no twins).
    every, _ = _start(problem)
    assert repair(every, seats) == still == []
    # The first visit is checked against one of the six; the next ones against the shift
    # now serving a visit (no longer empty, so no longer a twin) and one of the empty rest.
    assert (twinned.checks, every.checks) == (1 + 2 + 2, FLEET * 3)
    assert twinned.where == every.where
    cost = sum(twinned.cost_of(s) for s in problem.shifts)
    assert cost == sum(every.cost_of(s) for s in problem.shifts)


def test_shifts_that_differ_in_a_volunteer_field_or_their_times_are_all_offered() -> None:
    workers = _identical()
    workers[1] = replace(workers[1], max_km_per_day=81.0)
    workers[2] = replace(workers[2], skills=frozenset({"tablet"}))
    workers[3] = replace(workers[3], has_car=False, walking_limit_km=50.0)
    problem = _fleet(workers)
    shifts = list(problem.shifts)
    shifts[4] = replace(shifts[4], end=at(0, "16:00"))
    problem = replace(problem, shifts=tuple(shifts))
    draft, seats = _start(problem)
    twins = Twins(draft)
    keys = [twins.key(s.id) for s in problem.shifts]
    assert keys[0] == keys[5] and len(set(keys)) == FLEET - 1
    greedy_start(draft, seats, time.monotonic() + 60)
    # w1, w2, w3 and s4 each differ; w0 and w5 are twins: five shifts asked of six.
    assert draft.checks == FLEET - 1


def test_a_seat_with_a_previous_volunteer_is_offered_every_identical_shift() -> None:
    # Continuity names a volunteer: the twins would not cost the same.
    problem = _fleet(_identical(), previous_worker_id="w4")
    draft, seats = _start(problem)
    greedy_start(draft, seats, time.monotonic() + 60)
    assert draft.checks == FLEET
    assert draft.where[("v0", 0)] == "s4"


def test_a_volunteer_with_another_shift_that_is_not_empty_is_not_a_twin() -> None:
    workers = _identical(3)
    shifts = [make_shift(f"s{k}", w.id, location=0) for k, w in enumerate(workers)]
    shifts.append(make_shift("s0-tue", "w0", day=1, location=0))
    visits = [
        make_visit("tue", 1, duration_min=30, windows=[(at(1, "08:00"), at(1, "17:00"))]),
        make_visit("mon", 1, duration_min=30, priority=3),
    ]
    problem = make_problem([0, 2], workers, shifts, visits)
    draft, seats = _start(problem)
    tuesday = next(s for s in seats if s.task[0].id == "tue")
    draft.retime(problem.shifts[3], [tuesday.task])
    assert draft.routes["s0-tue"]
    twins = Twins(draft)
    # w0's Monday shift is empty, but its week is not: its totals differ from w1's and w2's.
    assert twins.key("s0") is None
    assert twins.key("s1") == twins.key("s2") is not None


def test_an_explanation_counts_every_twin_with_the_answer_of_the_one_asked() -> None:
    # Leaving the visit out costs less than any trip to it: every twin has a place for it,
    # too dear; one is asked, and the explanation counts the six.
    problem = _fleet(_identical(), penalty=0.001)
    draft, seats = _start(problem)
    verdicts = precheck(problem, draft.idx)
    plan = build_plan(draft, seats, verdicts, {}, "general", True, math.inf)
    (left,) = plan.unassigned
    assert left.reason is Reason.CAPACITY
    assert left.detail["bounds"] == {"cost": FLEET}
    assert draft.checks == 1
