"""The caps of the OR-Tools week model: counts, work minutes, km, road minutes, load, fairness.

Each cap is a dimension whose vehicle capacity is the cap of one shift; a volunteer's daily
or weekly cap over several shifts is a sum posted on the shifts' end cumuls. Kept apart from
:mod:`scheduler.planning.solver` (which builds the model and imports OR-Tools) so that each
module reads in one sitting; the functions take the model being built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from scheduler.planning.costs import COST_SCALE
from scheduler.planning.costs import fair_share
from scheduler.planning.problem import Shift

if TYPE_CHECKING:
    from scheduler.planning.solver import WeekModel

UNCAPPED = 1 << 40
CapOf = Callable[[Shift], int | None]
Pending = tuple[str, CapOf, list[list[int]]]


def _per_worker_caps(
    model: WeekModel, pending: list[Pending], name: str, cap_of: CapOf, by_day: bool
) -> list[int]:
    """Vehicle capacities for a dimension; the sums over a volunteer's shifts (of the same
    day when ``by_day``) are remembered in ``pending`` to be posted on the end cumuls."""
    caps = [cap_of(s) for s in model.shifts]
    groups: dict[tuple[str, int], list[int]] = {}
    for v, s in enumerate(model.shifts):
        groups.setdefault((s.worker_id, s.day if by_day else 0), []).append(v)
    pending.append((name, cap_of, list(groups.values())))
    return [UNCAPPED if c is None else c for c in caps]


def _post_sums(model: WeekModel, pending: list[Pending]) -> None:
    routing, solver = model.routing, model.solver
    for name, cap_of, groups in pending:
        dim = routing.GetDimensionOrDie(name)
        for vehicles in groups:
            cap = cap_of(model.shifts[vehicles[0]])
            if cap is None or len(vehicles) < 2:
                continue
            ends = [dim.CumulVar(routing.End(v)) for v in vehicles]
            solver.Add(solver.Sum(ends) <= cap)


def add_caps(model: WeekModel) -> None:
    """Visits per day and week, work minutes per week, km and road minutes per day, load."""
    pending: list[Pending] = []
    routing = model.routing
    worker = model.idx.worker_of
    workers = model.problem.workers
    # Unary vectors are indexed by node: the seats follow the depot nodes.
    depots = [0] * model.n_depots
    ones = depots + [1] * len(model.seats)
    loads = depots + [s.task[0].load for s in model.seats]
    if any(w.max_visits_per_day is not None for w in workers):
        cb = routing.RegisterUnaryTransitVector(ones)
        caps = _per_worker_caps(
            model, pending, "day_visits", lambda s: worker(s).max_visits_per_day, True
        )
        routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, "day_visits")
    if any(w.max_visits_per_week is not None for w in workers):
        cb = routing.RegisterUnaryTransitVector(ones)
        caps = _per_worker_caps(
            model, pending, "week_visits", lambda s: worker(s).max_visits_per_week, False
        )
        routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, "week_visits")
    fairness = model.problem.options.fairness > 0
    if fairness or any(w.max_work_min_per_week is not None for w in workers):
        cbs = [model.transit(s, "time") for s in model.shifts]
        caps = _per_worker_caps(
            model, pending, "work", lambda s: worker(s).max_work_min_per_week, False
        )
        routing.AddDimensionWithVehicleTransitAndCapacity(cbs, 0, caps, True, "work")
        if fairness:
            _add_fairness(model)
    if any(w.max_km_per_day is not None for w in workers):
        cbs = [model.transit(s, "metres") for s in model.shifts]
        caps = _per_worker_caps(
            model, pending, "metres", lambda s: _km_cap(worker(s).max_km_per_day), True
        )
        routing.AddDimensionWithVehicleTransitAndCapacity(cbs, 0, caps, True, "metres")
    if any(w.max_road_min_per_day is not None for w in workers):
        cbs = [model.transit(s, "road") for s in model.shifts]
        caps = _per_worker_caps(
            model, pending, "road", lambda s: worker(s).max_road_min_per_day, True
        )
        routing.AddDimensionWithVehicleTransitAndCapacity(cbs, 0, caps, True, "road")
    if any(loads) and any(s.capacity is not None for s in model.shifts):
        cb = routing.RegisterUnaryTransitVector(loads)
        caps = [UNCAPPED if s.capacity is None else s.capacity for s in model.shifts]
        routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, "load")
    _post_sums(model, pending)


def _add_fairness(model: WeekModel) -> None:
    share = fair_share(model.problem)
    coef = round(COST_SCALE * model.problem.options.fairness)
    dim = model.routing.GetDimensionOrDie("work")
    for v, shift in enumerate(model.shifts):
        dim.SetCumulVarSoftUpperBound(model.routing.End(v), share[shift.id], coef)


def _km_cap(km: float | None) -> int | None:
    return None if km is None else int(km * 1000)
