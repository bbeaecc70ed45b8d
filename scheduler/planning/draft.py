"""A plan being assembled: the routes of each shift, their timings, and cached insertion
checks that respect every rule (windows, shifts, phone placement, pins, the time grid, and
every daily and weekly cap). Every search stage edits routes through :class:`Draft`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from scheduler.planning.costs import COST_SCALE
from scheduler.planning.costs import assignment_cost
from scheduler.planning.costs import fair_share
from scheduler.planning.costs import fairness_cost
from scheduler.planning.insertion import insert_mixed
from scheduler.planning.insertion import insert_physical
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Visit
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import Task
from scheduler.planning.schedule import Timing
from scheduler.planning.schedule import legs
from scheduler.planning.schedule import time_route
from scheduler.planning.solver import Seat

Insertion = tuple[int, int, Timing] | str
"""``(extra cost, position, timing)`` of the cheapest place in a route, or the cap that blocks."""


@dataclass(slots=True)
class Draft:
    """A plan being assembled: the tasks of each shift, and their timings.

    Routes change only through :meth:`set_route`, which keeps the indexes (where each seat
    is, who holds each series) and a version per volunteer. Insertion checks are remembered
    until a route of the volunteer changes (or any route, for drop-ins and series, whose
    rules look at other volunteers), so re-trying a left-out seat costs a lookup.
    """

    problem: Problem
    idx: Index
    pins: dict[tuple[str, int], int]
    routes: dict[str, list[Task]]
    timings: dict[str, Timing]
    share: dict[str, int]
    costs: dict[str, list[tuple[list[Task], Timing, int]]] = field(default_factory=dict)
    """The costs of the last two routes of each shift priced, with the route and timing
    priced: undoing a step puts the same objects back (see :meth:`price`)."""
    where: dict[tuple[str, int], str] = field(default_factory=dict)
    series_at: dict[str, Counter[str]] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    changes: int = 0
    memo: dict[tuple[str, int, str], tuple[int, Insertion]] = field(default_factory=dict)
    sums: dict[str, tuple[int, tuple[int, int, int, int], dict[int, tuple[int, int, int, int]]]] = (
        field(default_factory=dict)
    )
    places: dict[str, list[tuple[list[Task], Timing, dict[tuple[str, int], object]]]] = field(
        default_factory=dict
    )
    """What an insertion check found in a route that depends on that route alone (its
    positions, their costs, the timings made), by shift, then route and timing it was worked
    out on (the last two of each shift), then seat: a route is replaced, never changed in
    place, so the same objects mean the same route (``insertion._remembered``). Added to only
    while a journal is open (a step of ruin and recreate, a move that may be undone): the
    greedy start and the final repair, which offer every left-out seat to every candidate
    shift once, would fill it with hundreds of megabytes on the XL week for nothing."""
    journal: list[tuple[Shift, list[Task], Timing, int]] | None = None
    slack: dict[str, list[tuple[list[Task], list[int], list[int]]]] = field(default_factory=dict)
    """``insertion.route_bounds`` of the last two routes of each shift, with the route."""
    others: dict[str, tuple[int, tuple[int, int, int, int], tuple[int, int, int, int]]] = field(
        default_factory=dict
    )
    """The week's and the day's :meth:`totals` of each shift's volunteer without that shift,
    with the volunteer's version they were added up for (every insertion check reads both)."""
    stage_cpu: dict[str, tuple[float, float]] = field(default_factory=dict)
    checks: int = 0
    fulls: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    overruns: dict[str, float] = field(default_factory=dict)
    """The most a stage's own work (building a model) went beyond the time it gave its
    solver, by stage, over the whole run: the next call deducts it from the start."""
    """Insertion checks worked out (not answered from what the draft remembers)."""
    flat: bool = False
    """Every place's trip to itself takes no time and no distance (see ``insert_mixed``)."""

    @classmethod
    def start(
        cls,
        problem: Problem,
        idx: Index,
        seats: Sequence[Seat],
        seqs: Sequence[Sequence[int]],
        strict: bool = False,
    ) -> Draft:
        """A draft from the solver's seat sequences, one per shift in problem order.

        :param strict: raise if a route cannot be timed, instead of shortening it.
        """
        pins = {(s.task[0].id, s.task[1]): s.pin for s in seats if s.pin is not None}
        draft = cls(problem, idx, pins, {}, {}, fair_share(problem))
        draft.versions = {w.id: 0 for w in problem.workers}
        travel = problem.travel
        draft.flat = all(
            travel.minutes[k][k] == travel.walk_minutes[k][k] == travel.metres[k][k] == 0
            for k in range(len(problem.locations))
        )
        for shift, seq in zip(problem.shifts, seqs, strict=True):
            draft.routes[shift.id] = []
            draft.retime(shift, [seats[k].task for k in seq], strict)
        return draft

    def retime(self, shift: Shift, tasks: list[Task], strict: bool = False) -> None:
        """Set and time one route; a route the solver got wrong loses its last tasks."""
        worker = self.idx.worker_of(shift)
        tasks = list(tasks)
        timing = time_route(self.problem, shift, worker, tasks, self.pins)
        if strict and not timing.feasible:
            raise RuntimeError(f"the search returned an untimeable route for {shift.id}")
        while not timing.feasible and tasks:
            tasks.pop()
            timing = time_route(self.problem, shift, worker, tasks, self.pins)
        self.set_route(shift, tasks, timing)

    def set_route(self, shift: Shift, tasks: list[Task], timing: Timing) -> None:
        """Replace one route (already timed), keeping every index up to date."""
        old = self.routes.get(shift.id, [])
        if self.journal is not None and shift.id in self.timings:
            self.journal.append(
                (shift, old, self.timings[shift.id], self.versions[shift.worker_id])
            )
        for visit, seat in old:
            # The seat may already sit in a route set earlier in the same exchange.
            if self.where.get((visit.id, seat)) == shift.id:
                del self.where[(visit.id, seat)]
            if visit.series_id is not None:
                self.series_at[visit.series_id][shift.worker_id] -= 1
        for visit, seat in tasks:
            self.where[(visit.id, seat)] = shift.id
            if visit.series_id is not None:
                self.series_at.setdefault(visit.series_id, Counter())[shift.worker_id] += 1
        self.routes[shift.id] = tasks
        self.timings[shift.id] = timing
        # Versions are drawn from one counter, so a value is never reused (see rollback).
        self.changes += 1
        self.versions[shift.worker_id] = self.changes

    def rollback(self) -> None:
        """Undo every route change since ``journal`` was opened, and close it."""
        journal = self.journal or []
        self.journal = None
        for shift, tasks, timing, _ in reversed(journal):
            self.set_route(shift, tasks, timing)
        # The routes are as they were: so are the remembered insertions and totals.
        for shift, _, _, version in reversed(journal):
            self.versions[shift.worker_id] = version

    def route_cost(self, shift: Shift, tasks: Sequence[Task], timing: Timing) -> int:
        """Objective share of one route: travel, soft preferences, fairness."""
        if not tasks:
            return 0
        options = self.problem.options
        has_car = self.idx.worker_of(shift).has_car
        travel = self.problem.travel
        minutes = travel.minutes if has_car else travel.walk_minutes
        metres = travel.metres
        # travel_cost over legs(), inlined (every insertion check prices a route): the same
        # trips and the same float operations in the same order, so the same cost.
        per_min = options.weight_minutes
        per_km = options.weight_km
        cost = 0
        for a, b in legs(shift, tasks):
            km = metres[a][b] / 1000.0 if has_car else 0.0
            cost += round(COST_SCALE * (per_min * minutes[a][b] + per_km * km))
        for v, _ in tasks:
            cost += assignment_cost(options, v, shift)
        return cost + fairness_cost(options, timing.work_min, self.share[shift.id])

    def placed(self) -> set[tuple[str, int]]:
        """``(visit_id, seat)`` of every task in the draft."""
        return set(self.where)

    def cost_of(self, shift: Shift) -> int:
        """The current route cost of a shift (see :meth:`price`)."""
        return self.price(shift, self.routes[shift.id], self.timings[shift.id])

    def price(self, shift: Shift, tasks: list[Task], timing: Timing) -> int:
        """:meth:`route_cost` of a route the draft holds or held, remembered for the last two
        routes of each shift: a route is replaced, never changed in place, and a step that
        is undone puts the former objects back, so its cost is known again."""
        known = self.costs.get(shift.id)
        if known is not None:
            for was, timed, cost in known:
                if was is tasks and timed is timing:
                    return cost
        cost = self.route_cost(shift, tasks, timing)
        self.costs[shift.id] = [(tasks, timing, cost), *(known[:1] if known else ())]
        return cost

    def totals(self, worker_id: str, day: int | None, skip: str) -> tuple[int, int, int, int]:
        """Visits, work minutes, metres and road minutes of a volunteer's other shifts.

        The week's and each day's sums are added up once per version of the volunteer's
        routes; the shift to skip is subtracted (every insertion check asks for both sums
        without its own shift, a different one each time).
        """
        version = self.versions[worker_id]
        known = self.sums.get(worker_id)
        if known is None or known[0] != version:
            week = [0, 0, 0, 0]
            days: dict[int, list[int]] = {}
            for shift in self.idx.shifts_of[worker_id]:
                t = self.timings[shift.id]
                n = len(self.routes[shift.id])
                one = days.setdefault(shift.day, [0, 0, 0, 0])
                for sums in (week, one):
                    sums[0] += n
                    sums[1] += t.work_min
                    sums[2] += t.metres
                    sums[3] += t.road_min
            known = (version, _four(week), {d: _four(v) for d, v in days.items()})
            self.sums[worker_id] = known
        base = known[1] if day is None else known[2].get(day, (0, 0, 0, 0))
        if skip:
            other = self.idx.shifts.get(skip)
            if other is not None and other.worker_id == worker_id:
                if day is None or other.day == day:
                    t = self.timings[skip]
                    return (
                        base[0] - len(self.routes[skip]),
                        base[1] - t.work_min,
                        base[2] - t.metres,
                        base[3] - t.road_min,
                    )
        return base

    def holders(self, visit: Visit) -> set[str]:
        """Volunteers already serving a seat of this visit."""
        return {
            self.idx.shifts[sid].worker_id
            for k in range(visit.seats)
            if (sid := self.where.get((visit.id, k))) is not None
        }

    def series_worker(self, series_id: str) -> str | None:
        """The volunteer already given a session of this series in this draft, if any."""
        counts = self.series_at.get(series_id)
        if counts:
            for worker_id, n in counts.items():
                if n > 0:
                    return worker_id
        return None

    def try_insert(self, task: Task, shift: Shift) -> Insertion:
        """Cheapest feasible ``(extra cost, position, timing)``, or the cap that blocks."""
        visit = task[0]
        shared = visit.seats > 1 or (visit.series_id is not None and visit.series_worker_id is None)
        if not shared:
            # A volunteer whose visits for the week (or that day) are all given refuses every
            # seat: answered from one count per volunteer, as ``_try_insert`` would (its first
            # rules, staff and series, only concern shared seats), without remembering it per
            # seat. Most checks of a large week end here (the final repair offers every
            # left-out seat to every candidate shift).
            full = self.full_cap(shift)
            if full is not None:
                return full
        stamp = -1 - self.changes if shared else self.versions[shift.worker_id]
        key = (visit.id, task[1], shift.id)
        known = self.memo.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        self.checks += 1
        found = self._try_insert(task, shift)
        self.memo[key] = (stamp, found)
        return found

    def known(self, task: Task, shift: Shift) -> bool:
        """True when :meth:`try_insert` would answer from what it remembers (no timing)."""
        visit = task[0]
        shared = visit.seats > 1 or (visit.series_id is not None and visit.series_worker_id is None)
        if not shared and self.full_cap(shift) is not None:
            return True
        stamp = -1 - self.changes if shared else self.versions[shift.worker_id]
        found = self.memo.get((visit.id, task[1], shift.id))
        return found is not None and found[0] == stamp

    def full_cap(self, shift: Shift) -> str | None:
        """``visits_per_week`` or ``visits_per_day`` when the volunteer of ``shift`` has no
        visit left to give that week or that day, else ``None`` (remembered per shift until
        a route of the volunteer changes: the repair asks it for every pair of a left-out
        seat and a candidate shift)."""
        version = self.versions[shift.worker_id]
        known = self.fulls.get(shift.id)
        if known is not None and known[0] == version:
            return known[1]
        worker = self.idx.worker_of(shift)
        week = worker.max_visits_per_week
        day = worker.max_visits_per_day
        found: str | None = None
        if week is not None and self.totals(worker.id, None, "")[0] >= week:
            found = "visits_per_week"
        elif day is not None and self.totals(worker.id, shift.day, "")[0] >= day:
            found = "visits_per_day"
        self.fulls[shift.id] = (version, found)
        return found

    def _try_insert(self, task: Task, shift: Shift) -> Insertion:
        visit = task[0]
        worker = self.idx.worker_of(shift)
        if visit.seats > 1 and worker.id in self.holders(visit):
            return "staff"
        if visit.series_id is not None and visit.series_worker_id is None:
            holder = self.series_worker(visit.series_id)
            if holder is not None and holder != worker.id:
                return "series"
        version = self.versions[worker.id]
        known = self.others.get(shift.id)
        if known is not None and known[0] == version:
            week, day = known[1], known[2]
        else:
            week = self.totals(worker.id, None, shift.id)
            day = self.totals(worker.id, shift.day, shift.id)
            self.others[shift.id] = (version, week, day)
        tasks = self.routes[shift.id]
        if worker.max_visits_per_week is not None:
            if week[0] + len(tasks) + 1 > worker.max_visits_per_week:
                return "visits_per_week"
        if worker.max_visits_per_day is not None:
            if day[0] + len(tasks) + 1 > worker.max_visits_per_day:
                return "visits_per_day"
        if shift.capacity is not None:
            load = visit.load
            for v, _ in tasks:
                load += v.load
            if load > shift.capacity:
                return "load"
        if visit.location is not None:
            if not tasks:
                return insert_physical(self, task, shift, week, day)
            for v, _ in tasks:
                if v.location is not None:
                    return insert_physical(self, task, shift, week, day)
        return insert_mixed(self, task, shift, week, day)


def _four(sums: list[int]) -> tuple[int, int, int, int]:
    return sums[0], sums[1], sums[2], sums[3]
