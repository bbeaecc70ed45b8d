"""Making room: serve a left-out request by moving a seat of a volunteer who has no room.

In a real week the binding rules are mostly counts (visits per week and per day, work
minutes per week). The greedy insertion, most pressing request first, spends a volunteer's
last free visit on a request someone else could also serve, and then leaves out one that
only this volunteer could take. The per-day OR-Tools model cannot see that (the other days
are fixed, and the weekly caps with them). :func:`make_room` undoes exactly that mistake: a
left-out seat takes the place of a seat that moves to another volunteer (or that is left out
instead, when it is less pressing). Every route is timed by the repair's own code, so every
rule holds after every move, and a move is kept only when the week's objective improves.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from scheduler.planning.draft import Draft
from scheduler.planning.schedule import time_route
from scheduler.planning.solver import Seat

Key = tuple[str, int]

DAY_BOUNDS = ("visits_per_day", "km_per_day", "road_min_per_day", "schedule", "load")


def remove_seat(draft: Draft, key: Key) -> bool:
    """Take one seat out of its route; False if the shorter route cannot be timed."""
    sid = draft.where[key]
    shift = draft.idx.shifts[sid]
    tasks = [t for t in draft.routes[sid] if (t[0].id, t[1]) != key]
    timing = time_route(draft.problem, shift, draft.idx.worker_of(shift), tasks, draft.pins)
    if not timing.feasible:
        return False
    draft.set_route(shift, tasks, timing)
    return True


def insert_seat(draft: Draft, seat: Seat, shift_id: str) -> bool:
    """Insert a seat at its cheapest place in one shift; False if it does not fit."""
    shift = draft.idx.shifts[shift_id]
    found = draft.try_insert(seat.task, shift)
    if isinstance(found, str):
        return False
    _, pos, timing = found
    tasks = draft.routes[shift_id]
    draft.set_route(shift, [*tasks[:pos], seat.task, *tasks[pos:]], timing)
    return True


def _open_shifts(draft: Draft) -> set[str]:
    """Shifts whose volunteer still has a visit to give that week and that day."""
    out: set[str] = set()
    for shift in draft.problem.shifts:
        worker = draft.idx.worker_of(shift)
        week = draft.totals(worker.id, None, "")[0]
        day = draft.totals(worker.id, shift.day, "")[0]
        if (worker.max_visits_per_week is None or week < worker.max_visits_per_week) and (
            worker.max_visits_per_day is None or day < worker.max_visits_per_day
        ):
            out.add(shift.id)
    return out


def _cheapest(
    draft: Draft,
    seat: Seat,
    avoid: str,
    day: int | None,
    open_shifts: set[str],
    skip: str = "",
) -> tuple[int, str] | None:
    """Cheapest ``(extra cost, shift id)`` for a seat away from volunteer ``avoid`` (only
    away from that volunteer's ``day`` when ``day`` is given), among ``open_shifts`` but
    ``skip``."""
    best: tuple[int, str] | None = None
    for sid in seat.shifts:
        if sid not in open_shifts or sid == skip:
            continue
        shift = draft.idx.shifts[sid]
        if shift.worker_id == avoid and (day is None or shift.day == day):
            continue
        found = draft.try_insert(seat.task, shift)
        if not isinstance(found, str) and (best is None or found[0] < best[0]):
            best = (found[0], sid)
    return best


def _chain(
    draft: Draft,
    p: Seat,
    avoid: str,
    day: int | None,
    open_shifts: set[str],
    seat_of: dict[Key, Seat],
    deadline: float = math.inf,
) -> tuple[str, Key, str] | None:
    """A shift B that would take ``p`` if one of its seats q moved to an open shift C:
    ``(B, q, C)``, or ``None``. Only count caps are looked through, to stay cheap.

    Each B looks at every seat of its volunteer and each of those at every shift it may
    take: on a large week one call is up to a million insertion checks, so it gives up at
    ``deadline`` (``None``, as when it finds nothing; the caller does not remember it).
    """
    if not open_shifts:
        return None
    for sid_b in p.shifts:
        if time.monotonic() >= deadline:
            return None
        shift_b = draft.idx.shifts[sid_b]
        if sid_b in open_shifts or (
            shift_b.worker_id == avoid and (day is None or shift_b.day == day)
        ):
            continue
        why = draft.try_insert(p.task, shift_b)
        if why not in ("visits_per_week", "visits_per_day"):
            continue
        day_b = shift_b.day if why == "visits_per_day" else None
        for s in draft.idx.shifts_of[shift_b.worker_id]:
            if day_b is not None and s.day != day_b:
                continue
            for v, k in draft.routes[s.id]:
                if draft.pins.get((v.id, k)) is not None or v.seats > 1 or v.series_id:
                    continue
                if time.monotonic() >= deadline:
                    return None
                q = seat_of[(v.id, k)]
                target = _cheapest(draft, q, shift_b.worker_id, day_b, open_shifts, sid_b)
                if target is not None and draft.idx.shifts[target[1]].worker_id != avoid:
                    return sid_b, (v.id, k), target[1]
    return None


def make_room(draft: Draft, seats: Sequence[Seat], deadline: float) -> int:
    """Serve left-out seats by moving a seat of a full volunteer to another volunteer.

    For each left-out seat, most pressing first, and each shift that refuses it for a cap:
    take one of that volunteer's seats (that day, or that week when the cap is weekly), move
    it to its cheapest place with another volunteer (or leave it out, when it is less
    pressing), and insert the left-out seat. Kept only when the week's objective improves.

    :return: how many seats were served this way.
    """
    seat_of = {(s.task[0].id, s.task[1]): s for s in seats}
    # Where each placed seat could go instead, valid until the next kept move.
    moves: dict[tuple[Key, str, int | None], tuple[int, tuple[int, str] | None]] = {}
    chains: dict[tuple[Key, str, int | None], tuple[int, tuple[str, Key, str] | None]] = {}
    served = 0
    open_shifts = _open_shifts(draft)
    left = sorted(
        (s for s in seats if s.pin is None and (s.task[0].id, s.task[1]) not in draft.where),
        key=lambda s: (-s.penalty, s.task[0].id, s.task[1]),
    )
    for u in left:
        if time.monotonic() >= deadline:
            break
        if u.task[0].seats > 1 or u.task[0].series_id is not None:
            continue
        done = False
        for sid in u.shifts:
            if time.monotonic() >= deadline:
                break
            shift = draft.idx.shifts[sid]
            why = draft.try_insert(u.task, shift)
            if not isinstance(why, str) or why in ("staff", "series"):
                continue
            daily = why in DAY_BOUNDS
            keys = [
                (v.id, k)
                for s in draft.idx.shifts_of[shift.worker_id]
                if not daily or s.day == shift.day
                for v, k in draft.routes[s.id]
                if draft.pins.get((v.id, k)) is None and v.seats == 1 and v.series_id is None
            ]
            keys.sort(key=lambda k: (seat_of[k].penalty, k))
            for key in keys:
                # A full volunteer may hold dozens of seats, each looked at across hundreds
                # of shifts: the clock is read for each, so the stage ends on time.
                if time.monotonic() >= deadline:
                    return served
                p = seat_of[key]
                day = shift.day if daily else None
                known = moves.get((key, shift.worker_id, day))
                if known is not None and known[0] == served:
                    target = known[1]
                else:
                    target = _cheapest(draft, p, shift.worker_id, day, open_shifts)
                    moves[(key, shift.worker_id, day)] = (served, target)
                chain = None
                if target is None:
                    found = chains.get((key, shift.worker_id, day))
                    if found is not None and found[0] == served:
                        chain = found[1]
                    else:
                        chain = _chain(
                            draft, p, shift.worker_id, day, open_shifts, seat_of, deadline
                        )
                        if time.monotonic() >= deadline:
                            return served
                        chains[(key, shift.worker_id, day)] = (served, chain)
                if target is None and chain is None and p.penalty >= u.penalty:
                    continue
                draft.journal = []
                ok = True
                if chain is not None:
                    # One step further: p takes q's place with a third volunteer's room.
                    sid_b, q_key, sid_c = chain
                    ok = remove_seat(draft, q_key) and insert_seat(draft, seat_of[q_key], sid_c)
                    ok = ok and remove_seat(draft, key) and insert_seat(draft, p, sid_b)
                else:
                    ok = remove_seat(draft, key)
                    if ok and target is not None:
                        ok = insert_seat(draft, p, target[1])
                ok = ok and insert_seat(draft, u, sid)
                if ok:
                    delta = journal_delta(draft)
                    dropped = target is None and chain is None
                    delta += (p.penalty if dropped else 0) - u.penalty
                    if delta < 0:
                        draft.journal = None
                        served += 1
                        open_shifts = _open_shifts(draft)
                        done = True
                        break
                draft.rollback()
            if done:
                break
    return served


def journal_delta(draft: Draft) -> int:
    """Route cost change since the journal opened."""
    assert draft.journal is not None
    delta = 0
    seen: set[str] = set()
    for shift, tasks, timing, _ in draft.journal:
        if shift.id not in seen:
            seen.add(shift.id)
            delta += draft.cost_of(shift) - draft.price(shift, tasks, timing)
    return delta
