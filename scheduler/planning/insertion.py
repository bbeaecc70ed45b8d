"""The insertion checks behind :meth:`Draft.try_insert`: the cheapest place of a seat in one
route that keeps every rule and every daily and weekly cap, or the cap that blocks.

Split from :mod:`scheduler.planning.draft`, which keeps the routes, the indexes and the
memory of these answers.
"""

from __future__ import annotations

from bisect import bisect_left
from bisect import bisect_right
from typing import TYPE_CHECKING

from scheduler.planning.costs import COST_SCALE
from scheduler.planning.costs import assignment_cost
from scheduler.planning.costs import fairness_cost
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Visit
from scheduler.planning.schedule import Task
from scheduler.planning.schedule import Timing
from scheduler.planning.schedule import time_route

if TYPE_CHECKING:
    from scheduler.planning.draft import Draft
    from scheduler.planning.draft import Insertion


def insert_mixed(
    draft: Draft,
    task: Task,
    shift: Shift,
    week: tuple[int, int, int, int],
    day: tuple[int, int, int, int],
) -> Insertion:
    """:meth:`Draft.try_insert` for a call, or for a visit into a route with calls.

    Every allowed position that passes a cheap bound is timed and the cheapest kept (a
    call: the first that can be timed, see below); the same answer as timing every
    position (``tests/planning/test_insertion.py``). The timed positions depend on the
    route alone and are remembered with it (``Draft.places``): when only the volunteer's
    other routes changed, the caps are checked again without timing anything.
    """
    tasks = draft.routes[shift.id]
    now = draft.timings[shift.id]
    key = (task[0].id, task[1])
    known = _remembered(draft, shift.id, tasks, now)
    if known is not None and key in known:
        first_fit, timed = known[key]  # type: ignore[misc]
    else:
        first_fit, timed = _mixed_positions(draft, task, shift)
        if known is not None and draft.journal is not None:
            known[key] = (first_fit, timed)
    caps = worker_caps(draft, shift)
    best: tuple[int, int, Timing] | None = None
    blocked: str | None = None
    old = -1
    for entry in timed:
        pos, timing, extra = entry
        failure = _cap_failure(caps, week, day, timing)
        if failure is not None:
            if first_fit:
                return failure
            blocked = blocked or failure
            continue
        if extra is None:
            if old < 0:
                old = draft.cost_of(shift)
            seq = [*tasks[:pos], task, *tasks[pos:]]
            extra = draft.route_cost(shift, seq, timing) - old
            entry[2] = extra
        if first_fit:
            return extra, pos, timing
        if best is None or extra < best[0]:
            best = (extra, pos, timing)
    return best if best is not None else (blocked or "schedule")


def _mixed_positions(draft: Draft, task: Task, shift: Shift) -> tuple[bool, list[list]]:  # type: ignore[type-arg]
    """The positions of a call (or a visit among calls) that can be timed, in route order,
    as ``[position, timing, extra cost or None until asked]``; for a call where a place's
    trip to itself is free, only the first (``True`` first: it is the answer, see below)."""
    visit = task[0]
    call = visit.location is None
    # A call adds no trip of its own where a place's trip to itself is free: the route's
    # road, distance and work are the same wherever it goes, so its cost and its caps are
    # too, and the first position that can be timed is the answer.
    first_fit = call and draft.flat
    latest = max(w.end for w in visit.windows) - visit.duration_min
    latest_start, ends = route_bounds(draft, shift)
    first, stop = window_span(latest_start, ends, visit, shift.start, latest)
    if first > stop:
        return first_fit, []
    worker = draft.idx.worker_of(shift)
    tasks = draft.routes[shift.id]
    # In-person visits stay contiguous (no call between two of them): a call goes before
    # the first visit or after the last, a visit next to the others. The other positions
    # cannot be timed; they are skipped without timing them.
    physical = [k for k, (v, _) in enumerate(tasks) if v.location is not None]
    lo, hi = (physical[0], physical[-1] + 1) if physical else (0, len(tasks))
    duration = visit.duration_min
    problem = draft.problem
    pins = draft.pins
    timed: list[list] = []  # type: ignore[type-arg]
    for pos in range(first, stop + 1):
        ready = shift.start if pos == 0 else max(shift.start, ends[pos - 1])
        if physical and (lo < pos < hi if call else not lo <= pos <= hi):
            continue
        # Necessary for a timing (travel only adds to it): the seat starts in a window no
        # earlier than the previous task ends, and ends by the next task's latest start.
        begin = min(
            (b for w in visit.windows if (b := max(ready, w.start)) <= w.end - duration),
            default=None,
        )
        if begin is None or begin + duration > latest_start[pos]:
            continue
        seq = [*tasks[:pos], task, *tasks[pos:]]
        timing = time_route(problem, shift, worker, seq, pins)
        if not timing.feasible:
            continue
        timed.append([pos, timing, None])
        if first_fit:
            break
    return first_fit, timed


