"""Large weeks, one day at a time: the OR-Tools model re-optimises a day, the others fixed.

The week's model is exact but its search slows down as it grows. A day holds a fifth of the
seats and of the shifts, where guided local search is quick. Each day's sub-problem keeps
every rule: daily caps as they are, weekly caps reduced by what the other days already use,
series tied to the volunteer who holds them on another day. A day's new routes replace the
old ones only when the week's objective improves.
"""

from __future__ import annotations

import time
from dataclasses import replace

from scheduler.planning.deadline import Deadline
from scheduler.planning.draft import Draft
from scheduler.planning.portfolio import is_plain_vrptw
from scheduler.planning.portfolio import solve_plain
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Worker
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import Task
from scheduler.planning.schedule import Timing
from scheduler.planning.schedule import time_route
from scheduler.planning.solver import Seat
from scheduler.planning.solver import route_week


def improve_by_day(
    draft: Draft, seats: list[Seat], deadline: float, sweeps: int | None = None
) -> bool:
    """Sweep the days, re-optimising each, until the deadline or a sweep without gain.

    With a solution limit, one sweep is made, so the result is repeatable.

    :param sweeps: at most this many sweeps (default: until no gain).
    :return: True if some day improved.
    """
    problem = draft.problem
    days = sorted({s.day for s in problem.shifts})
    if sweeps is None:
        sweeps = 1 if problem.options.solution_limit is not None else 100
    improved = False
    # Building a day's model is not counted in its solver's time limit; on a large week and a
    # slow core it takes seconds. The most a day has taken beyond its share (in this sweep or
    # an earlier one: the draft remembers it) is deducted from the next days' shares, and a
    # day whose share would not cover it is not started, so that the sweep ends by the
    # deadline.
    for _ in range(sweeps):
        gained = False
        for k, day in enumerate(days):
            overhead = draft.overruns.get("day model", 0.0)
            give = (deadline - time.monotonic()) / (len(days) - k) - overhead
            if give <= 0.05:
                return improved | gained
            began = time.monotonic()
            gained |= _improve_day(draft, seats, day, began + give)
            late = time.monotonic() - began - give
            draft.overruns["day model"] = max(overhead, late)
        improved |= gained
        if not gained:
            break
    return improved


def _caps_left(draft: Draft, worker: Worker, day: int) -> Worker:
    visits = work = 0
    for s in draft.idx.shifts_of[worker.id]:
        if s.day != day:
            visits += len(draft.routes[s.id])
            work += draft.timings[s.id].work_min
    week_visits = worker.max_visits_per_week
    week_work = worker.max_work_min_per_week
    return replace(
        worker,
        max_visits_per_week=None if week_visits is None else max(0, week_visits - visits),
        max_work_min_per_week=None if week_work is None else max(0, week_work - work),
    )


def _series_holders(draft: Draft, day: int) -> dict[str, str]:
    holders: dict[str, str] = {}
    for sid, tasks in draft.routes.items():
        shift = draft.idx.shifts[sid]
        if shift.day != day:
            for visit, _ in tasks:
                if visit.series_id is not None:
                    holders[visit.series_id] = shift.worker_id
    return holders


def day_problem(
    draft: Draft, seats: list[Seat], day: int, seconds: float
) -> tuple[Problem, list[Seat], list[Shift], list[list[int]]] | None:
    """The sub-problem of one day, the others fixed: its problem, seats, shifts and the
    draft's current routes as seat numbers; ``None`` when no seat can move that day."""
    problem, idx = draft.problem, draft.idx
    day_shifts = [s for s in problem.shifts if s.day == day]
    on_day = {s.id for s in day_shifts}
    placed_where = {(v.id, k): sid for sid, tasks in draft.routes.items() for v, k in tasks}
    holders = _series_holders(draft, day)
    sub: list[Seat] = []
    for seat in seats:
        key = (seat.task[0].id, seat.task[1])
        where = placed_where.get(key)
        if where is not None and where not in on_day:
            continue
        allowed = [sid for sid in seat.shifts if sid in on_day]
        series = seat.task[0].series_id
        if series in holders and seat.task[0].series_worker_id is None:
            allowed = [sid for sid in allowed if idx.shifts[sid].worker_id == holders[series]]
        if allowed:
            sub.append(Seat(seat.task, tuple(allowed), seat.penalty, seat.pin))
    if not sub:
        return None
    visits = {s.task[0].id: replace(s.task[0], pins=()) for s in sub}
    sub_problem = replace(
        problem,
        workers=tuple(_caps_left(draft, w, day) for w in problem.workers),
        shifts=tuple(day_shifts),
        visits=tuple(visits.values()),
        options=replace(problem.options, time_limit_s=seconds),
    )
    number = {(s.task[0].id, s.task[1]): k for k, s in enumerate(sub)}
    start = [[number[(v.id, k)] for v, k in draft.routes[s.id]] for s in day_shifts]
    return sub_problem, sub, day_shifts, start


