"""Ejection chains: a step of ruin and recreate that serves a left-out request through a
chain of hand-overs between volunteers.

On week M at 10 s, when a volunteer at a weekly cap would have to give up a visit so that a
left-out request fits, no other single volunteer can take that visit as things stand (380
cases of 380, ``docs/planning.md``, 2 December 2026, second stop): the long run's plans get
there by a chain through several volunteers. Making room (``room.py``) and the exchange
search (``exchange.py``) look for such chains once per pass, between rounds; this step looks
for one inside the search, on the plan ruin and recreate is moving, so a chain that opens
after a few steps is found then.

One step draws a left-out seat ``r`` and tries to place it (:meth:`Chains.place`):

1. straight into the cheapest of its ``DIRECT`` nearest shifts that takes it;
2. else, in one of its ``SHIFTS`` nearest shifts A that refuses it, a visit ``v`` of A's
   volunteer (that shift, that day or that week, as the refusal says; the ``EJECT`` longest
   detours first) is taken out; if ``r`` then fits in A, ``v`` is placed in turn the same
   way, away from A's volunteer, and so on, up to ``DEPTH`` hand-overs;
3. the last seat of a chain that finds no place may be left out when it is less pressing
   than ``r`` (second pass only, so that chains serving one more request come first).

Every move is :meth:`Draft.try_insert` (every rule, every daily and weekly cap, through the
draft's cached checks) or a removal timed by the same code as the final plan, and a link that
fails is undone through the draft's journal. The chain is kept only when the week's
objective falls (``r``'s penalty is ten thousand times a minute of road, so in practice when
one more request is served); otherwise every route is put back as it was. A search for one
seat stops after ``CHECKS`` insertion checks worked out, so a step costs a few ordinary ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.planning.draft import Draft
from scheduler.planning.exchange import detour
from scheduler.planning.exchange import refusal_scope
from scheduler.planning.problem import Shift
from scheduler.planning.room import insert_seat
from scheduler.planning.room import journal_delta
from scheduler.planning.room import remove_seat
from scheduler.planning.solver import Seat

if TYPE_CHECKING:
    from scheduler.planning.ruin import Search

Key = tuple[str, int]

SHARE = 0.05
"""Share of the steps of ruin and recreate that try an ejection chain for a left-out seat
(drawn from a number of their own, only when above 0, so 0 makes exactly the steps of
before). Week M at 10 s of CPU, six search seeds, two passes: 345.7 and 346.7 requests served
on average against 344.3 and 345.3 at 0 (``docs/planning.md``, 2 December 2026, third stop).
``bench.week_seeds --set chains.SHARE=0`` measures the search without them."""
DEPTH = 3
"""Hand-overs per chain: ``r`` into A ejects ``v``, ``v`` into B ejects ``w``, and so on."""
DIRECT = 8
"""Nearest shifts (by travel from where the shift starts) offered a seat straight in."""
SHIFTS = 4
"""Nearest refusing shifts in which a seat may eject one of the volunteer's visits."""
EJECT = 3
"""Visits of a refusing volunteer tried for ejection (the longest detours first)."""
CHECKS = 400
"""Insertion checks worked out (not remembered) after which the search for a seat gives up."""


def step(search: Search) -> tuple[list[Seat], list[Seat]] | None:
    """One chain step on the search's draft, whose journal is open and empty.

    :return: the seats ejected (they were placed; they are placed again or, the last one,
        left out) and the seat served, for the search's own account of the step; ``None``,
        with every route as before, when no chain lowers the objective.
    """
    d = search.draft
    left = [s for s in search.movable if movable(s) and (s.task[0].id, s.task[1]) not in d.where]
    if not left:
        return None
    if search.chains is None:
        search.chains = Chains(d, search.seat_of)
    r = search.rng.choice(left)
    return search.chains.serve(r)


def movable(seat: Seat) -> bool:
    """Drop-ins (several seats) and series sessions stay where they are: their rules look at
    other volunteers' routes, which a chain changes."""
    visit = seat.task[0]
    return visit.seats == 1 and visit.series_id is None


