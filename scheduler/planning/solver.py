"""The OR-Tools routing model of a planning week: with its search's parameters
(:mod:`scheduler.planning.search`), the only place that uses OR-Tools' routing library.

Each shift is a vehicle that starts and ends at the depot nodes of its places (one node per
place, shared by the shifts there). Each seat of each visit is an optional node with a
disjunction penalty. Hard rules are named functions below, one per rule, each adding
dimensions or constraints to the model (the caps in ``solver_caps``). The model returns task
sequences per shift; timing, repair and explanations happen outside, in pure Python.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.constraint_solver import pywrapcp

from scheduler.planning.costs import COST_SCALE
from scheduler.planning.costs import assignment_cost
from scheduler.planning.costs import travel_cost
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Shift
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import Task
from scheduler.planning.search import search_parameters
from scheduler.planning.solver_caps import add_caps

START, END, PHYSICAL, PHONE = 0, 1, 2, 3
MATRIX_BUDGET = 4_000_000
"""Transits are C++ matrices while nodes² × shifts stays under this; Python callbacks above."""
Transit = Callable[[int, int], int]


@dataclass(frozen=True, slots=True)
class Seat:
    """A node of the model: one seat of a visit, its allowed shifts and its penalty."""

    task: Task
    shifts: tuple[str, ...]
    penalty: int
    pin: int | None = None


class WeekModel:
    """An OR-Tools routing model of one week, built from a problem and its seats."""

    def __init__(self, problem: Problem, idx: Index, seats: Sequence[Seat]) -> None:
        self.problem = problem
        self.idx = idx
        self.seats = list(seats)
        self.shifts = list(problem.shifts)
        n_veh = len(self.shifts)
        self.vehicle_of = {s.id: v for v, s in enumerate(self.shifts)}
        # One depot node per place where shifts start or end, shared by every shift there, as
        # in the textbook model's single depot. A node of its own for each shift's start and
        # end made every shift a vehicle class of its own, and the guided local search then
        # cycled between two plans of a Solomon week (R112: 9.6 % above the best known from
        # 3 s to 25 s, instead of going on improving).
        places = sorted(
            {s.start_location for s in self.shifts} | {s.end_location for s in self.shifts}
        )
        depot = {place: n for n, place in enumerate(places)}
        self.n_depots = len(places)
        starts = [depot[s.start_location] for s in self.shifts]
        ends = [depot[s.end_location] for s in self.shifts]
        self.manager = pywrapcp.RoutingIndexManager(
            self.n_depots + len(self.seats), n_veh, starts, ends
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.solver = self.routing.solver()
        size = self.routing.Size() + n_veh
        self.kind = [0] * size
        self.loc = [0] * size
        self.service = [0] * size
        self.seat_of = [-1] * size
        for v, shift in enumerate(self.shifts):
            start, end = self.routing.Start(v), self.routing.End(v)
            self.kind[start], self.loc[start] = START, shift.start_location
            self.kind[end], self.loc[end] = END, shift.end_location
        for k, seat in enumerate(self.seats):
            index = self.manager.NodeToIndex(self.n_depots + k)
            visit = seat.task[0]
            self.seat_of[index] = k
            self.kind[index] = PHYSICAL if visit.location is not None else PHONE
            self.loc[index] = visit.location if visit.location is not None else -1
            self.service[index] = visit.duration_min
        self.seat_index = [
            self.manager.NodeToIndex(self.n_depots + k) for k in range(len(self.seats))
        ]
        self._callbacks: dict[tuple[str, int, int, bool], int] = {}
        self._keep: list[Any] = []
        nodes = self.n_depots + len(self.seats)
        self.use_matrices = nodes * nodes * n_veh <= MATRIX_BUDGET
        if self.use_matrices:
            # The same arcs by node number, as numpy arrays: OR-Tools then reads them in C++.
            # A depot node is a plain place (neither visit nor call) for the arcs.
            seat_nodes = [self.seat_index[k] for k in range(len(self.seats))]
            self.node_kind = np.array(
                [START] * self.n_depots + [self.kind[i] for i in seat_nodes], dtype=np.int64
            )
            self.node_loc = np.array(places + [self.loc[i] for i in seat_nodes], dtype=np.int64)
            self.node_service = np.array(
                [0] * self.n_depots + [self.service[i] for i in seat_nodes], dtype=np.int64
            )
            travel = problem.travel
            self._np = {
                "minutes": np.array(travel.minutes, dtype=np.int64),
                "walk": np.array(travel.walk_minutes, dtype=np.int64),
                "metres": np.array(travel.metres, dtype=np.int64),
            }

    # -- transits ---------------------------------------------------------------------------

    def _arc(self, shift: Shift, walk: bool, what: str) -> Transit:
        """Travel of one arc for this shift's class, with phone calls placed as in
        :func:`scheduler.planning.schedule.legs`: at the start before any visit, at the end
        after the last one."""
        travel = self.problem.travel
        mat = (
            travel.metres if what == "metres" else (travel.walk_minutes if walk else travel.minutes)
        )
        kind, loc, service = self.kind, self.loc, self.service
        s_loc, e_loc = shift.start_location, shift.end_location
        with_service = what == "time"

        def arc(i: int, j: int) -> int:
            ki, kj = kind[i], kind[j]
            a = s_loc if ki == PHONE else loc[i]
            if kj == PHONE:
                b = e_loc if ki == PHYSICAL else a
            else:
                b = loc[j]
            return mat[a][b] + (service[i] if with_service else 0)

        return arc

    def _arc_matrix(self, shift: Shift, walk: bool, what: str) -> Any:
        """:meth:`_arc` for every pair of nodes at once (zero on the diagonal)."""
        name = "metres" if what == "metres" else ("walk" if walk else "minutes")
        mat = self._np[name]
        kind, loc = self.node_kind, self.node_loc
        phone = kind == PHONE
        a = np.where(phone, shift.start_location, loc)
        b = np.where(
            phone[None, :],
            np.where((kind == PHYSICAL)[:, None], shift.end_location, a[:, None]),
            loc[None, :],
        )
        out = mat[a[:, None], b]
        if what == "time":
            out = out + self.node_service[:, None]
        np.fill_diagonal(out, 0)
        return out

    def transit(self, shift: Shift, what: str) -> int:
        """A registered transit callback (``time``, ``road`` or ``metres``) for this shift."""
        walk = not self.idx.worker_of(shift).has_car
        key = (what, shift.start_location, shift.end_location, walk)
        if key not in self._callbacks and self.use_matrices:
            values = self._arc_matrix(shift, walk, what)
            self._callbacks[key] = self.routing.RegisterTransitMatrix(values.tolist())
        if key not in self._callbacks:
            arc = self._arc(shift, walk, what)

            def cb(i: int, j: int) -> int:
                return arc(i, j) if i != j else 0

            self._keep.append(cb)
            self._callbacks[key] = self.routing.RegisterTransitCallback(cb)
        return self._callbacks[key]

    # -- objective --------------------------------------------------------------------------

    def add_costs(self) -> None:
        """Travel cost per arc plus the soft cost of placing the arc's head on this shift."""
        classes: dict[tuple[object, ...], int] = {}
        soft = [s.task[0] for s in self.seats]
        has_soft = any(v.previous_worker_id or v.planned_shift_id for v in soft)
        for v, shift in enumerate(self.shifts):
            worker = self.idx.worker_of(shift)
            key: tuple[object, ...] = (shift.start_location, shift.end_location, worker.has_car)
            if has_soft:
                key = (*key, shift.id)
            if key not in classes:
                classes[key] = self._register_cost(shift, worker.has_car, has_soft)
            self.routing.SetArcCostEvaluatorOfVehicle(classes[key], v)
        for k, seat in enumerate(self.seats):
            self.routing.AddDisjunction([self.seat_index[k]], seat.penalty)

    def _register_cost(self, shift: Shift, has_car: bool, has_soft: bool) -> int:
        options = self.problem.options
        if self.use_matrices:
            minutes_m = self._arc_matrix(shift, not has_car, "road")
            metres_m = self._arc_matrix(shift, not has_car, "metres")
            km = metres_m / 1000.0 if has_car else np.zeros(metres_m.shape)
            # Same float operations as travel_cost, rounded half to even like round().
            values = np.rint(
                COST_SCALE * (options.weight_minutes * minutes_m + options.weight_km * km)
            ).astype(np.int64)
            if has_soft:
                soft = np.zeros(len(self.node_kind), dtype=np.int64)
                for k, seat in enumerate(self.seats):
                    soft[self.n_depots + k] = assignment_cost(options, seat.task[0], shift)
                values = values + soft[None, :]
            np.fill_diagonal(values, 0)
            return int(self.routing.RegisterTransitMatrix(values.tolist()))
        minutes = self._arc(shift, not has_car, "road")
        metres = self._arc(shift, not has_car, "metres")
        extra = [0] * len(self.kind)
        if has_soft:
            for index, k in enumerate(self.seat_of):
                if k >= 0:
                    extra[index] = assignment_cost(options, self.seats[k].task[0], shift)

        def cost(i: int, j: int) -> int:
            if i == j:
                return 0
            return travel_cost(options, minutes(i, j), metres(i, j), has_car) + extra[j]

        self._keep.append(cost)
        return int(self.routing.RegisterTransitCallback(cost))

    # -- hard rules -------------------------------------------------------------------------

    def add_time_windows(self) -> None:
        """Visits start inside a window and end inside it; routes stay inside their shift."""
        cbs = [self.transit(s, "time") for s in self.shifts]
        horizon = max(s.end for s in self.shifts) + 1
        self.routing.AddDimensionWithVehicleTransits(cbs, horizon, horizon, False, "time")
        time = self.routing.GetDimensionOrDie("time")
        lead = self.problem.options.lead_min
        for v, shift in enumerate(self.shifts):
            # The volunteer may leave up to ``lead`` before the shift opens, for the drive.
            time.CumulVar(self.routing.Start(v)).SetRange(max(0, shift.start - lead), shift.end)
            time.CumulVar(self.routing.End(v)).SetRange(shift.start, shift.end)
        opens = [0] + [s.start for s in self.shifts]
        for k, seat in enumerate(self.seats):
            visit = seat.task[0]
            cumul = time.CumulVar(self.seat_index[k])
            spans = sorted((w.start, w.end - visit.duration_min) for w in visit.windows)
            spans = [(a, b) for a, b in spans if a <= b]
            cumul.SetRange(spans[0][0], max(b for _, b in spans))
            reach = spans[0][1]
            for a, b in spans[1:]:
                if a > reach + 1:
                    cumul.RemoveInterval(reach + 1, a - 1)
                reach = max(reach, b)
            if seat.pin is not None:
                cumul.SetValue(seat.pin)
            elif lead > 0:
                # Every stop still starts inside its volunteer's availability.
                vehicle = self.routing.VehicleVar(self.seat_index[k])
                self.solver.Add(cumul >= self.solver.Element(opens, vehicle + 1))

    def add_eligibility(self) -> None:
        """Language, skills, car and walking distance, series and pins: allowed shifts."""
        everyone = len(self.shifts)
        for k, seat in enumerate(self.seats):
            if len(seat.shifts) < everyone:
                # -1 keeps the seat droppable; the vehicle variable is -1 when unperformed.
                allowed = [-1] + [self.vehicle_of[s] for s in seat.shifts]
                self.routing.VehicleVar(self.seat_index[k]).SetValues(allowed)

    def add_phone_placement(self) -> None:
        """No call between two in-person visits: a three-state phase per route.

        Phase 0 before any visit, 1 during visits, 2 after them. In-person visits must be in
        phase 1; a call after a visit moves to phase 2; the cap forbids going back. Shifts
        that end elsewhere than they start cap the phase at 1 (no calls after the visits).
        """
        kinds = {self.kind[self.seat_index[k]] for k in range(len(self.seats))}
        if not {PHONE, PHYSICAL} <= kinds:
            return
        kind = self.kind

        def phase(i: int, j: int) -> int:
            if kind[j] == PHYSICAL:
                return 0 if kind[i] == PHYSICAL else 1
            if kind[j] == PHONE:
                return 1 if kind[i] == PHYSICAL else 0
            return 0

        self._keep.append(phase)
        cb = self.routing.RegisterTransitCallback(phase)
        caps = [2 if s.start_location == s.end_location else 1 for s in self.shifts]
        self.routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, "phase")
        dim = self.routing.GetDimensionOrDie("phase")
        for k in range(len(self.seats)):
            index = self.seat_index[k]
            if kind[index] == PHYSICAL:
                dim.CumulVar(index).SetRange(1, 1)

    def add_caps(self) -> None:
        """Visits per day and week, work minutes per week, km and road minutes per day, load
        (:mod:`scheduler.planning.solver_caps`)."""
        add_caps(self)

    def add_series(self, series: Mapping[str, list[int]]) -> None:
        """Sessions of one series this week go to one volunteer (when both are placed)."""
        worker_ids = sorted({s.worker_id for s in self.shifts})
        number = {w: i for i, w in enumerate(worker_ids)}
        table = [-1] + [number[s.worker_id] for s in self.shifts]
        for seats in series.values():
            exprs = []
            for k in seats:
                vehicle = self.routing.VehicleVar(self.seat_index[k])
                exprs.append(self.solver.Element(table, vehicle + 1))
            for a, b in zip(exprs, exprs[1:], strict=False):
                self.solver.Add((a + 1) * (b + 1) * (a - b) == 0)

    # -- search ------------------------------------------------------------------------------

    def solve(
        self, initial: Sequence[Sequence[int]] | None, seconds: float
    ) -> list[list[int]] | None:
        """Run the search; return seat numbers per shift, or None if nothing was found."""
        params = search_parameters(self.problem.options, len(self.seats), seconds)
        if initial is not None:
            routes = [[self.seat_index[k] for k in r] for r in initial]
            start = self.routing.ReadAssignmentFromRoutes(routes, True)
            if start is not None:
                solution = self.routing.SolveFromAssignmentWithParameters(start, params)
            else:
                solution = self.routing.SolveWithParameters(params)
        else:
            solution = self.routing.SolveWithParameters(params)
        if solution is None:
            return None
        out: list[list[int]] = []
        for v in range(len(self.shifts)):
            seq: list[int] = []
            index = self.routing.Start(v)
            while True:
                index = solution.Value(self.routing.NextVar(index))
                if self.routing.IsEnd(index):
                    break
                seq.append(self.seat_of[index])
            out.append(seq)
        return out


def route_week(
    problem: Problem,
    idx: Index,
    seats: Sequence[Seat],
    initial: Sequence[Sequence[int]] | None = None,
    deadline: float | None = None,
) -> list[list[int]] | None:
    """Build the week's model with every hard rule and solve it.

    The search stops at the solution limit, or at ``deadline`` (a ``time.monotonic()``
    value; by default ``options.time_limit_s`` from now).

    :return: for each shift (in ``problem.shifts`` order) the seat numbers it serves, in
        order; ``None`` when the search found no solution at all.
    """
    if not problem.shifts or not seats:
        return [[] for _ in problem.shifts]
    model = WeekModel(problem, idx, seats)
    model.add_costs()
    model.add_time_windows()
    model.add_eligibility()
    model.add_phone_placement()
    model.add_caps()
    series: dict[str, list[int]] = {}
    for k, seat in enumerate(seats):
        visit = seat.task[0]
        if visit.series_id is not None and visit.series_worker_id is None:
            series.setdefault(visit.series_id, []).append(k)
    model.add_series({key: ks for key, ks in series.items() if len(ks) > 1})
    if deadline is None:
        deadline = time.monotonic() + problem.options.time_limit_s
    return model.solve(initial, max(0.1, deadline - time.monotonic()))
