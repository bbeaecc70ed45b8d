"""Moves of one or two seats between routes, to a local optimum: relocate and swap.

Ruin and recreate converges on a small week (the demo week: 60 requests) a few kilometres
short of what a run five times longer finds, the seats served being the same: the
difference is a seat that would be better in another volunteer's route, or two seats that
would be better exchanged, which a random ruin of related stops finds only by chance. Here
every placed seat is offered to every other candidate shift (relocate), and every pair of
seats in two routes that could take each other's seat is exchanged (swap), until no move
lowers the objective or the deadline comes.

A move is made on the draft, through :meth:`Draft.try_insert` (every rule and every daily
and weekly cap of the volunteers involved) after the seat has left its route, with the
draft's journal open; it is kept only if the routes it changed cost less than before,
and undone otherwise (:meth:`Draft.rollback`). Which seats are served does not change, so
the objective changes by the routes' costs alone. Locked shifts and pinned seats stay.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from scheduler.planning.draft import Draft
from scheduler.planning.room import remove_seat
from scheduler.planning.schedule import Task
from scheduler.planning.solver import Seat

Key = tuple[str, int]


def polish(draft: Draft, seats: Sequence[Seat], deadline: float) -> int:
    """Relocate and swap seats between routes, then chains of two moves when neither finds
    anything, until no move improves or the deadline (monotonic seconds) comes.

    :return: the number of moves kept.
    """
    shifts = draft.idx.shifts
    movable = [s for s in seats if s.pin is None and len(s.shifts) > 1]
    by_key = {(s.task[0].id, s.task[1]): s for s in movable}
    kept = 0
    improved = True
    while improved:
        improved = False
        for seat in movable:
            if time.monotonic() >= deadline:
                return kept
            here = draft.where.get((seat.task[0].id, seat.task[1]))
            if here is not None and not shifts[here].locked and _relocate(draft, seat, here):
                kept += 1
                improved = True
        for n, seat in enumerate(movable):
            here = draft.where.get((seat.task[0].id, seat.task[1]))
            if here is None or shifts[here].locked:
                continue
            for other in movable[n + 1 :]:
                if time.monotonic() >= deadline:
                    return kept
                there = draft.where.get((other.task[0].id, other.task[1]))
                if there is None or there == here or shifts[there].locked:
                    continue
                if there not in seat.shifts or here not in other.shifts:
                    continue
                if _improve(draft, [(seat.task, here, there), (other.task, there, here)]):
                    kept += 1
                    improved = True
                    here = there
        if improved:
            continue
        # Only at a local optimum of both: the chains are many more trials.
        for seat in movable:
            here = draft.where.get((seat.task[0].id, seat.task[1]))
            if here is None or shifts[here].locked:
                continue
            if _chain(draft, seat, here, by_key, deadline):
                kept += 1
                improved = True
            if time.monotonic() >= deadline:
                return kept
    return kept


def _relocate(draft: Draft, seat: Seat, here: str) -> bool:
    """Move the seat to the candidate shift where the week costs least, if that is less."""
    best: tuple[int, str] | None = None
    for sid in seat.shifts:
        if sid == here:
            continue
        delta = _trial(draft, [(seat.task, here, sid)])
        if delta is not None and delta < 0 and (best is None or delta < best[0]):
            best = (delta, sid)
    return best is not None and _improve(draft, [(seat.task, here, best[1])])


def _chain(draft: Draft, seat: Seat, here: str, movable: dict[Key, Seat], deadline: float) -> bool:
    """Move the seat into another shift whose seat moves on to a third (or to where the
    first one was); kept at the first chain that lowers the week's cost. A seat moves on
    only to a shift that could take it now, or to the one the first seat leaves."""
    shifts = draft.idx.shifts
    for sid in seat.shifts:
        if sid == here or shifts[sid].locked:
            continue
        for task in list(draft.routes[sid]):
            other = movable.get((task[0].id, task[1]))
            if other is None:
                continue
            for onward in other.shifts:
                if onward == sid or shifts[onward].locked:
                    continue
                if onward != here and isinstance(draft.try_insert(task, shifts[onward]), str):
                    continue
                if time.monotonic() >= deadline:
                    return False
                if _improve(draft, [(task, sid, onward), (seat.task, here, sid)]):
                    return True
    return False


def _improve(draft: Draft, moves: list[tuple[Task, str, str]]) -> bool:
    """Make the moves and keep them if the week costs less; else undo them."""
    delta = _trial(draft, moves, keep_below=0)
    return delta is not None and delta < 0


def _trial(
    draft: Draft, moves: list[tuple[Task, str, str]], keep_below: int | None = None
) -> int | None:
    """Take each task out of its shift, then put each into its new one (cheapest place);
    the change of the routes' costs, or ``None`` if a route cannot be timed or a rule
    refuses. Kept if that change is below ``keep_below``, else undone."""
    shifts = draft.idx.shifts
    draft.journal = []
    for task, _, _ in moves:
        if not remove_seat(draft, (task[0].id, task[1])):
            draft.rollback()
            return None
    for task, _, sid in moves:
        found = draft.try_insert(task, shifts[sid])
        if isinstance(found, str):
            draft.rollback()
            return None
        _, pos, timing = found
        tasks = draft.routes[sid]
        draft.set_route(shifts[sid], [*tasks[:pos], task, *tasks[pos:]], timing)
    journal = draft.journal or []
    delta = 0
    seen: set[str] = set()
    for shift, tasks, timing, _ in journal:
        if shift.id not in seen:
            seen.add(shift.id)
            delta += draft.cost_of(shift) - draft.route_cost(shift, tasks, timing)
    if keep_below is not None and delta < keep_below:
        draft.journal = None
    else:
        draft.rollback()
    return delta
