"""Peer solvers for the Solomon table, each run as its users would run it, one core each.

- ``ortools``: the textbook model of the OR-Tools VRPTW sample (distance arc cost, a time
  dimension with windows, capacity, parallel cheapest insertion then guided local search).
- ``pyvrp``: PyVRP's modelling interface and solver (distances and durations scaled by 1000,
  rounded up so that its routes stay feasible in double precision).
- ``vroom``: VROOM through pyvroom, one thread, durations scaled by 100 and rounded up.

Each returns routes as customer numbers; the caller measures and checks them in double
precision, the same way for everyone.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bench.solomon_data import Instance

PeerSolver = Callable[[Instance, Path, float, int], list[list[int]]]


def solve_ortools_textbook(
    inst: Instance, path: Path, seconds: float, seed: int
) -> list[list[int]]:
    """The OR-Tools sample recipe: PARALLEL_CHEAPEST_INSERTION + GUIDED_LOCAL_SEARCH."""
    from ortools.constraint_solver import pywrapcp
    from ortools.constraint_solver import routing_enums_pb2

    scale = 100
    n = len(inst.x)
    dist = [[round(inst.dist(a, b) * scale) for b in range(n)] for a in range(n)]
    time = [
        [math.ceil(inst.dist(a, b) * scale) + inst.service[a] * scale for b in range(n)]
        for a in range(n)
    ]
    manager = pywrapcp.RoutingIndexManager(n, inst.vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)

    def distance_cb(i: int, j: int) -> int:
        return dist[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def time_cb(i: int, j: int) -> int:
        return time[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def demand_cb(i: int) -> int:
        return inst.demand[manager.IndexToNode(i)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(distance_cb))
    horizon = inst.due[0] * scale
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), horizon, horizon, False, "Time")
    time_dim = routing.GetDimensionOrDie("Time")
    for node in range(1, n):
        time_dim.CumulVar(manager.NodeToIndex(node)).SetRange(
            inst.ready[node] * scale, inst.due[node] * scale
        )
    for v in range(inst.vehicles):
        time_dim.CumulVar(routing.Start(v)).SetRange(0, horizon)
        time_dim.CumulVar(routing.End(v)).SetRange(0, horizon)
    cap = routing.RegisterUnaryTransitCallback(demand_cb)
    routing.AddDimensionWithVehicleCapacity(
        cap, 0, [inst.capacity] * inst.vehicles, True, "Capacity"
    )
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(round(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return []
    routes: list[list[int]] = []
    for v in range(inst.vehicles):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        route: list[int] = []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


def solve_pyvrp(inst: Instance, path: Path, seconds: float, seed: int) -> list[list[int]]:
    """PyVRP 0.14 through its ``Model`` interface, with a runtime limit."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    scale = 1000
    n = len(inst.x)
    model = Model()
    places = [model.add_location(inst.x[i], inst.y[i]) for i in range(n)]
    depot = model.add_depot(places[0], tw_early=0, tw_late=inst.due[0] * scale)
    for c in range(1, n):
        model.add_client(
            places[c],
            delivery=[inst.demand[c]],
            service_duration=inst.service[c] * scale,
            tw_early=inst.ready[c] * scale,
            tw_late=inst.due[c] * scale,
        )
    model.add_vehicle_type(
        num_available=inst.vehicles,
        capacity=[inst.capacity],
        start_depot=depot,
        end_depot=depot,
        tw_early=0,
        tw_late=inst.due[0] * scale,
    )
    for a in range(n):
        for b in range(n):
            d = math.ceil(inst.dist(a, b) * scale)
            model.add_edge(places[a], places[b], distance=d, duration=d)
    result = model.solve(MaxRuntime(seconds), seed=seed, display=False, collect_stats=False)
    # Client k of the model is customer k + 1.
    routes = [[act.idx + 1 for act in r if act.is_client()] for r in result.best.routes()]
    return [r for r in routes if r]


def solve_vroom(inst: Instance, path: Path, seconds: float, seed: int) -> list[list[int]]:
    """VROOM with its default exploration level, one thread, bounded by ``seconds``."""
    import vroom

    scale = 100
    n = len(inst.x)
    matrix = [[math.ceil(inst.dist(a, b) * scale) for b in range(n)] for a in range(n)]
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=matrix)
    for v in range(inst.vehicles):
        problem.add_vehicle(
            vroom.Vehicle(
                id=v + 1,
                start=0,
                end=0,
                capacity=[inst.capacity],
                time_window=vroom.TimeWindow(0, inst.due[0] * scale),
            )
        )
    for c in range(1, n):
        problem.add_job(
            vroom.Job(
                id=c,
                location=c,
                default_service=inst.service[c] * scale,
                delivery=vroom.Amount([inst.demand[c]]),
                time_windows=[vroom.TimeWindow(inst.ready[c] * scale, inst.due[c] * scale)],
            )
        )
    solution = problem.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=seconds))
    routes: dict[int, list[int]] = {}
    for row in solution.routes.itertuples():
        if row.type == "job":
            routes.setdefault(int(row.vehicle_id), []).append(int(row.id))
    return list(routes.values())


PEERS: dict[str, PeerSolver] = {
    "ortools": solve_ortools_textbook,
    "pyvrp": solve_pyvrp,
    "vroom": solve_vroom,
}
