"""Relieving a volunteer at a weekly limit: their far visits go, as a group, to volunteers
with minutes to spare, and the time freed serves requests left out.

Week M's 10 s plans leave out hour-long home visits that a volunteer at their weekly count of
visits or work minutes could have served; a long run serves them by having those volunteers
drive less and visit more, while volunteers with minutes to spare take the long drives
(``docs/planning.md``, 2 December 2026). One seat at a time, neither cheapest insertion nor
making room sees that: moving one far visit away costs road and frees too little for an
hour's visit. This neighbourhood, a kind of step of ruin and recreate (``ruin.py``), moves
several at once:

1. a left-out seat is drawn among those that a volunteer at or near a weekly limit could
   serve (visits for the week all given, or fewer than ``NEAR_MIN`` work minutes left), and
   one such volunteer;
2. up to ``GROUP`` of that volunteer's home visits are taken out, drawn among their first
   ``2 × GROUP`` ranked by the shifts the left-out seat could go to (where it needs a gap)
   and then by detour (the minutes of road each costs their route);
3. those who could take them are mostly full too: for each, one volunteer who could take it
   and has ``NEAR_MIN`` work minutes or more left gives up, in a shift it could go to, a
   visit the relieved volunteer could serve (nearest the relieved one's home first, the
   first of ``HANDOVER_TRIES`` whose leaving lets the far visit fit);
4. the group is put back at its cheapest place with *other* volunteers, most pressing first;
   then the visits given up and the left-out seats the relieved volunteer could serve, by
   regret insertion; then, anywhere, whatever found no place.

Every insertion is ``Draft.try_insert`` (every rule, every daily and weekly cap), and the
step is kept or undone by the search's own acceptance rule, on the week's objective.
``SHARE`` of the steps are such steps; at 0 the search makes exactly the steps of before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.planning.draft import Draft
from scheduler.planning.greedy import repair
from scheduler.planning.recreate import regret_insert
from scheduler.planning.schedule import time_route
from scheduler.planning.solver import Seat

if TYPE_CHECKING:
    from scheduler.planning.ruin import Search

Key = tuple[str, int]
Relief = tuple[str, int]
"""The volunteer relieved, and how many of the seats removed were theirs (the first ones)."""

SHARE = 0.0
"""Share of the steps of ruin and recreate that relieve a volunteer at a weekly limit (drawn
from the same number as the volunteer and route ruins, so 0 leaves the steps unchanged).
Off by default: with 0.3, week M at 10 s of CPU served 343.4 requests on average over two
passes of six search seeds against 343.9 without: the visits given up to make room for the
far ones are then left out (``docs/planning.md``, 2 December 2026, second stop).
``bench.week_seeds --set relieve.SHARE=0.3`` measures it."""
GROUP = 3
"""At most this many visits leave the volunteer in one step."""
HANDOVER_TRIES = 4
"""A volunteer taking a far visit tries giving up at most this many of their visits."""
NEAR_MIN = 60
"""A volunteer with fewer work minutes than this left in the week is at the limit."""


def at_limit(draft: Draft, worker_id: str) -> bool:
    """True when the volunteer has no visit left to give this week, or under ``NEAR_MIN``
    work minutes."""
    worker = draft.idx.workers[worker_id]
    visits, work, _, _ = draft.totals(worker_id, None, "")
    if worker.max_visits_per_week is not None and visits >= worker.max_visits_per_week:
        return True
    cap = worker.max_work_min_per_week
    return cap is not None and cap - work < NEAR_MIN


def _spare(draft: Draft, worker_id: str) -> bool:
    """True when the volunteer has ``NEAR_MIN`` work minutes or more left this week (their
    visits may all be given: they give one up)."""
    cap = draft.idx.workers[worker_id].max_work_min_per_week
    return cap is None or cap - draft.totals(worker_id, None, "")[1] >= NEAR_MIN


def ruin(search: Search) -> tuple[list[Seat], list[Seat], Relief | None]:
    """Take a group of far visits out of a limited volunteer's week.

    :return: the seats removed (the volunteer's first), the left-out seats that volunteer
        could serve, and the volunteer with the number of seats taken from them (``None``,
        and nothing removed, when no volunteer at a limit could serve a left-out seat or
        none has a visit to move).
    """
    d = search.draft
    left = [s for s in search.movable if (s.task[0].id, s.task[1]) not in d.where]
    limited: dict[str, bool] = {}
    wanted: list[tuple[Seat, list[str]]] = []
    for seat in left:
        workers = []
        for w in sorted(search._workers(seat)):
            known = limited.get(w)
            if known is None:
                known = limited[w] = at_limit(d, w)
            if known:
                workers.append(w)
        if workers:
            wanted.append((seat, workers))
    if not wanted:
        return [], [], None
    target, workers = search.rng.choice(wanted)
    worker_id = search.rng.choice(workers)
    far = _far_visits(d, worker_id, set(target.shifts))
    if not far:
        return [], [], None
    count = search.rng.randint(1, min(GROUP, len(far)))
    group = set(search.rng.sample(far[: 2 * GROUP], min(count, len(far[: 2 * GROUP]))))
    removed = _take(d, search, worker_id, group)
    # Those who could take the group are mostly full too (visits for the week or the day,
    # no gap): for each visit of the group, one volunteer with minutes to spare gives up a
    # visit the relieved one could serve, nearest the relieved one's home first, the first
    # whose leaving lets the far visit fit in one of their shifts.
    home = d.idx.workers[worker_id].home
    minutes = d.problem.travel.minutes
    own = len(removed)
    for seat in removed[:own]:
        takers = sorted(w for w in search._workers(seat) if w != worker_id and _spare(d, w))
        if not takers:
            continue
        taker = search.rng.choice(takers)
        into = [shift for shift in d.idx.shifts_of[taker] if shift.id in seat.shifts]
        near = sorted(
            (minutes[home][v.location], (v.id, k))
            for shift in into
            for v, k in d.routes[shift.id]
            if v.location is not None
            and v.seats == 1
            and v.series_id is None
            and d.pins.get((v.id, k)) is None
            and worker_id in search._workers(search.seat_of[(v.id, k)])
        )
        for _, key in near[:HANDOVER_TRIES]:
            sid = d.where[key]
            tasks, timing = d.routes[sid], d.timings[sid]
            if not _take(d, search, taker, {key}):
                continue
            if any(not isinstance(d.try_insert(seat.task, shift), str) for shift in into):
                removed.append(search.seat_of[key])
                break
            d.set_route(d.idx.shifts[sid], tasks, timing)
    related = [s for s in left if worker_id in search._workers(s)]
    return removed, related, (worker_id, own)


def _take(draft: Draft, search: Search, worker_id: str, keys: set[Key]) -> list[Seat]:
    """Take these seats out of the volunteer's routes (a route that could not be timed
    without them keeps them); return the seats taken."""
    taken: list[Seat] = []
    for shift in draft.idx.shifts_of[worker_id]:
        tasks = draft.routes[shift.id]
        kept = [t for t in tasks if (t[0].id, t[1]) not in keys]
        if len(kept) == len(tasks):
            continue
        timing = time_route(draft.problem, shift, draft.idx.worker_of(shift), kept, draft.pins)
        if not timing.feasible:
            continue
        draft.set_route(shift, kept, timing)
        taken.extend(search.seat_of[(v.id, k)] for v, k in tasks if (v.id, k) in keys)
    return taken


def _far_visits(draft: Draft, worker_id: str, prefer: set[str]) -> list[Key]:
    """The volunteer's movable home visits, those in the shifts of ``prefer`` first (where
    the left-out seat needs a gap), then longest detour first (ties by id)."""
    minutes = draft.problem.travel.minutes
    ranked: list[tuple[bool, int, Key]] = []
    for shift in draft.idx.shifts_of[worker_id]:
        tasks = draft.routes[shift.id]
        stops = [(k, v.location) for k, (v, _) in enumerate(tasks) if v.location is not None]
        for n, (k, here) in enumerate(stops):
            visit, seat = tasks[k]
            if draft.pins.get((visit.id, seat)) is not None:
                continue
            if visit.seats > 1 or visit.series_id is not None:
                continue
            before = stops[n - 1][1] if n > 0 else shift.start_location
            after = stops[n + 1][1] if n + 1 < len(stops) else shift.end_location
            assert here is not None and before is not None and after is not None
            detour = minutes[before][here] + minutes[here][after] - minutes[before][after]
            ranked.append((shift.id not in prefer, -detour, (visit.id, seat)))
    ranked.sort()
    return [key for _, _, key in ranked]


def recreate(draft: Draft, removed: list[Seat], related: list[Seat], relief: Relief) -> None:
    """Put the group back with other volunteers, then the visits they gave up and the
    left-out seats the relieved volunteer could serve (regret insertion), then place
    anywhere what found no place."""
    shifts = draft.idx.shifts
    worker_id, own = relief
    away = [
        Seat(s.task, tuple(k for k in s.shifts if shifts[k].worker_id != worker_id), s.penalty)
        for s in removed[:own]
    ]
    repair(draft, away, priced=True)
    regret_insert(draft, removed[own:] + related, priced=True)
    back = [s for s in removed if (s.task[0].id, s.task[1]) not in draft.where]
    repair(draft, back, priced=True)
