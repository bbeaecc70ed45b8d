"""Solomon VRPTW instances: reading them, turning them into planning problems, and judging
routes in double precision (the convention of the ``distance_double`` best-known values)."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from scheduler.planning import Location
from scheduler.planning import Options
from scheduler.planning import Plan
from scheduler.planning import Problem
from scheduler.planning import Reason
from scheduler.planning import Route
from scheduler.planning import Shift
from scheduler.planning import Stats
from scheduler.planning import Stop
from scheduler.planning import TravelMatrix
from scheduler.planning import Unassigned
from scheduler.planning import Visit
from scheduler.planning import VisitKind
from scheduler.planning import Window
from scheduler.planning import Worker

SCALE = 1000
"""Problem time and distance units per Solomon unit. Times are rounded up, so integer
feasibility implies feasibility in double precision."""


@dataclass(frozen=True, slots=True)
class Instance:
    """One Solomon instance; customer 0 is the depot."""

    name: str
    vehicles: int
    capacity: int
    x: tuple[float, ...]
    y: tuple[float, ...]
    demand: tuple[int, ...]
    ready: tuple[int, ...]
    due: tuple[int, ...]
    service: tuple[int, ...]

    def dist(self, a: int, b: int) -> float:
        """Euclidean distance, double precision."""
        return math.hypot(self.x[a] - self.x[b], self.y[a] - self.y[b])


def read_instance(path: Path) -> Instance:
    """Parse a Solomon text file by whitespace tokens."""
    lines = [ln.split() for ln in path.read_text().splitlines()]
    rows = [t for t in lines if t]
    name = rows[0][0]
    k = next(i for i, t in enumerate(rows) if t[0] == "NUMBER")
    vehicles, capacity = int(rows[k + 1][0]), int(rows[k + 1][1])
    data = [list(map(float, t)) for t in rows[k + 2 :] if t[0].replace(".", "").isdigit()]
    col = list(zip(*data, strict=True))
    return Instance(
        name=name,
        vehicles=vehicles,
        capacity=capacity,
        x=col[1],
        y=col[2],
        demand=tuple(int(v) for v in col[3]),
        ready=tuple(int(v) for v in col[4]),
        due=tuple(int(v) for v in col[5]),
        service=tuple(int(v) for v in col[6]),
    )


def read_bks(path: Path) -> dict[str, tuple[int, float]]:
    """``instance -> (vehicles, distance)`` from the ``distance_double`` rows."""
    out: dict[str, tuple[int, float]] = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            if row["objective_convention"] == "distance_double":
                out[row["instance"]] = (int(row["vehicles"]), float(row["distance"]))
    return out


def to_problem(
    inst: Instance,
    time_limit_s: float,
    seed: int = 0,
    solution_limit: int | None = None,
    engine: str = "auto",
) -> Problem:
    """The instance as a planning problem: one shift per vehicle, pure distance objective.

    ``engine="auto"`` takes the plain-VRPTW shortcut (PyVRP); ``"general"`` the path that
    real weeks take."""
    n = len(inst.x)
    minutes = tuple(
        tuple(0 if a == b else math.ceil(inst.dist(a, b) * SCALE) for b in range(n))
        for a in range(n)
    )
    metres = tuple(tuple(round(inst.dist(a, b) * SCALE) for b in range(n)) for a in range(n))
    travel = TravelMatrix(minutes=minutes, metres=metres, walk_minutes=minutes)
    locations = tuple(Location(str(i), inst.y[i], inst.x[i]) for i in range(n))
    horizon = inst.due[0] * SCALE
    workers = tuple(Worker(f"v{k}", home=0) for k in range(inst.vehicles))
    shifts = tuple(
        Shift(f"v{k}", f"v{k}", 0, 0, horizon, 0, 0, capacity=inst.capacity)
        for k in range(inst.vehicles)
    )
    visits = tuple(
        Visit(
            id=str(i),
            request_id=str(i),
            kind=VisitKind.HOME,
            duration_min=inst.service[i] * SCALE,
            windows=(Window(inst.ready[i] * SCALE, (inst.due[i] + inst.service[i]) * SCALE),),
            location=i,
            load=inst.demand[i],
        )
        for i in range(1, n)
    )
    # The product's options, less what plain VRPTW does not have: the objective is distance
    # alone, with no fairness, no time grid and no lead before a shift.
    options = Options(
        weight_minutes=0.0,
        weight_km=1.0,
        unserved_penalty=1_000_000.0,
        fairness=0.0,
        time_grid_min=1,
        lead_min=0,
        engine=engine,
        seed=seed,
        solution_limit=solution_limit,
        time_limit_s=time_limit_s,
    )
    return Problem(locations, travel, workers, shifts, visits, options)


def judge_routes(inst: Instance, routes: list[list[int]]) -> tuple[float, bool, str]:
    """Distance in double precision and feasibility (each customer once, capacity, time
    windows with waiting, return by the depot's due date; tolerance 1e-6)."""
    eps = 1e-6
    seen: list[int] = [c for r in routes for c in r]
    if sorted(seen) != list(range(1, len(inst.x))):
        return math.inf, False, "customers missing or repeated"
    total = 0.0
    for r in routes:
        if sum(inst.demand[c] for c in r) > inst.capacity:
            return math.inf, False, "capacity"
        t = 0.0
        here = 0
        for c in r:
            d = inst.dist(here, c)
            total += d
            t = max(t + d, inst.ready[c])
            if t > inst.due[c] + eps:
                return math.inf, False, f"late at {c}"
            t += inst.service[c]
            here = c
        d = inst.dist(here, 0)
        total += d
        if t + d > inst.due[0] + eps:
            return math.inf, False, "late at depot"
    return total, True, ""


def plan_from_routes(problem: Problem, routes: list[list[int]]) -> Plan:
    """Routes of customer numbers (a peer's answer) as a :class:`Plan` of ``problem``, each
    visit at its earliest start, so the independent checker can judge them like ours."""
    minutes = problem.travel.minutes
    visits = {int(v.id): v for v in problem.visits}
    out: list[Route] = []
    for shift, customers in zip(problem.shifts, routes, strict=False):
        here, clock, metres, road = shift.start_location, shift.start, 0, 0
        stops: list[Stop] = []
        for c in customers:
            visit = visits[c]
            assert visit.location is not None
            clock += minutes[here][visit.location]
            metres += problem.travel.metres[here][visit.location]
            road += minutes[here][visit.location]
            start = max(clock, visit.windows[0].start)
            stops.append(Stop(visit.id, start, start + visit.duration_min))
            clock = start + visit.duration_min
            here = visit.location
        clock += minutes[here][shift.end_location]
        metres += problem.travel.metres[here][shift.end_location]
        road += minutes[here][shift.end_location]
        work = road + sum(visits[c].duration_min for c in customers)
        out.append(
            Route(shift.id, shift.worker_id, shift.start, clock, tuple(stops), metres, road, work)
        )
    served = {c for r in routes[: len(problem.shifts)] for c in r}
    left = tuple(
        Unassigned(v.id, Reason.CAPACITY, {}) for v in problem.visits if int(v.id) not in served
    )
    stats = Stats(len(problem.visits), len(served), 0, 0, 0, 0, 0, 0, {}, "peer")
    return Plan(tuple(out), left, stats)
