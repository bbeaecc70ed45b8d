"""Timing one route: where the volunteer is, when each visit starts, and the route's totals.

Phone calls have no place of their own. A call made before the first in-person visit is made
from the shift's start location; a call after the last one is made back at the end location
(only allowed when the shift starts and ends at the same place); never in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.planning.problem import Options
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Visit
from scheduler.planning.problem import VisitKind
from scheduler.planning.problem import Worker

Task = tuple[Visit, int]
"""A visit and a seat number (0 except for drop-ins)."""


@dataclass(frozen=True, slots=True)
class Timing:
    """A route timed at the earliest, with departure pushed as late as that allows."""

    feasible: bool
    failure: str
    depart: int
    back: int
    starts: tuple[int, ...]
    metres: int
    road_min: int
    work_min: int


class Index:
    """Lookups by id over a problem, built once per run."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.workers: dict[str, Worker] = {w.id: w for w in problem.workers}
        self.shifts: dict[str, Shift] = {s.id: s for s in problem.shifts}
        self.visits: dict[str, Visit] = {v.id: v for v in problem.visits}
        self.shifts_of: dict[str, list[Shift]] = {w.id: [] for w in problem.workers}
        for s in problem.shifts:
            self.shifts_of[s.worker_id].append(s)
        # Shift numbers by start, to find the shifts overlapping a window quickly.
        self.shift_order = sorted(range(len(problem.shifts)), key=lambda k: problem.shifts[k].start)
        self.shift_starts = [problem.shifts[k].start for k in self.shift_order]
        self.longest_shift = max((s.end - s.start for s in problem.shifts), default=0)

    def worker_of(self, shift: Shift) -> Worker:
        """The volunteer who works this shift."""
        return self.workers[shift.worker_id]


def legs(shift: Shift, tasks: Sequence[Task]) -> list[tuple[int, int]]:
    """The trips of a route as ``(from, to)`` location pairs; one per task, plus the way back.

    A trip of a task is the one made just before it (``from == to`` when there is none).
    """
    last_physical = max((k for k, (v, _) in enumerate(tasks) if v.location is not None), default=-1)
    here = shift.start_location
    out: list[tuple[int, int]] = []
    for k, (visit, _) in enumerate(tasks):
        if visit.location is not None:
            out.append((here, visit.location))
            here = visit.location
        elif k > last_physical >= 0:
            out.append((here, shift.end_location))
            here = shift.end_location
        else:
            out.append((here, here))
    out.append((here, shift.end_location))
    return out


def phone_order_ok(shift: Shift, tasks: Sequence[Task]) -> bool:
    """True when no call sits between two in-person visits, and calls after the visits are
    made where the shift both starts and ends."""
    kinds = [v.location is not None for v, _ in tasks]
    if True not in kinds:
        return True
    first = kinds.index(True)
    last = len(kinds) - 1 - kinds[::-1].index(True)
    if not all(kinds[first : last + 1]):
        return False
    return last == len(kinds) - 1 or shift.start_location == shift.end_location


def grid_of(options: Options, visit: Visit) -> int:
    """The minute grid a visit starts on (1 when there is none)."""
    g = options.dropin_grid_min if visit.kind is VisitKind.DROP_IN else options.time_grid_min
    return g if g > 1 else 1


def earliest_start(visit: Visit, ready: int, grid: int) -> int | None:
    """The first readable minute at or after ``ready`` at which the whole visit fits in one
    of its windows, or ``None``."""
    best: int | None = None
    for w in visit.windows:
        if ready <= w.start:
            begin = w.start
        else:
            begin = ready if grid == 1 else -(-ready // grid) * grid
        if begin <= w.end - visit.duration_min and (best is None or begin < best):
            best = begin
    return best


def time_route(
    problem: Problem,
    shift: Shift,
    worker: Worker,
    tasks: Sequence[Task],
    pins: dict[tuple[str, int], int] | None = None,
) -> Timing:
    """Earliest feasible times for ``tasks`` in this order, or the first rule that fails.

    ``pins`` maps ``(visit_id, seat)`` to a fixed start minute. The trips are those of
    :func:`legs`, walked in one pass (this is the innermost loop of the repair). The
    volunteer may leave up to ``options.lead_min`` before the shift starts, but no stop
    starts before it; unpinned stops start on their grid (:func:`earliest_start`).
    """
    options = problem.options
    minutes = problem.travel.minutes if worker.has_car else problem.travel.walk_minutes
    metres_m = problem.travel.metres
    grid = options.time_grid_min
    drop_in = VisitKind.DROP_IN
    if not pins:
        pins = None
    # Phone order: in-person visits must be contiguous; calls after them need a round trip.
    first = last = -1
    order_ok = True
    for k, (visit, _) in enumerate(tasks):
        if visit.location is not None:
            if first < 0:
                first = k
            elif last != k - 1:
                order_ok = False
            last = k
    end_loc = shift.end_location
    if order_ok and last >= 0 and last != len(tasks) - 1:
        order_ok = shift.start_location == end_loc
    here = shift.start_location
    opens = shift.start
    t = opens - options.lead_min
    road = metres = work = 0
    starts: list[int] = []
    feasible = order_ok
    first_trip = 0
    for k, (visit, seat) in enumerate(tasks):
        loc = visit.location
        if loc is not None:
            to = loc
        elif k > last >= 0:
            to = end_loc
        else:
            to = here
        trip = minutes[here][to]
        if k == 0:
            first_trip = trip
        road += trip
        metres += metres_m[here][to]
        here = to
        duration = visit.duration_min
        work += duration
        if not feasible:
            continue
        arrival = t + trip
        ready = arrival if arrival > opens else opens
        start: int | None = None
        if pins is not None and (pinned := pins.get((visit.id, seat))) is not None:
            if pinned >= ready and any(
                w.start <= pinned <= w.end - duration for w in visit.windows
            ):
                start = pinned
        elif visit.kind is drop_in:
            start = earliest_start(visit, ready, grid_of(options, visit))
        else:
            for w in visit.windows:
                if ready <= w.start:
                    begin = w.start
                else:
                    begin = ready if grid <= 1 else -(-ready // grid) * grid
                if begin <= w.end - duration and (start is None or begin < start):
                    start = begin
        if start is None:
            feasible = False
            continue
        starts.append(start)
        t = start + duration
    trip = minutes[here][end_loc]
    road += trip
    metres += metres_m[here][end_loc]
    work += road
    if not order_ok:
        return Timing(False, "phone_order", 0, 0, (), metres, road, work)
    back = t + trip
    if not feasible or back > shift.end:
        return Timing(False, "schedule", 0, 0, (), metres, road, work)
    # Leave just in time for the first visit instead of waiting on the doorstep.
    depart = starts[0] - first_trip if tasks else opens
    return Timing(True, "", depart, back, tuple(starts), metres, road, work)
