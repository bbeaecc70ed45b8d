"""Regret insertion: putting removed and left-out seats back where they are hardest to place.

Cheapest insertion in a fixed order (``explain.repair``) places the first seats where they
are cheapest and may leave no room for a later seat that had only one place. Regret
insertion (Potvin and Rousseau; Ropke and Pisinger's ALNS) places first the seat that would
lose most by waiting: the difference between its second-best and its best place, where
"leaving it out" counts as a place that costs the seat's penalty. A seat that only one
shift can take therefore goes first, then the others by how much their choice matters.
Weekly caps bind hard in real weeks, so this packing serves more requests.

Every place comes from the draft's cached insertion checks, which respect every rule and
every daily and weekly cap; after an insertion only the checks of that volunteer (and of
seats whose rules look at other volunteers: drop-ins and series) are asked again.
"""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.planning.draft import Draft
from scheduler.planning.scarcity import surcharge
from scheduler.planning.schedule import Timing
from scheduler.planning.solver import Seat

Place = tuple[int, int, Timing, int]
"""``(rank, position, timing, extra cost)``: the rank is the extra cost, plus the price of
scarce work minutes when the insertion is ``priced`` (``scarcity.py``)."""


def regret_insert(draft: Draft, todo: Sequence[Seat], priced: bool = False) -> list[Seat]:
    """Insert seats by largest regret (ties: the most pressing first), the regret and the
    choice among places counted in ranks (``priced``: with the price of scarce work minutes,
    ``scarcity.py``); a seat whose best place costs its penalty or more stays out.

    :return: the seats left out (no rule-abiding place, or none cheaper than the penalty).
    """
    shifts = draft.idx.shifts
    found: dict[int, dict[str, Place]] = {}
    pending: list[int] = []
    still: list[Seat] = []
    for k, seat in enumerate(todo):
        places = _places(draft, seat, seat.shifts, priced)
        if places:
            found[k] = places
            pending.append(k)
        else:
            still.append(seat)
    while pending:
        choice: tuple[int, int, int, str] | None = None
        dead: list[int] = []
        for k in pending:
            seat = todo[k]
            best: tuple[int, str, int] | None = None
            second = seat.penalty
            for sid, place in found[k].items():
                cost = place[0]
                if best is None or cost < best[0]:
                    if best is not None:
                        second = min(second, best[0])
                    best = (cost, sid, place[3])
                elif cost < second:
                    second = cost
            if best is None or best[2] >= seat.penalty:
                dead.append(k)
                continue
            key = (second - best[0], seat.penalty, -k, best[1])
            if choice is None or key[:3] > choice[:3]:
                choice = key
        for k in dead:
            pending.remove(k)
            still.append(todo[k])
        if choice is None:
            break
        k = -choice[2]
        sid = choice[3]
        pending.remove(k)
        _, pos, timing, _ = found.pop(k)[sid]
        seat = todo[k]
        shift = shifts[sid]
        tasks = draft.routes[sid]
        draft.set_route(shift, [*tasks[:pos], seat.task, *tasks[pos:]], timing)
        worker = shift.worker_id
        for j in pending:
            other = todo[j]
            visit = other.task[0]
            shared = visit.seats > 1 or (
                visit.series_id is not None and visit.series_worker_id is None
            )
            again = [s for s in other.shifts if shared or shifts[s].worker_id == worker]
            if not again:
                continue
            places = found[j]
            for s in again:
                places.pop(s, None)
            places.update(_places(draft, other, again, priced))
    return still


def _places(
    draft: Draft, seat: Seat, sids: Sequence[str], priced: bool = False
) -> dict[str, Place]:
    """The cheapest rule-abiding place of a seat in each of these shifts that has one."""
    out: dict[str, Place] = {}
    for sid in sids:
        shift = draft.idx.shifts[sid]
        place = draft.try_insert(seat.task, shift)
        if not isinstance(place, str):
            cost, pos, timing = place
            rank = cost + surcharge(draft, shift, timing) if priced else cost
            out[sid] = (rank, pos, timing, cost)
    return out
