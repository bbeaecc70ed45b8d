"""Re-planning neighbouring volunteers together: a few volunteers' whole weeks at once.

On a large week the binding rules are weekly: a volunteer at their work minutes who drives
far gives few visits; the same volunteer given the requests near home gives many more, the
far ones going to others. Seen from a plan, that is a reorganisation of several volunteers'
weeks at once, where no single move (a seat handed from one volunteer to another, a chain of
such hand-overs, a ruin of a few stops) improves the objective on the way: a 100 s plan of
week M serves 355 requests where a 10 s plan serves 346, and none of 489 "room for this
request if that seat left" cases of the 10 s plan had anywhere for that seat to go
(``docs/planning.md``).

:func:`regroup` takes a group of ``GROUP`` volunteers who could serve the same requests
(ties: the nearest homes), takes out every seat of their week, and plans them again together
with the left-out requests they could serve, with the week's OR-Tools model restricted to
their shifts (every rule, their daily and weekly caps whole since all their shifts are in
it), started from their current routes. Pinned seats keep their shift and time, a series
stays with the volunteer who holds it, a drop-in's seat avoids the volunteers holding its
other seats. The new routes replace the old only when every route can be timed, every cap of
each volunteer and every series holds, and the week's objective improves.

Measured on week M (``docs/planning.md``, fifth session), the groups lower the travel but
serve no left-out request, and the time they take from ruin and recreate costs one or two
requests: the engine ships it off (``engine.REGROUP_SHARE``, ``engine.REGROUP_TAIL``).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from scheduler.planning.draft import Draft
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Worker
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import Task
from scheduler.planning.schedule import Timing
from scheduler.planning.schedule import time_route
from scheduler.planning.solver import Seat
from scheduler.planning.solver import route_week

Key = tuple[str, int]

GROUP = 4
"""Volunteers re-planned together."""
NEAREST = 6
"""The group is the first volunteer and ``GROUP - 1`` drawn among the this many who could serve
most of the same seats (a random draw, so that successive groups differ)."""
SECONDS = 0.3
"""Time the OR-Tools model of one group may search (building it is extra)."""


def regroup(draft: Draft, seats: Sequence[Seat], deadline: float, stream: int = 0) -> int:
    """Re-plan groups of neighbouring volunteers until ``deadline`` (monotonic seconds).

    The first volunteer of each group is drawn with a weight that grows with the left-out
    seats they could serve (room for those is what a reorganisation buys). A group already
    tried is not tried again until some group's new plan is kept.

    :param stream: which random stream of ``options.seed`` to draw the groups from.
    :return: how many groups' new plans were kept.
    """
    problem = draft.problem
    rng = random.Random(f"{problem.options.seed}/regroup/{stream}")
    workers = [
        w
        for w in problem.workers
        if draft.idx.shifts_of[w.id] and not any(s.locked for s in draft.idx.shifts_of[w.id])
    ]
    if len(workers) < 2:
        return 0
    kept = repeats = 0
    tried: set[frozenset[str]] = set()
    while time.monotonic() + SECONDS < deadline:
        anchor = _anchor(draft, seats, workers, rng)
        group = _neighbours(draft, seats, anchor, workers, rng)
        if frozenset(group) in tried:
            # Nothing changed since that group was tried: draw again, and stop when the draws
            # keep repeating (a small week has few groups).
            repeats += 1
            if repeats > 3 * len(workers):
                break
            continue
        repeats = 0
        tried.add(frozenset(group))
        if replan(draft, seats, group, min(deadline, time.monotonic() + SECONDS)):
            kept += 1
            tried.clear()
    return kept


def _anchor(
    draft: Draft, seats: Sequence[Seat], workers: list[Worker], rng: random.Random
) -> Worker:
    """A volunteer drawn with weight 1 + the left-out seats one of their shifts could take."""
    weight = {w.id: 1 for w in workers}
    shifts = draft.idx.shifts
    for seat in seats:
        if (seat.task[0].id, seat.task[1]) in draft.where or seat.pin is not None:
            continue
        for wid in {shifts[sid].worker_id for sid in seat.shifts}:
            if wid in weight:
                weight[wid] += 1
    return rng.choices(workers, weights=[weight[w.id] for w in workers])[0]


def _neighbours(
    draft: Draft, seats: Sequence[Seat], anchor: Worker, workers: list[Worker], rng: random.Random
) -> list[str]:
    """The anchor and ``GROUP - 1`` volunteers drawn among the ``NEAREST`` who could serve
    most of the seats the anchor holds or could take (ties: the nearest homes)."""
    shifts = draft.idx.shifts
    mine = {s.id for s in draft.idx.shifts_of[anchor.id]}
    ok = {w.id for w in workers}
    shared: dict[str, int] = {}
    for seat in seats:
        if seat.pin is not None or not mine.intersection(seat.shifts):
            continue
        for wid in {shifts[sid].worker_id for sid in seat.shifts}:
            if wid != anchor.id and wid in ok:
                shared[wid] = shared.get(wid, 0) + 1
    row = draft.problem.travel.minutes[anchor.home]
    home = draft.idx.workers
    others = sorted(shared, key=lambda w: (-shared[w], row[home[w].home], w))
    near = others[:NEAREST]
    return [anchor.id, *rng.sample(near, min(GROUP - 1, len(near)))]


def replan(draft: Draft, seats: Sequence[Seat], group: Sequence[str], until: float) -> bool:
    """Plan the weeks of the volunteers in ``group`` again, with the left-out seats they
    could serve; keep the new routes only if every rule holds and the objective improves.

    :param until: when the OR-Tools search stops (monotonic seconds).
    :return: True if the new routes were kept.
    """
    problem, idx = draft.problem, draft.idx
    members = set(group)
    shifts = [s for s in problem.shifts if s.worker_id in members]
    on = {s.id for s in shifts}
    sub: list[Seat] = []
    for seat in seats:
        allowed = _allowed(draft, seat, on)
        if allowed:
            sub.append(Seat(seat.task, allowed, seat.penalty, seat.pin))
    if not sub:
        return False
    visits = {s.task[0].id: replace(s.task[0], pins=()) for s in sub}
    sub_problem = replace(
        problem,
        workers=tuple(idx.workers[w] for w in group),
        shifts=tuple(shifts),
        visits=tuple(visits.values()),
        options=replace(problem.options, time_limit_s=max(0.1, until - time.monotonic())),
    )
    number = {(s.task[0].id, s.task[1]): k for k, s in enumerate(sub)}
    start = [[number[(v.id, k)] for v, k in draft.routes[s.id]] for s in shifts]
    seqs = route_week(sub_problem, Index(sub_problem), sub, start, until)
    if seqs is None:
        return False
    return accept(draft, sub, shifts, [[sub[k].task for k in seq] for seq in seqs])


def _allowed(draft: Draft, seat: Seat, on: set[str]) -> tuple[str, ...]:
    """The shifts of the group a seat may take in the sub-problem (none: it stays out).

    A pinned seat keeps its shift. A seat of a drop-in avoids the volunteers who hold
    another of its seats outside the group. A session of a series goes to the volunteer who
    holds the series if they are in the group, and stays out if they are not.
    """
    visit, k = seat.task
    where = draft.where.get((visit.id, k))
    if where is not None and where not in on:
        return ()
    if seat.pin is not None:
        return (where,) if where is not None else ()
    allowed = [s for s in seat.shifts if s in on]
    shifts = draft.idx.shifts
    if visit.seats > 1:
        away = {
            shifts[sid].worker_id
            for j in range(visit.seats)
            if j != k and (sid := draft.where.get((visit.id, j))) is not None and sid not in on
        }
        allowed = [s for s in allowed if shifts[s].worker_id not in away]
    if visit.series_id is not None and visit.series_worker_id is None:
        holder = draft.series_worker(visit.series_id)
        if holder is not None:
            allowed = [s for s in allowed if shifts[s].worker_id == holder]
    return tuple(allowed)


def accept(
    draft: Draft, sub: Sequence[Seat], shifts: list[Shift], routes: list[list[Task]]
) -> bool:
    """Replace the routes of ``shifts`` (every shift of some volunteers) by ``routes`` if each
    can be timed, every cap of those volunteers holds, and the week's objective improves."""
    problem, idx = draft.problem, draft.idx
    timings: list[Timing] = []
    for shift, tasks in zip(shifts, routes, strict=True):
        timing = time_route(problem, shift, idx.worker_of(shift), tasks, draft.pins)
        if not timing.feasible:
            return False
        if shift.capacity is not None and sum(v.load for v, _ in tasks) > shift.capacity:
            return False
        timings.append(timing)
    if not _caps_hold(draft, shifts, routes, timings) or not _series_hold(draft, shifts, routes):
        return False
    before = {(v.id, k) for s in shifts for v, k in draft.routes[s.id]}
    after = {(v.id, k) for r in routes for v, k in r}
    old = sum(draft.cost_of(s) for s in shifts)
    new = sum(draft.route_cost(s, t, tm) for s, t, tm in zip(shifts, routes, timings, strict=True))
    for seat in sub:
        key = (seat.task[0].id, seat.task[1])
        old += 0 if key in before else seat.penalty
        new += 0 if key in after else seat.penalty
    import os

    if os.environ.get("RG_DEBUG"):
        print("group", len(sub), len(before), len(after), old - new, flush=True)
    if new >= old:
        return False
    for shift, tasks, timing in zip(shifts, routes, timings, strict=True):
        draft.set_route(shift, list(tasks), timing)
    return True


