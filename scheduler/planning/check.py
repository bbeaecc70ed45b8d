"""An independent checker: re-verifies every hard rule of a plan from the problem alone.

It shares no code with the solver path on purpose (no OR-Tools, and not the scheduling code
that times routes), so a mistake there cannot hide here. Tests and benchmarks trust it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scheduler.planning.plan import Plan
from scheduler.planning.plan import Route
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Visit
from scheduler.planning.problem import VisitKind
from scheduler.planning.problem import Worker


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken rule: its name and what was seen."""

    rule: str
    message: str


class _Checker:
    def __init__(self, problem: Problem, plan: Plan) -> None:
        self.problem = problem
        self.plan = plan
        self.shifts = {s.id: s for s in problem.shifts}
        self.workers = {w.id: w for w in problem.workers}
        self.visits = {v.id: v for v in problem.visits}
        self.out: list[Violation] = []

    def fail(self, rule: str, message: str) -> None:
        self.out.append(Violation(rule, message))

    def run(self) -> list[Violation]:
        seen_shifts: set[str] = set()
        for route in self.plan.routes:
            shift = self.shifts.get(route.shift_id)
            if shift is None or route.shift_id in seen_shifts:
                self.fail("shift", f"route for unknown or repeated shift {route.shift_id}")
                continue
            seen_shifts.add(route.shift_id)
            if route.worker_id != shift.worker_id:
                self.fail("shift", f"route {route.shift_id} names the wrong volunteer")
            self.check_route(route, shift, self.workers[shift.worker_id])
        self.check_coverage()
        self.check_caps()
        self.check_series()
        return self.out

    def check_route(self, route: Route, shift: Shift, worker: Worker) -> None:
        travel = self.problem.travel
        minutes = travel.minutes if worker.has_car else travel.walk_minutes
        visits = []
        for stop in route.stops:
            visit = self.visits.get(stop.visit_id)
            if visit is None:
                self.fail("visit", f"unknown visit {stop.visit_id}")
                return
            visits.append(visit)
        physical = [k for k, v in enumerate(visits) if v.kind is not VisitKind.PHONE]
        if physical:
            first, last = physical[0], physical[-1]
            if any(visits[k].kind is VisitKind.PHONE for k in range(first, last + 1)):
                self.fail("phone", f"{shift.id}: a call sits between two in-person visits")
            if last < len(visits) - 1 and shift.start_location != shift.end_location:
                self.fail("phone", f"{shift.id}: calls after visits on a shift ending elsewhere")
            if shift.phone_only:
                self.fail("phone_only", f"{shift.id}: in-person visit on a phone-only shift")
        # Walk the route: where the volunteer is, and the earliest they can be anywhere.
        here = shift.start_location
        clock = route.depart
        options = self.problem.options
        if route.depart < shift.start - options.lead_min:
            self.fail("shift_window", f"{shift.id}: leaves before the shift starts")
        pinned = self.pinned_to(shift.id)
        if shift.locked and any((s.visit_id, s.seat) not in pinned for s in route.stops):
            self.fail("locked", f"{shift.id} is locked but carries a stop not pinned to it")
        metres = road = work = 0
        for k, (stop, visit) in enumerate(zip(route.stops, visits, strict=True)):
            if visit.kind is VisitKind.PHONE:
                target = here if not physical or k < physical[0] else shift.end_location
            else:
                assert visit.location is not None
                target = visit.location
            # When the stop before this one is over: starting earlier is no matter of travel.
            free, moved = clock, target != here
            if moved:
                clock += minutes[here][target]
                metres += travel.metres[here][target]
                road += minutes[here][target]
                here = target
            self.check_arrival(shift, visit, stop.start, free if k else None, clock, moved)
            if stop.start < shift.start:
                self.fail("availability", f"{visit.id} starts before {shift.id} opens")
            self.check_time(visit, stop.start, stop.end, (stop.visit_id, stop.seat) in pinned)
            if stop.end != stop.start + visit.duration_min:
                self.fail("duration", f"{visit.id}: wrong end time")
            if not any(w.start <= stop.start and stop.end <= w.end for w in visit.windows):
                self.fail("time_window", f"{visit.id} at {stop.start} is outside its windows")
            # Each stop is judged at its own time: one that starts too early is said once,
            # and the stops after it are not charged with it again.
            clock = max(free, stop.start + visit.duration_min)
            work += visit.duration_min
            self.check_fit(shift, worker, visit, stop.start)
        if here != shift.end_location:
            clock += minutes[here][shift.end_location]
            metres += travel.metres[here][shift.end_location]
            road += minutes[here][shift.end_location]
        if clock > route.back or route.back > shift.end:
            self.fail("shift_window", f"{shift.id}: back after the shift ends")
        if (metres, road, work + road) != (route.metres, route.road_min, route.work_min):
            self.fail("totals", f"{shift.id}: route totals do not add up")
        load = sum(v.load for v in visits)
        if shift.capacity is not None and load > shift.capacity:
            self.fail("load", f"{shift.id}: carries {load} > {shift.capacity}")

    def check_arrival(
        self, shift: Shift, visit: Visit, start: int, free: int | None, arrival: int, moved: bool
    ) -> None:
        """A stop starting too early, named by its cause: the stop before it is not over
        (``overlap``); a call after the day's in-person visits, made back where the day
        ends, before the volunteer is back there (``phone_back``: a call is never made on
        the road); or the drive from the stop before (``travel_time``)."""
        if start >= arrival:
            return
        if free is not None and start < free:
            self.fail("overlap", f"{shift.id}: {visit.id} starts before the stop before it ends")
        elif visit.kind is VisitKind.PHONE and moved:
            self.fail("phone_back", f"{shift.id}: call {visit.id} before the way back is over")
        else:
            self.fail("travel_time", f"{shift.id}: {visit.id} starts before arrival")

    def pinned_to(self, shift_id: str) -> set[tuple[str, int]]:
        """``(visit_id, seat)`` of the seats pinned to this shift."""
        if not hasattr(self, "_pinned"):
            self._pinned: dict[str, set[tuple[str, int]]] = defaultdict(set)
            for v in self.problem.visits:
                for k, pin in enumerate(v.pins):
                    self._pinned[pin.shift_id].add((v.id, k))
        return self._pinned.get(shift_id, set())

    def check_time(self, visit: Visit, start: int, end: int, pinned: bool) -> None:
        """Readable start times, and hard deadlines."""
        options = self.problem.options
        grid = options.dropin_grid_min if visit.kind is VisitKind.DROP_IN else options.time_grid_min
        readable = (
            grid <= 1
            or start % grid == 0
            or any(w.start == start for w in visit.windows)
            or (pinned and any(p.start == start for p in visit.pins))
        )
        if not readable:
            self.fail("time_grid", f"{visit.id} starts at {start}, off the {grid}-minute grid")
        if options.hard_deadlines and visit.deadline is not None and end > visit.deadline:
            self.fail("deadline", f"{visit.id} ends at {end}, after its deadline {visit.deadline}")

    def check_fit(self, shift: Shift, worker: Worker, visit: Visit, start: int) -> None:
        if visit.languages and not visit.languages & worker.languages:
            self.fail("language", f"{worker.id} speaks no language of {visit.id}")
        if not visit.skills <= worker.skills:
            self.fail("skill", f"{worker.id} lacks a skill for {visit.id}")
        if not worker.has_car:
            if visit.needs_car:
                self.fail("car", f"{visit.id} needs a car; {worker.id} has none")
            elif visit.kind is VisitKind.HOME and visit.location is not None:
                m = self.problem.travel.metres
                limit = worker.walking_limit_km * 1000
                if (
                    m[shift.start_location][visit.location] > limit
                    or m[visit.location][shift.end_location] > limit
                ):
                    self.fail("walking", f"{visit.id} is beyond {worker.id}'s walking distance")
        if visit.series_worker_id is not None and worker.id != visit.series_worker_id:
            self.fail("series", f"{visit.id} belongs to {visit.series_worker_id}'s series")

    def check_coverage(self) -> None:
        seats: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        for route in self.plan.routes:
            for stop in route.stops:
                seats[stop.visit_id].append((stop.seat, route.shift_id, stop.start))
        left = {u.visit_id: u for u in self.plan.unassigned}
        for visit in self.problem.visits:
            placed = seats.get(visit.id, [])
            numbers = [s for s, _, _ in placed]
            if len(set(numbers)) != len(numbers) or any(not 0 <= s < visit.seats for s in numbers):
                self.fail("coverage", f"{visit.id}: a seat is served twice or does not exist")
            workers = [self.shifts[sid].worker_id for _, sid, _ in placed]
            if len(set(workers)) != len(workers):
                self.fail("drop_in", f"{visit.id}: one volunteer holds two seats")
            missing = visit.seats - len(placed)
            u = left.get(visit.id)
            if (u.seats_missing if u else 0) != missing:
                self.fail("coverage", f"{visit.id}: {missing} seats missing but not explained")
            where = {s: (sid, start) for s, sid, start in placed}
            for k, pin in enumerate(visit.pins):
                if k in where and where[k] != (pin.shift_id, pin.start):
                    self.fail("pin", f"{visit.id}: confirmed slot moved")

    def check_caps(self) -> None:
        week: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        day: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        for route in self.plan.routes:
            shift = self.shifts[route.shift_id]
            w = week[shift.worker_id]
            w[0] += len(route.stops)
            w[1] += route.work_min
            d = day[(shift.worker_id, shift.day)]
            d[0] += len(route.stops)
            d[1] += route.metres
            d[2] += route.road_min
        for wid, (visits, work) in week.items():
            worker = self.workers[wid]
            if worker.max_visits_per_week is not None and visits > worker.max_visits_per_week:
                self.fail("visits_per_week", f"{wid}: {visits} visits this week")
            if worker.max_work_min_per_week is not None and work > worker.max_work_min_per_week:
                self.fail("work_per_week", f"{wid}: {work} minutes of work this week")
        for (wid, d_), (visits, metres, road) in day.items():
            worker = self.workers[wid]
            if worker.max_visits_per_day is not None and visits > worker.max_visits_per_day:
                self.fail("visits_per_day", f"{wid}: {visits} visits on day {d_}")
            if worker.max_km_per_day is not None and metres > worker.max_km_per_day * 1000:
                self.fail("km_per_day", f"{wid}: {metres / 1000:.1f} km on day {d_}")
            if worker.max_road_min_per_day is not None and road > worker.max_road_min_per_day:
                self.fail("road_per_day", f"{wid}: {road} minutes on the road on day {d_}")

    def check_series(self) -> None:
        by_series: dict[str, set[str]] = defaultdict(set)
        for route in self.plan.routes:
            for stop in route.stops:
                visit = self.visits.get(stop.visit_id)
                if visit is not None and visit.series_id is not None:
                    by_series[visit.series_id].add(route.worker_id)
        for sid, workers in by_series.items():
            if len(workers) > 1:
                self.fail("series", f"series {sid} is split between {sorted(workers)}")


def check(problem: Problem, plan: Plan) -> list[Violation]:
    """Every hard rule the plan breaks; an empty list means the plan is feasible."""
    return _Checker(problem, plan).run()
