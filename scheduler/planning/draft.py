"""A plan being assembled: the routes of each shift, their timings, and cached insertion
checks that respect every rule (windows, shifts, phone placement, pins, the time grid, and
every daily and weekly cap). Every search stage edits routes through :class:`Draft`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from scheduler.planning.costs import assignment_cost
from scheduler.planning.costs import fair_share
from scheduler.planning.costs import fairness_cost
from scheduler.planning.costs import travel_cost
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
    costs: dict[str, int] = field(default_factory=dict)
    where: dict[tuple[str, int], str] = field(default_factory=dict)
    series_at: dict[str, Counter[str]] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    changes: int = 0
    memo: dict[tuple[str, int, str], tuple[int, Insertion]] = field(default_factory=dict)
    sums: dict[tuple[str, int | None, str], tuple[int, tuple[int, int, int, int]]] = field(
        default_factory=dict
    )
    journal: list[tuple[Shift, list[Task], Timing, int]] | None = None
    slack: dict[str, list[int]] = field(default_factory=dict)
    stage_cpu: dict[str, tuple[float, float]] = field(default_factory=dict)

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
        self.costs.pop(shift.id, None)
        self.slack.pop(shift.id, None)
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
        cost = sum(
            travel_cost(options, minutes[a][b], travel.metres[a][b], has_car)
            for a, b in legs(shift, tasks)
        )
        cost += sum(assignment_cost(options, v, shift) for v, _ in tasks)
        return cost + fairness_cost(options, timing.work_min, self.share[shift.id])

    def placed(self) -> set[tuple[str, int]]:
        """``(visit_id, seat)`` of every task in the draft."""
        return set(self.where)

    def cost_of(self, shift: Shift) -> int:
        """The current route cost of a shift, cached until the route changes."""
        cost = self.costs.get(shift.id)
        if cost is None:
            cost = self.route_cost(shift, self.routes[shift.id], self.timings[shift.id])
            self.costs[shift.id] = cost
        return cost

    def totals(self, worker_id: str, day: int | None, skip: str) -> tuple[int, int, int, int]:
        """Visits, work minutes, metres and road minutes of a volunteer's other shifts."""
        key = (worker_id, day, skip)
        version = self.versions[worker_id]
        known = self.sums.get(key)
        if known is not None and known[0] == version:
            return known[1]
        visits = work = metres = road = 0
        for s in self.idx.shifts_of[worker_id]:
            if s.id == skip or (day is not None and s.day != day):
                continue
            t = self.timings[s.id]
            visits += len(self.routes[s.id])
            work += t.work_min
            metres += t.metres
            road += t.road_min
        self.sums[key] = (version, (visits, work, metres, road))
        return visits, work, metres, road

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
        stamp = -1 - self.changes if shared else self.versions[shift.worker_id]
        key = (visit.id, task[1], shift.id)
        known = self.memo.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        found = self._try_insert(task, shift)
        self.memo[key] = (stamp, found)
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
        week = self.totals(worker.id, None, shift.id)
        day = self.totals(worker.id, shift.day, shift.id)
        tasks = self.routes[shift.id]
        if worker.max_visits_per_week is not None:
            if week[0] + len(tasks) + 1 > worker.max_visits_per_week:
                return "visits_per_week"
        if worker.max_visits_per_day is not None:
            if day[0] + len(tasks) + 1 > worker.max_visits_per_day:
                return "visits_per_day"
        if (
            shift.capacity is not None
            and visit.load + sum(v.load for v, _ in tasks) > shift.capacity
        ):
            return "load"
        if visit.location is not None and all(v.location is not None for v, _ in tasks):
            return self._insert_physical(task, shift, week, day)
        old = self.cost_of(shift)
        best: tuple[int, int, Timing] | None = None
        blocked: str | None = None
        starts = self.timings[shift.id].starts
        latest = max(w.end for w in visit.windows) - visit.duration_min
        # In-person visits stay contiguous (no call between two of them): a call goes before
        # the first visit or after the last, a visit next to the others. The other positions
        # cannot be timed; they are skipped without timing them.
        physical = [k for k, (v, _) in enumerate(tasks) if v.location is not None]
        lo, hi = (physical[0], physical[-1] + 1) if physical else (0, len(tasks))
        call = visit.location is None
        for pos in range(len(tasks) + 1):
            # Earlier tasks keep their earliest times, so a visit that must start before the
            # previous task ends fits neither here nor later.
            if pos > 0 and starts[pos - 1] + tasks[pos - 1][0].duration_min > latest:
                break
            if physical and (lo < pos < hi if call else not lo <= pos <= hi):
                continue
            seq = [*tasks[:pos], task, *tasks[pos:]]
            timing = time_route(self.problem, shift, worker, seq, self.pins)
            if not timing.feasible:
                continue
            failure = _cap_failure(worker_caps(self, shift), week, day, timing)
            if failure is not None:
                blocked = blocked or failure
                continue
            extra = self.route_cost(shift, seq, timing) - old
            if best is None or extra < best[0]:
                best = (extra, pos, timing)
        return best if best is not None else (blocked or "schedule")

    def _latest_starts(self, shift: Shift) -> list[int]:
        """For each stop of a route (and the way home, last), the latest minute it may start
        so that the rest of the route can still be served: a bound used to skip insertions
        that cannot be timed."""
        known = self.slack.get(shift.id)
        if known is not None:
            return known
        tasks = self.routes[shift.id]
        worker = self.idx.worker_of(shift)
        travel = self.problem.travel
        minutes = travel.minutes if worker.has_car else travel.walk_minutes
        out = [0] * (len(tasks) + 1)
        out[-1] = shift.end
        nxt = shift.end_location
        for k in range(len(tasks) - 1, -1, -1):
            visit, seat = tasks[k]
            here = visit.location if visit.location is not None else nxt
            bound = out[k + 1] - minutes[here][nxt] - visit.duration_min
            pinned = self.pins.get((visit.id, seat))
            latest = max(w.end for w in visit.windows) - visit.duration_min
            out[k] = min(bound, latest if pinned is None else pinned)
            nxt = here
        self.slack[shift.id] = out
        return out

    def _insert_physical(
        self,
        task: Task,
        shift: Shift,
        week: tuple[int, int, int, int],
        day: tuple[int, int, int, int],
    ) -> Insertion:
        """:meth:`_try_insert` for an in-person visit into a route of in-person visits only.

        Then inserting at a position replaces one trip by two, so the extra cost, distance
        and road time of every position are exact without timing the route; positions are
        timed cheapest first and the first that keeps every rule is the answer (the same
        answer as timing every position, ties going to the earlier position).
        """
        visit = task[0]
        assert visit.location is not None
        loc = visit.location
        worker = self.idx.worker_of(shift)
        options = self.problem.options
        travel = self.problem.travel
        minutes = travel.minutes if worker.has_car else travel.walk_minutes
        metres_m = travel.metres
        has_car = worker.has_car
        tasks = self.routes[shift.id]
        now = self.timings[shift.id]
        share = self.share[shift.id]
        starts = now.starts
        latest = max(w.end for w in visit.windows) - visit.duration_min
        places = [shift.start_location]
        places += [v.location for v, _ in tasks if v.location is not None]
        places.append(shift.end_location)
        base = fairness_cost(options, now.work_min, share) if tasks else 0
        fixed = assignment_cost(options, visit, shift)
        caps = worker_caps(self, shift)
        latest_start = self._latest_starts(shift)
        ready = shift.start - options.lead_min
        windows = [(w.start, w.end - visit.duration_min) for w in visit.windows]
        options_: list[tuple[int, int, int, int, int]] = []
        for pos in range(len(tasks) + 1):
            if pos > 0 and starts[pos - 1] + tasks[pos - 1][0].duration_min > latest:
                break
            a, b = places[pos], places[pos + 1]
            # Necessary for a feasible timing (checked before any cost, it is cheaper): the
            # new visit can start in a window, and the next stop (or the way home) is
            # reached by its latest start.
            leave = starts[pos - 1] + tasks[pos - 1][0].duration_min if pos else ready
            arrive = max(leave + minutes[a][loc], shift.start)
            begin = min(
                (max(arrive, w0) for w0, w1 in windows if max(arrive, w0) <= w1), default=None
            )
            if begin is None or begin + visit.duration_min + minutes[loc][b] > latest_start[pos]:
                continue
            road = minutes[a][loc] + minutes[loc][b] - minutes[a][b]
            dist = metres_m[a][loc] + metres_m[loc][b] - metres_m[a][b]
            cost = (
                travel_cost(options, minutes[a][loc], metres_m[a][loc], has_car)
                + travel_cost(options, minutes[loc][b], metres_m[loc][b], has_car)
                - (travel_cost(options, minutes[a][b], metres_m[a][b], has_car) if tasks else 0)
            )
            work = now.work_min + visit.duration_min + road if tasks else 0
            if not tasks:
                # An empty route has no trip to replace and no work yet.
                work = visit.duration_min + minutes[a][loc] + minutes[loc][b]
            cost += fixed + fairness_cost(options, work, share) - base
            options_.append((cost, pos, dist, road, work))
        blocked: list[tuple[int, str]] = []
        for cost, pos, dist, road, work in sorted(options_):
            metres = (now.metres if tasks else 0) + dist
            road_min = (now.road_min if tasks else 0) + road
            failure = _cap_totals(caps, week, day, work, metres, road_min)
            if failure is not None:
                blocked.append((pos, failure))
                continue
            seq = [*tasks[:pos], task, *tasks[pos:]]
            timing = time_route(self.problem, shift, worker, seq, self.pins)
            if timing.feasible:
                return cost, pos, timing
        for pos, failure in sorted(blocked):
            seq = [*tasks[:pos], task, *tasks[pos:]]
            if time_route(self.problem, shift, worker, seq, self.pins).feasible:
                return failure
        return "schedule"


def worker_caps(draft: Draft, shift: Shift) -> tuple[float | None, float | None, float | None]:
    """Weekly work minutes, daily metres and daily road minutes caps of a shift's volunteer."""
    w = draft.idx.worker_of(shift)
    km = None if w.max_km_per_day is None else w.max_km_per_day * 1000
    return w.max_work_min_per_week, km, w.max_road_min_per_day


def _cap_failure(
    caps: tuple[float | None, float | None, float | None],
    week: tuple[int, int, int, int],
    day: tuple[int, int, int, int],
    timing: Timing,
) -> str | None:
    return _cap_totals(caps, week, day, timing.work_min, timing.metres, timing.road_min)


def _cap_totals(
    caps: tuple[float | None, float | None, float | None],
    week: tuple[int, int, int, int],
    day: tuple[int, int, int, int],
    work_min: int,
    metres: int,
    road_min: int,
) -> str | None:
    work_cap, metre_cap, road_cap = caps
    if work_cap is not None and week[1] + work_min > work_cap:
        return "work_min_per_week"
    if metre_cap is not None and day[2] + metres > metre_cap:
        return "km_per_day"
    if road_cap is not None and day[3] + road_min > road_cap:
        return "road_min_per_day"
    return None