class Chains:
    """The chain search on one draft: each seat's shifts by nearness, remembered."""

    def __init__(self, draft: Draft, seat_of: dict[Key, Seat]) -> None:
        self.draft = draft
        self.seat_of = seat_of
        self.near: dict[Key, list[Shift]] = {}
        self.failed: set[tuple[Key, frozenset[str], int, int]] = set()
        self.budget = 0

    def serve(self, r: Seat) -> tuple[list[Seat], list[Seat]] | None:
        """Place ``r`` by a chain (without, then with leaving a less pressing seat out);
        keep it if the objective falls, else undo it."""
        d = self.draft
        assert d.journal is not None and not d.journal
        self.failed.clear()
        self.budget = d.checks + CHECKS
        for drop in (0, r.penalty):
            chain: list[Seat] = []
            if self.place(r, frozenset(), DEPTH, drop, chain):
                out = [s for s in chain if (s.task[0].id, s.task[1]) not in d.where]
                delta = journal_delta(d) - r.penalty + sum(s.penalty for s in out)
                if delta < 0:
                    return chain, [r]
                undo_to(d, 0)
        return None

    def place(
        self, seat: Seat, avoid: frozenset[str], depth: int, drop: int, chain: list[Seat]
    ) -> bool:
        """Place ``seat`` away from the volunteers ``avoid``, ejecting at most ``depth``
        visits in a chain (each appended to ``chain``); the last one may be left out when its
        penalty is below ``drop``. On failure every route is as before."""
        d = self.draft
        key = (seat.task[0].id, seat.task[1])
        memo = (key, avoid, depth, drop)
        if memo in self.failed:
            return False
        shifts = [s for s in self._near(seat) if s.worker_id not in avoid]
        best: tuple[int, str] | None = None
        refused: list[tuple[Shift, str]] = []
        for shift in shifts[:DIRECT]:
            found = d.try_insert(seat.task, shift)
            if isinstance(found, str):
                if len(refused) < SHIFTS:
                    refused.append((shift, found))
            elif best is None or found[0] < best[0]:
                best = (found[0], shift.id)
        if best is not None:
            return insert_seat(d, seat, best[1])
        if depth > 0:
            for shift, why in refused:
                for v in self._givers(shift, why):
                    if d.checks >= self.budget:
                        return False
                    assert d.journal is not None
                    mark = len(d.journal)
                    if not remove_seat(d, (v.task[0].id, v.task[1])):
                        continue
                    if insert_seat(d, seat, shift.id) and self.place(
                        v, avoid | {shift.worker_id}, depth - 1, drop, chain
                    ):
                        chain.append(v)
                        return True
                    undo_to(d, mark)
        if seat.penalty < drop and avoid:
            return True  # the end of a chain: a less pressing seat stays out
        self.failed.add(memo)
        return False

    def _near(self, seat: Seat) -> list[Shift]:
        """The seat's candidate shifts, nearest first (by travel from where they start)."""
        key = (seat.task[0].id, seat.task[1])
        known = self.near.get(key)
        if known is None:
            d = self.draft
            shifts = [d.idx.shifts[sid] for sid in seat.shifts if sid in d.idx.shifts]
            loc = seat.task[0].location
            if loc is not None:
                minutes = d.problem.travel.minutes
                shifts.sort(key=lambda s: (minutes[s.start_location][loc], s.id))
            known = self.near[key] = shifts
        return known

    def _givers(self, shift: Shift, why: str) -> list[Seat]:
        """The refusing volunteer's movable visits that could make room (that shift, day or
        week, as the refusal says), the ``EJECT`` longest detours first."""
        d = self.draft
        scope = refusal_scope(d, shift, why)
        ranked: list[tuple[int, str, int, Seat]] = []
        for s in scope:
            tasks = d.routes[s.id]
            for k, (visit, n) in enumerate(tasks):
                if d.pins.get((visit.id, n)) is not None:
                    continue
                seat = self._seat(s, k)
                if seat is None or not movable(seat):
                    continue
                ranked.append((-detour(d, s, k), visit.id, n, seat))
        ranked.sort(key=lambda t: t[:3])
        return [t[3] for t in ranked[:EJECT]]

    def _seat(self, shift: Shift, k: int) -> Seat | None:
        visit, n = self.draft.routes[shift.id][k]
        return self.seat_of.get((visit.id, n))


def undo_to(draft: Draft, mark: int) -> None:
    """Undo the route changes recorded in the open journal after its first ``mark``
    entries (as :meth:`Draft.rollback` undoes them all), leaving the journal open."""
    journal = draft.journal
    assert journal is not None
    undone = journal[mark:]
    del journal[mark:]
    draft.journal = None
    for shift, tasks, timing, _ in reversed(undone):
        draft.set_route(shift, tasks, timing)
    for shift, _, _, version in reversed(undone):
        draft.versions[shift.worker_id] = version
    draft.journal = journal