def _remembered(
    draft: Draft, sid: str, tasks: list[Task], now: Timing
) -> dict[tuple[str, int], object] | None:
    """The insertion checks remembered for this route of the shift (``Draft.places``), by
    seat; ``None`` when there are none and no journal is open (nothing is added then).

    Only the last two routes of each shift keep theirs, the route in hand first: a route is
    replaced, never changed in place, so the answers of an older one could only serve again
    if a step put that very route back, which is what undoing the step in progress does
    (its route before the step is kept). Remembered by seat and shift alone, the answers of
    every route a shift ever had stayed until the same seat was checked there again: most
    of the memory of the XL week's search, for nothing."""
    kept = draft.places.get(sid)
    if kept:
        for k, (was, timing, found) in enumerate(kept):
            if was is tasks and timing is now:
                if k:
                    kept.insert(0, kept.pop(k))
                return found
    if draft.journal is None:
        return None
    fresh: dict[tuple[str, int], object] = {}
    draft.places[sid] = [(tasks, now, fresh), *(kept[:1] if kept else ())]
    return fresh


def route_bounds(draft: Draft, shift: Shift) -> tuple[list[int], list[int]]:
    """The time bounds of a route that every insertion check of it reads: for each stop (and
    the way home, last) the latest minute it may start so that the rest of the route can
    still be served, and the minute each stop ends at its earliest. Both never decrease
    along the route (trips and durations are never negative), so the positions where a
    seat's windows fit form one run found by bisection (:func:`window_span`)."""
    tasks = draft.routes[shift.id]
    known = draft.slack.get(shift.id)
    if known is not None:
        for was, out, ends in known:
            if was is tasks:
                return out, ends
    worker = draft.idx.worker_of(shift)
    travel = draft.problem.travel
    minutes = travel.minutes if worker.has_car else travel.walk_minutes
    out = [0] * (len(tasks) + 1)
    out[-1] = shift.end
    nxt = shift.end_location
    for k in range(len(tasks) - 1, -1, -1):
        visit, seat = tasks[k]
        here = visit.location if visit.location is not None else nxt
        bound = out[k + 1] - minutes[here][nxt] - visit.duration_min
        pinned = draft.pins.get((visit.id, seat))
        latest = max(w.end for w in visit.windows) - visit.duration_min
        out[k] = min(bound, latest if pinned is None else pinned)
        nxt = here
    # The route's timing is a function of the route (``time_route``, earliest times).
    starts = draft.timings[shift.id].starts
    ends = [start + v.duration_min for start, (v, _) in zip(starts, tasks, strict=True)]
    draft.slack[shift.id] = [(tasks, out, ends), *(known[:1] if known else ())]
    return out, ends


def window_span(
    latest_start: list[int], ends: list[int], visit: Visit, opens: int, latest: int
) -> tuple[int, int]:
    """The first and last positions of a route (from :func:`route_bounds`) where ``visit``
    may fit by time alone; none when the first is after the last.

    Exact, so the checks that use it give the answers they gave without it: at a position
    the visit starts no earlier than the shift opens and its earliest window, and must end
    by the next stop's latest start (travel only adds to that), so positions whose next
    stop must start sooner are refused, and they come first; it must start by ``latest``
    (its last window's end less its duration), after the previous stop ends, so positions
    after a stop that ends later are refused, and they come last.
    """
    low = min(w.start for w in visit.windows)
    if low < opens:
        low = opens
    return bisect_left(latest_start, low + visit.duration_min), bisect_right(ends, latest)


def insert_physical(
    draft: Draft,
    task: Task,
    shift: Shift,
    week: tuple[int, int, int, int],
    day: tuple[int, int, int, int],
) -> Insertion:
    """:meth:`Draft.try_insert` for an in-person visit into a route that is empty or has an
    in-person visit (calls before or after the visits).

    Then inserting at a position replaces one trip by two, so the extra cost, distance
    and road time of every position are exact without timing the route; positions are
    timed cheapest first and the first that keeps every rule is the answer (the same
    answer as timing every position, ties going to the earlier position). The positions,
    their costs and the timings made depend on the route alone and are remembered with it
    (``Draft.places``): when only the volunteer's other routes changed (their totals count
    against the weekly and daily caps), the caps are checked again and a position is timed
    only if it was never timed on this route.
    """
    tasks = draft.routes[shift.id]
    now = draft.timings[shift.id]
    key = (task[0].id, task[1])
    known = _remembered(draft, shift.id, tasks, now)
    if known is not None and key in known:
        options_: list[list] = known[key]  # type: ignore[assignment,type-arg]
    else:
        options_ = _physical_positions(draft, task, shift)
        if known is not None and draft.journal is not None:
            known[key] = options_
    caps = worker_caps(draft, shift)
    metres0 = now.metres if tasks else 0
    road0 = now.road_min if tasks else 0
    blocked: list[tuple[int, str, list]] = []  # type: ignore[type-arg]
    for entry in options_:
        cost, pos, dist, road, work, timing = entry
        failure = _cap_totals(caps, week, day, work, metres0 + dist, road0 + road)
        if failure is not None:
            blocked.append((pos, failure, entry))
            continue
        if timing is None:
            timing = entry[5] = _timed(draft, task, shift, pos)
        if timing.feasible:
            return cost, pos, timing
    for pos, failure, entry in sorted(blocked, key=lambda b: b[0]):
        timing = entry[5]
        if timing is None:
            timing = entry[5] = _timed(draft, task, shift, pos)
        if timing.feasible:
            return failure
    return "schedule"