def _series_hold(draft: Draft, shifts: list[Shift], routes: list[list[Task]]) -> bool:
    """Each series with one volunteer over the whole week once ``routes`` replace the routes
    of ``shifts``. (The seats of a drop-in share one slot and a volunteer's shifts never
    overlap, so no volunteer can be given two of them.)"""
    on = {s.id for s in shifts}
    series: dict[str, set[str]] = {}
    for shift, tasks in zip(shifts, routes, strict=True):
        for visit, _ in tasks:
            if visit.series_id is not None:
                series.setdefault(visit.series_id, set()).add(shift.worker_id)
    for series_id, takers in series.items():
        for wid, n in draft.series_at.get(series_id, Counter()).items():
            mine = sum(
                1
                for s in draft.idx.shifts_of[wid]
                if s.id in on
                for v, _ in draft.routes[s.id]
                if v.series_id == series_id
            )
            if n > mine:
                takers.add(wid)
        if len(takers) > 1:
            return False
    return True


def _caps_hold(
    draft: Draft, shifts: list[Shift], routes: list[list[Task]], timings: list[Timing]
) -> bool:
    """Every daily and weekly cap of the volunteers of ``shifts``, over the new routes (the
    same sums as the independent checker's)."""
    week: dict[str, list[int]] = {}
    day: dict[tuple[str, int], list[int]] = {}
    for shift, tasks, timing in zip(shifts, routes, timings, strict=True):
        w = week.setdefault(shift.worker_id, [0, 0])
        w[0] += len(tasks)
        w[1] += timing.work_min if tasks else 0
        d = day.setdefault((shift.worker_id, shift.day), [0, 0, 0])
        d[0] += len(tasks)
        d[1] += timing.metres if tasks else 0
        d[2] += timing.road_min if tasks else 0
    workers = draft.idx.workers
    for wid, (visits, work) in week.items():
        worker = workers[wid]
        if worker.max_visits_per_week is not None and visits > worker.max_visits_per_week:
            return False
        if worker.max_work_min_per_week is not None and work > worker.max_work_min_per_week:
            return False
    for (wid, _), (visits, metres, road) in day.items():
        worker = workers[wid]
        if worker.max_visits_per_day is not None and visits > worker.max_visits_per_day:
            return False
        if worker.max_km_per_day is not None and metres > worker.max_km_per_day * 1000:
            return False
        if worker.max_road_min_per_day is not None and road > worker.max_road_min_per_day:
            return False
    return True
