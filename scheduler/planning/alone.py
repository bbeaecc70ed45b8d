"""Every visit alone on every shift at once: the precheck's candidates, in numpy.

:func:`scheduler.planning.precheck.judge` times a visit alone on each of its candidate shifts
with :func:`~scheduler.planning.schedule.time_route`: on a network of 6,000 requests and
1,200 shifts that is 1.7 million timings and 9 s of CPU, paid before any search runs. A
route that holds one task has a closed form (a trip out, one start on the grid, a trip back),
so :class:`AloneTable` keeps the shifts as arrays, with the travel rows their trips read, and
evaluates each constraint family of the precheck over all shifts at once, with the same
integer arithmetic as ``time_route``. Every family only removes shifts, so the shifts that
survive them all are the intersection of the families: the visit's candidates, in problem
order. A visit with none is judged again the straightforward way, which names the family
that removed the last shift and measures its parameters (few visits, so that costs little).
``tests/planning/test_precheck_fast.py`` compares both on random weeks.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable
from typing import Any

import numpy as np

from scheduler.planning.matrix import IntMatrix
from scheduler.planning.problem import Visit
from scheduler.planning.problem import VisitKind
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import grid_of

NOWHERE = 2**62
"""A start no window offers (far beyond any week, and still no overflow when added to)."""


def _row(matrix: IntMatrix, r: int) -> Any:
    """One row of a travel matrix as a numpy array (compact rows are read in place)."""
    row = matrix[r]
    if isinstance(row, array) and row.typecode == "i":
        return np.frombuffer(row, np.int32)
    return np.asarray(row, dtype=np.int64)


def _rows(matrix: IntMatrix, rows: Any) -> Any:
    """The given rows of a travel matrix, stacked (an empty ``(0, n)`` array for none)."""
    if not len(rows):
        return np.zeros((0, len(matrix)), dtype=np.int64)
    return np.stack([_row(matrix, int(r)) for r in rows])


class AloneTable:
    """The shifts of a problem as arrays, to judge one visit alone on all of them at once."""

    def __init__(self, idx: Index) -> None:
        problem = idx.problem
        shifts = problem.shifts
        workers = [idx.worker_of(s) for s in shifts]
        number = {w.id: k for k, w in enumerate(problem.workers)}
        self.idx = idx
        self.ids = [s.id for s in shifts]
        self.number = number
        self.worker = np.array([number[s.worker_id] for s in shifts], dtype=np.int64)
        self.start = np.array([s.start for s in shifts], dtype=np.int64)
        self.end = np.array([s.end for s in shifts], dtype=np.int64)
        self.start_loc = np.array([s.start_location for s in shifts], dtype=np.int64)
        self.end_loc = np.array([s.end_location for s in shifts], dtype=np.int64)
        self.phone_only = np.array([s.phone_only for s in shifts], dtype=bool)
        self.has_car = np.array([w.has_car for w in workers], dtype=bool)
        inf = float("inf")
        self.walk_limit = np.array([w.walking_limit_km * 1000.0 for w in workers], dtype=float)
        self.km_limit = np.array(
            [inf if w.max_km_per_day is None else w.max_km_per_day * 1000 for w in workers],
            dtype=float,
        )
        self.road_limit = np.array(
            [inf if w.max_road_min_per_day is None else w.max_road_min_per_day for w in workers],
            dtype=float,
        )
        self.work_limit = np.array(
            [inf if w.max_work_min_per_week is None else w.max_work_min_per_week for w in workers],
            dtype=float,
        )
        self.capacity = np.array(
            [inf if s.capacity is None else s.capacity for s in shifts], dtype=float
        )
        # A volunteer allowing no visit at all takes none, whatever the visit.
        self.counts_ok = np.array(
            [
                not (w.max_visits_per_week is not None and w.max_visits_per_week < 1)
                and not (w.max_visits_per_day is not None and w.max_visits_per_day < 1)
                for w in workers
            ],
            dtype=bool,
        )
        self._languages = _Classes([idx.worker_of(s).languages for s in shifts])
        self._skills = _Classes([idx.worker_of(s).skills for s in shifts])
        travel = problem.travel
        self._travel = travel
        # Trips out read the rows of the places shifts start from (a few hundred homes).
        starts, self.start_row = np.unique(self.start_loc, return_inverse=True)
        self.start_row = self.start_row.reshape(-1)
        self.out_drive = _rows(travel.minutes, starts)
        self.out_walk = _rows(travel.walk_minutes, starts)
        self.out_metres = _rows(travel.metres, starts)
        # A call is made where the shift starts, and the volunteer goes back from there.
        here, there = self.start_loc.tolist(), self.end_loc.tolist()
        self.phone_out = np.array(
            [
                (travel.minutes if car else travel.walk_minutes)[a][a]
                for a, car in zip(here, self.has_car.tolist(), strict=True)
            ],
            dtype=np.int64,
        )
        self.phone_back = np.array(
            [
                (travel.minutes if car else travel.walk_minutes)[a][b]
                for a, b, car in zip(here, there, self.has_car.tolist(), strict=True)
            ],
            dtype=np.int64,
        )
        self.phone_metres = np.array(
            [travel.metres[a][a] + travel.metres[a][b] for a, b in zip(here, there, strict=True)],
            dtype=np.int64,
        )

    def survivors(self, visit: Visit) -> Any:
        """A boolean per shift (problem order): can this shift take the visit alone?"""
        dur = visit.duration_min
        keep = np.zeros(len(self.ids), dtype=bool)
        for w in visit.windows:
            keep |= np.maximum(self.start, w.start) + dur <= np.minimum(self.end, w.end)
        if visit.is_physical:
            keep &= ~self.phone_only
        if visit.series_worker_id is not None:
            keep &= self.worker == self.number.get(visit.series_worker_id, -1)
        if visit.languages:
            keep &= self._languages.mask(visit.languages, lambda have: bool(have & visit.languages))
        if visit.skills:
            keep &= self._skills.mask(visit.skills, lambda have: visit.skills <= have)
        if not keep.any():
            return keep
        metres, road, fits, on_foot = self.alone(visit)
        # Car and walking: a volunteer on foot walks to a home visit and back within a limit.
        keep &= self.has_car if visit.needs_car else self.has_car | on_foot
        keep &= metres <= self.km_limit
        keep &= road <= self.road_limit
        keep &= fits
        keep &= self.counts_ok & (dur + road <= self.work_limit) & (visit.load <= self.capacity)
        return keep

    def alone(self, visit: Visit) -> tuple[Any, Any, Any, Any]:
        """Per shift, the route holding ``visit`` alone as ``time_route`` times it: its
        metres, its minutes on the road, whether it fits the schedule, and whether the visit
        is within the volunteer's walking limit there and back (true but for home visits)."""
        loc = visit.location
        if loc is None:
            out, back, metres = self.phone_out, self.phone_back, self.phone_metres
            on_foot = np.ones(len(self.ids), dtype=bool)
        else:
            travel = self._travel
            ends = self.end_loc
            out = np.where(
                self.has_car,
                self.out_drive[self.start_row, loc],
                self.out_walk[self.start_row, loc],
            ).astype(np.int64)
            back = np.where(
                self.has_car,
                _row(travel.minutes, loc)[ends],
                _row(travel.walk_minutes, loc)[ends],
            ).astype(np.int64)
            out_metres = self.out_metres[self.start_row, loc].astype(np.int64)
            back_metres = _row(travel.metres, loc)[ends].astype(np.int64)
            metres = out_metres + back_metres
            if visit.kind is VisitKind.HOME:
                on_foot = (out_metres <= self.walk_limit) & (back_metres <= self.walk_limit)
            else:
                on_foot = np.ones(len(self.ids), dtype=bool)
        return metres, out + back, self._fits(visit, out, back), on_foot

    def _fits(self, visit: Visit, out: Any, back: Any) -> Any:
        """The schedule of ``time_route`` for one task: leave up to ``lead_min`` early, start
        at the earliest on the grid inside a window, and be back by the shift's end."""
        options = self.idx.problem.options
        dur = visit.duration_min
        opens = self.start
        ready = np.maximum(opens - options.lead_min + out, opens)
        grid = grid_of(options, visit)
        rounded = -(-ready // grid) * grid
        best = np.full(len(self.ids), NOWHERE, dtype=np.int64)
        for w in visit.windows:
            begin = np.where(ready <= w.start, w.start, rounded)
            best = np.where((begin <= w.end - dur) & (begin < best), begin, best)
        return (best != NOWHERE) & (best + dur + back <= self.end)


class _Classes:
    """Shifts grouped by their volunteer's set (languages or skills): a test of a visit's set
    runs once per distinct volunteer set, and its mask is kept for the next visit asking."""

    def __init__(self, sets: list[frozenset[str]]) -> None:
        self.sets: list[frozenset[str]] = []
        number: dict[frozenset[str], int] = {}
        for s in sets:
            if s not in number:
                number[s] = len(self.sets)
                self.sets.append(s)
        self.of_shift = np.array([number[s] for s in sets], dtype=np.int64)
        self.masks: dict[Hashable, Any] = {}

    def mask(self, key: Hashable, test: Any) -> Any:
        found = self.masks.get(key)
        if found is None:
            per_set = np.array([test(s) for s in self.sets], dtype=bool)
            found = per_set[self.of_shift] if len(self.of_shift) else per_set[:0]
            self.masks[key] = found
        return found