def _timed(draft: Draft, task: Task, shift: Shift, pos: int) -> Timing:
    """The route of ``shift`` timed with ``task`` inserted at ``pos``."""
    tasks = draft.routes[shift.id]
    seq = [*tasks[:pos], task, *tasks[pos:]]
    return time_route(draft.problem, shift, draft.idx.worker_of(shift), seq, draft.pins)


def _physical_positions(draft: Draft, task: Task, shift: Shift) -> list[list]:  # type: ignore[type-arg]
    """Every position of an in-person visit that passes the cheap bounds, cheapest first
    (earlier first on ties), as ``[cost, position, extra metres, extra road minutes, work
    minutes, timing or None until timed]``: what the route alone decides."""
    visit = task[0]
    assert visit.location is not None
    latest = max(w.end for w in visit.windows) - visit.duration_min
    latest_start, ends = route_bounds(draft, shift)
    first, stop = window_span(latest_start, ends, visit, shift.start, latest)
    if first > stop:
        # The seat's windows fit nowhere in this route: refused before any pricing.
        return []
    loc = visit.location
    worker = draft.idx.worker_of(shift)
    options = draft.problem.options
    travel = draft.problem.travel
    minutes = travel.minutes if worker.has_car else travel.walk_minutes
    metres_m = travel.metres
    has_car = worker.has_car
    tasks = draft.routes[shift.id]
    now = draft.timings[shift.id]
    share = draft.share[shift.id]
    # Calls stay before the first visit (made from the start) or after the last (made at
    # the end): a visit goes next to the other visits, and its trips are those between the
    # visit before it (or the start) and the visit after it (or the end).
    physical = [k for k, (v, _) in enumerate(tasks) if v.location is not None]
    lo, hi = (physical[0], physical[-1] + 1) if physical else (0, 0)
    before = [shift.start_location] * (len(tasks) + 1)
    after = [shift.end_location] * (len(tasks) + 1)
    for k in physical:
        before[k + 1] = after[k] = tasks[k][0].location  # type: ignore[assignment]
    base = fairness_cost(options, now.work_min, share) if tasks else 0
    fixed = assignment_cost(options, visit, shift)
    ready = shift.start - options.lead_min
    windows = [(w.start, w.end - visit.duration_min) for w in visit.windows]
    one_window = windows[0] if len(windows) == 1 else None
    duration = visit.duration_min
    opens = shift.start
    fair = options.fairness != 0
    # travel_cost inlined (this is the innermost loop of the search), with the same float
    # operations in the same order, so the same costs.
    per_min = options.weight_minutes
    per_km = options.weight_km if has_car else 0.0
    from_loc = minutes[loc]
    metres_from = metres_m[loc]
    options_: list[tuple[int, int, int, int, int]] = []
    for pos in range(max(first, lo), min(stop, hi) + 1):
        leave = ends[pos - 1] if pos else ready
        a, b = before[pos], after[pos]
        # Necessary for a feasible timing (checked before any cost, it is cheaper): the
        # new visit can start in a window, and the next stop (or the way home) is
        # reached by its latest start.
        into = minutes[a][loc]
        out_of = from_loc[b]
        arrive = leave + into
        if arrive < opens:
            arrive = opens
        if one_window is not None:
            begin: int | None = arrive if arrive > one_window[0] else one_window[0]
            if begin > one_window[1]:  # type: ignore[operator]
                continue
        else:
            begin = min(
                (max(arrive, w0) for w0, w1 in windows if max(arrive, w0) <= w1), default=None
            )
            if begin is None:
                continue
        if begin + duration + out_of > latest_start[pos]:  # type: ignore[operator]
            continue
        ab = minutes[a][b]
        road = into + out_of - ab
        m_in, m_out, m_ab = metres_m[a][loc], metres_from[b], metres_m[a][b]
        dist = m_in + m_out - m_ab
        cost = round(COST_SCALE * (per_min * into + per_km * (m_in / 1000.0))) + round(
            COST_SCALE * (per_min * out_of + per_km * (m_out / 1000.0))
        )
        if tasks:
            cost -= round(COST_SCALE * (per_min * ab + per_km * (m_ab / 1000.0)))
            work = now.work_min + duration + road
        else:
            # An empty route has no trip to replace and no work yet.
            work = duration + into + out_of
        cost += fixed - base
        if fair:
            cost += fairness_cost(options, work, share)
        options_.append((cost, pos, dist, road, work))
    options_.sort()
    return [[*o, None] for o in options_]


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