def _improve_day(draft: Draft, seats: list[Seat], day: int, until: float) -> bool:
    """Re-optimise one day; its solver stops at ``until`` (monotonic seconds), building the
    sub-problem included."""
    built = day_problem(draft, seats, day, max(0.0, until - time.monotonic()))
    if built is None:
        return False
    sub_problem, sub, day_shifts, start = built
    if time.monotonic() >= until:
        return False
    seqs = route_week(sub_problem, Index(sub_problem), sub, start, until)
    if seqs is None:
        return False
    return _accept(draft, sub, day_shifts, [[sub[k].task for k in seq] for seq in seqs])


def pyvrp_days(
    draft: Draft, seats: list[Seat], deadline: float, build_by: float | None = None
) -> bool:
    """Give each day that PyVRP expresses exactly (plain VRPTW once the other days are
    fixed: see :func:`~scheduler.planning.portfolio.is_plain_vrptw`) to PyVRP's search,
    sharing the time to ``deadline`` among those days. A day's new routes are kept only if
    the week's objective improves, as in the OR-Tools sweeps. A day's PyVRP model must be
    built by ``build_by`` (the search's end), else it is given up: a few iterations of
    PyVRP on a large day are worth running past its share, not past the search.

    :return: True if some day improved.
    """
    problem = draft.problem
    days = sorted({s.day for s in problem.shifts})
    fitting: list[tuple[Problem, list[Seat], list[Shift]]] = []
    for day in days:
        built = day_problem(draft, seats, day, 0.0)
        if built is None:
            continue
        sub_problem, sub, day_shifts, _ = built
        if is_plain_vrptw(sub_problem, sub):
            fitting.append((sub_problem, sub, day_shifts))
    improved = False
    for k, (sub_problem, sub, day_shifts) in enumerate(fitting):
        left = deadline - time.monotonic()
        if left <= 0.05:
            break
        until = Deadline(time.monotonic() + left / (len(fitting) - k))
        built_by = None if build_by is None else max(until.at, build_by)
        seqs = solve_plain(sub_problem, sub, until, built_by)
        if seqs is not None:
            routes = [[sub[i].task for i in seq] for seq in seqs]
            improved |= _accept(draft, sub, day_shifts, routes)
    return improved


def _accept(
    draft: Draft, sub: list[Seat], day_shifts: list[Shift], routes: list[list[Task]]
) -> bool:
    """Replace the day's routes if the week's objective improves."""
    old_placed = {(v.id, k) for s in day_shifts for v, k in draft.routes[s.id]}
    new_placed = {(v.id, k) for r in routes for v, k in r}
    old = sum(draft.cost_of(s) for s in day_shifts)
    new = 0
    timings: list[Timing] = []
    for shift, tasks in zip(day_shifts, routes, strict=True):
        timing = time_route(draft.problem, shift, draft.idx.worker_of(shift), tasks, draft.pins)
        if not timing.feasible:
            return False
        timings.append(timing)
        new += draft.route_cost(shift, tasks, timing)
    for seat in sub:
        key = (seat.task[0].id, seat.task[1])
        old += 0 if key in old_placed else seat.penalty
        new += 0 if key in new_placed else seat.penalty
    if new >= old:
        return False
    for shift, tasks, timing in zip(day_shifts, routes, timings, strict=True):
        draft.set_route(shift, list(tasks), timing)
    return True
