"""The general path's first plan: cheapest insertion over sparse neighbourhoods, on a clock.

Offering every seat to every candidate shift costs seats × shifts insertion checks, most of
them answered "no" by a volunteer on the other side of the territory: on a network of 1,200
shifts and 6,200 seats that was 25 s of CPU before any search ran. Here each seat is offered
first to its ``NEIGHBOURS`` nearest candidate shifts (by travel time from where the shift
starts to the visit; a phone call, which has no place, to the candidate shifts with the
fewest stops so far). Only a seat none of them takes is offered to the others, and only
while the greedy start's share of the time lasts. A seat left out here is not lost: ruin and
recreate, making room and the final repair (which offers every seat still left out to every
candidate shift the same way, nearest first, and explains the ones it cannot place) come
after. :func:`repair` is the insertion itself, which every stage uses.

Both passes offer a seat only one of a group of identical empty shifts (:class:`Twins`): a
VRPTW fleet of 250 vehicles waiting at one depot answers every customer 140 times alike
otherwise, and on a slow core the final repair ran out of time before reaching half of them.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Hashable
from collections.abc import Sequence
from dataclasses import fields

import numpy as np

from scheduler.planning.draft import Draft
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Worker
from scheduler.planning.scarcity import surcharge
from scheduler.planning.schedule import Timing
from scheduler.planning.solver import Seat


def repair(
    draft: Draft,
    left_out: Sequence[Seat],
    ordered: bool = False,
    priced: bool = False,
    twins: Twins | None = None,
) -> list[Seat]:
    """Insert left-out seats wherever a rule-abiding, worthwhile place remains.

    Seats are taken most pressing first, unless ``ordered`` says they already are in the
    order wanted. With ``priced``, a seat's places are ranked with the price of scarce work
    minutes (``scarcity.py``; nothing when its price is 0); whether it is placed at all is
    still its extra cost against its penalty. With ``twins``, a seat is offered only the
    first of each group of identical empty shifts among its candidates: the others would
    answer alike, and the first of equally cheap places wins anyway, so the seat goes where
    offering every shift would put it.

    :return: the seats still left out.
    """
    still: list[Seat] = []
    shifts = draft.idx.shifts
    fulls = draft.fulls
    versions = draft.versions
    for seat in left_out if ordered else sorted(left_out, key=lambda s: -s.penalty):
        best: tuple[int, int, Timing, Shift] | None = None
        rank = 0
        alike_of = twins.key if twins is not None and twins.apply(seat) else None
        seen: set[Hashable] = set()
        for sid in seat.shifts:
            if alike_of is not None:
                alike = alike_of(sid)
                if alike is not None:
                    if alike in seen:
                        continue
                    seen.add(alike)
            shift = shifts[sid]
            # A volunteer known to have no visit left to give refuses any seat (shared seats
            # too, perhaps for another reason first): skipped without asking, the most common
            # pair of the final repair on a large week.
            full = fulls.get(sid)
            if full is not None and full[1] is not None and full[0] == versions[shift.worker_id]:
                continue
            found = draft.try_insert(seat.task, shift)
            if isinstance(found, str):
                continue
            if priced:
                ranked = found[0] + surcharge(draft, shift, found[2])
                if best is None or ranked < rank:
                    best, rank = (*found, shift), ranked
            elif best is None or found[0] < best[0]:
                best = (*found, shift)
        if best is None or best[0] >= seat.penalty:
            still.append(seat)
            continue
        _, pos, timing, shift = best
        tasks = draft.routes[shift.id]
        draft.set_route(shift, [*tasks[:pos], seat.task, *tasks[pos:]], timing)
    return still


NEIGHBOURS = 24
"""Candidate shifts offered to a seat in the first pass: nearest first."""


def greedy_start(draft: Draft, seats: Sequence[Seat], until: float) -> tuple[list[Seat], float]:
    """Insert the seats not yet in the draft, most pressing first, by cheapest insertion.

    A first pass offers each seat its nearest candidate shifts; a second pass offers the seats
    still left out every candidate shift. Both stop at ``until`` (monotonic seconds): the
    seats not yet tried stay left out.

    :return: the seats still left out, and the share of the seats the first pass reached
        before ``until`` (1.0 when it offered every one).
    """
    placed = draft.where
    todo = sorted(
        (s for s in seats if (s.task[0].id, s.task[1]) not in placed), key=lambda s: -s.penalty
    )
    near = _Neighbourhoods(draft)
    twins = Twins(draft)
    still: list[Seat] = []
    wide: list[Seat] = []
    reached = 1.0
    for n, seat in enumerate(todo):
        if time.monotonic() >= until:
            still.extend(todo[n:])
            reached = n / len(todo)
            break
        if len(seat.shifts) <= NEIGHBOURS:
            still.extend(repair(draft, [seat], ordered=True, twins=twins))
            continue
        narrow = Seat(seat.task, near.of(seat), seat.penalty, seat.pin)
        if repair(draft, [narrow], ordered=True, twins=twins):
            wide.append(seat)
    for n, seat in enumerate(wide):
        if time.monotonic() >= until:
            still.extend(wide[n:])
            break
        still.extend(repair(draft, [seat], ordered=True, twins=twins))
    return still, reached


class Twins:
    """Groups of shifts that would answer every insertion check alike while they are empty.

    Two shifts are twins when everything an insertion check or the objective reads of them is
    equal: every field of the shift but its ids (times, day, places, capacity, phone-only,
    locked), every field of its volunteer but the id (languages, skills, car, walking limit,
    every cap, home), its fair share of work, and the same for the volunteer's other shifts,
    all of whose routes are empty too (so the week's and the day's totals are equal). The
    fields are read from the dataclasses, so a field added later keeps shifts apart until
    it is thought about. A seat whose cost or rules name a volunteer or a shift (previous
    volunteer, re-planned shift, series volunteer, pins) is offered every shift.
    """

    def __init__(self, draft: Draft) -> None:
        self.routes = draft.routes
        idx = draft.idx
        own = {
            s.id: (
                tuple(
                    getattr(s, f.name) for f in fields(Shift) if f.name not in ("id", "worker_id")
                ),
                draft.share[s.id],
            )
            for s in draft.problem.shifts
        }
        self.kin: dict[str, tuple[str, ...]] = {}
        self.sign: dict[str, Hashable] = {}
        for worker in draft.problem.workers:
            mine = tuple(s.id for s in idx.shifts_of[worker.id])
            person = tuple(getattr(worker, f.name) for f in fields(Worker) if f.name != "id")
            for sid in mine:
                self.kin[sid] = mine
                others = tuple(own[k] for k in mine if k != sid)
                self.sign[sid] = (own[sid], person, others)

    def key(self, sid: str) -> Hashable | None:
        """The group of an empty shift (whose volunteer's shifts are all empty), else None."""
        routes = self.routes
        for k in self.kin[sid]:
            if routes[k]:
                return None
        return self.sign[sid]

    @staticmethod
    def apply(seat: Seat) -> bool:
        """Whether twins answer this seat alike: nothing of it names a volunteer or shift."""
        visit = seat.task[0]
        return (
            seat.pin is None
            and not visit.pins
            and visit.previous_worker_id is None
            and visit.planned_shift_id is None
            and visit.series_worker_id is None
        )


class _Neighbourhoods:
    """The nearest candidate shifts of a seat, from one row of the travel matrix."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        shifts = draft.problem.shifts
        self.number = {s.id: k for k, s in enumerate(shifts)}
        self.start_of = np.array([s.start_location for s in shifts], dtype=np.int64)
        self.ids = [s.id for s in shifts]
        self.arrays: dict[tuple[str, ...], np.ndarray] = {}

    def of(self, seat: Seat) -> tuple[str, ...]:
        """``NEIGHBOURS`` of the seat's candidate shifts, nearest (or emptiest) first."""
        numbers = self.arrays.get(seat.shifts)
        if numbers is None:
            numbers = np.array([self.number[sid] for sid in seat.shifts], dtype=np.int64)
            self.arrays[seat.shifts] = numbers
        visit = seat.task[0]
        if visit.location is None:
            routes = self.draft.routes
            ids = self.ids
            load = np.array([len(routes[ids[k]]) for k in numbers], dtype=np.int64)
        else:
            row = self.draft.problem.travel.minutes[visit.location]
            # Compact rows (``array('i')``) are read in place; tuples are copied.
            values = np.frombuffer(row, np.int32) if isinstance(row, array) else np.asarray(row)
            load = values[self.start_of[numbers]]
        keep = np.argpartition(load, NEIGHBOURS - 1)[:NEIGHBOURS]
        keep = keep[np.argsort(load[keep], kind="stable")]
        return tuple(self.ids[int(k)] for k in numbers[keep])
