"""Local search inside each route of the draft: 2-opt and or-opt on the in-person visits.

Ruin and recreate puts stops back one at a time at their cheapest place, so a long route
(wide windows, thirty stops a day) keeps crossings that no single re-insertion undoes:
reversing a stretch of the route (2-opt) or moving a string of one to three stops elsewhere
in it, forwards or reversed (or-opt), does. Each move is priced first from the travel
matrices alone (the trips change only at the ends of the stretch moved, and inside it when
it is reversed); only the moves that shorten the trips are timed, with the same
``time_route`` as the final plan, and one is kept only if the route can be timed (windows,
pins, the time grid, the lead, the shift), the volunteer's daily and weekly caps still hold
(work minutes, kilometres, road minutes; the number of visits and the load do not change)
and the route's whole cost (travel and fairness) goes down.

Calls stay where they are: a call is made before the first in-person visit or after the last,
so only the block of in-person visits is reordered. Locked shifts are left alone. The moves
never change which volunteer serves what, so the series, drop-in and eligibility rules hold
as they did.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from scheduler.planning.costs import travel_cost
from scheduler.planning.draft import Draft
from scheduler.planning.insertion import _cap_failure
from scheduler.planning.insertion import worker_caps
from scheduler.planning.problem import Shift
from scheduler.planning.schedule import Task
from scheduler.planning.schedule import time_route

MAX_SEGMENT = 3
"""Or-opt moves strings of at most this many consecutive stops."""
MAX_TIMED = 200
"""At most this many candidate moves of one route are timed per pass (cheapest first)."""

Move = tuple[int, str, int, int, int, bool]
"""``(travel delta, kind, i, j, k, reversed)``: see :func:`_apply`."""


def improve_routes(draft: Draft, deadline: float) -> int:
    """Apply improving 2-opt and or-opt moves to every route until none is left or the
    deadline (monotonic seconds) comes.

    :return: the number of moves applied.
    """
    applied = 0
    for shift in draft.problem.shifts:
        if shift.locked or len(draft.routes[shift.id]) < 3:
            continue
        while time.monotonic() < deadline and _improve_once(draft, shift, deadline):
            applied += 1
        if time.monotonic() >= deadline:
            break
    return applied


def _improve_once(draft: Draft, shift: Shift, deadline: float) -> bool:
    """Find and apply one improving move in this route; ``False`` when there is none."""
    tasks = draft.routes[shift.id]
    physical = [k for k, (v, _) in enumerate(tasks) if v.location is not None]
    if len(physical) < 2:
        return False
    lo, hi = physical[0], physical[-1] + 1
    block = tasks[lo:hi]
    chain = [shift.start_location, *(v.location for v, _ in block), shift.end_location]
    cost = _leg_cost(draft, shift)
    moves = sorted(_moves(chain, cost))
    if not moves:
        return False
    worker = draft.idx.worker_of(shift)
    caps = worker_caps(draft, shift)
    week = draft.totals(worker.id, None, shift.id)
    day = draft.totals(worker.id, shift.day, shift.id)
    old = draft.cost_of(shift)
    for n, move in enumerate(moves):
        if n >= MAX_TIMED or (n % 16 == 0 and time.monotonic() >= deadline):
            break
        seq = [*tasks[:lo], *_apply(block, move), *tasks[hi:]]
        timing = time_route(draft.problem, shift, worker, seq, draft.pins)
        if not timing.feasible or _cap_failure(caps, week, day, timing) is not None:
            continue
        if draft.route_cost(shift, seq, timing) < old:
            draft.set_route(shift, seq, timing)
            return True
    return False


def _leg_cost(draft: Draft, shift: Shift) -> Callable[[int, int], int]:
    """The cost of one trip between two places for this shift's volunteer."""
    options = draft.problem.options
    has_car = draft.idx.worker_of(shift).has_car
    travel = draft.problem.travel
    minutes = travel.minutes if has_car else travel.walk_minutes
    metres = travel.metres
    known: dict[tuple[int, int], int] = {}

    def cost(a: int, b: int) -> int:
        found = known.get((a, b))
        if found is None:
            found = travel_cost(options, minutes[a][b], metres[a][b], has_car)
            known[(a, b)] = found
        return found

    return cost


def _moves(chain: list[int | None], cost: Callable[[int, int], int]) -> list[Move]:
    """Every 2-opt and or-opt move of the block that shortens the trips, with its saving.

    ``chain`` is the start, the block's places, and the end; block stop ``p`` is
    ``chain[p + 1]``.
    """
    c: list[int] = [x for x in chain if x is not None]
    m = len(c) - 2
    # fwd[p]: trips from stop 0 to stop p forwards; bwd[p]: the same stretch driven backwards.
    fwd = [0] * m
    bwd = [0] * m
    for p in range(1, m):
        fwd[p] = fwd[p - 1] + cost(c[p], c[p + 1])
        bwd[p] = bwd[p - 1] + cost(c[p + 1], c[p])
    out: list[Move] = []
    # 2-opt: reverse stops i..j.
    for i in range(m - 1):
        before = c[i]
        first = c[i + 1]
        cut_in = cost(before, first)
        for j in range(i + 1, m):
            last, after = c[j + 1], c[j + 2]
            delta = (
                cost(before, last)
                + cost(first, after)
                - cut_in
                - cost(last, after)
                + (bwd[j] - bwd[i])
                - (fwd[j] - fwd[i])
            )
            if delta < 0:
                out.append((delta, "2opt", i, j, 0, True))
    # Or-opt: move stops i..i+s-1 to sit before stop k of what is left (k = m - s: at the end).
    for s in range(1, min(MAX_SEGMENT, m - 1) + 1):
        for i in range(m - s + 1):
            a, b = c[i + 1], c[i + s]
            prev, nxt = c[i], c[i + s + 1]
            removed = cost(prev, a) + cost(b, nxt) - cost(prev, nxt)
            inner = fwd[i + s - 1] - fwd[i]
            inner_rev = bwd[i + s - 1] - bwd[i]
            rest = c[: i + 1] + c[i + s + 1 :]
            for k in range(m - s + 1):
                if k == i:
                    continue
                x, y = rest[k], rest[k + 1]
                gap = cost(x, y)
                forward = cost(x, a) + cost(b, y) - gap - removed
                if forward < 0:
                    out.append((forward, "or", i, s, k, False))
                if s > 1:
                    backward = cost(x, b) + cost(a, y) - gap - removed + inner_rev - inner
                    if backward < 0:
                        out.append((backward, "or", i, s, k, True))
    return out


def _apply(block: list[Task], move: Move) -> list[Task]:
    """The block after a move."""
    _, kind, i, j, k, rev = move
    if kind == "2opt":
        return [*block[:i], *reversed(block[i : j + 1]), *block[j + 1 :]]
    s = j
    segment = block[i : i + s]
    if rev:
        segment = segment[::-1]
    rest = block[:i] + block[i + s :]
    return [*rest[:k], *segment, *rest[k:]]
