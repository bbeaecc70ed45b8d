"""Exchange search: serve a left-out request through a chain of two hand-overs.

Measured on week M (``docs/planning.md``): once the greedy start, making room and a round of
ruin and recreate have run, the requests left out for capacity are refused by two kinds of
volunteers. About half have given every visit their weekly count allows; about a dozen others
stop minutes under their weekly work minutes with visits to spare. Serving one more request
then takes a chain: volunteer A (count full) takes the request ``u`` and hands one of their
seats ``p`` to volunteer B (work-capped), who can take ``p`` only after handing one of
their own seats ``q``, a long drive for them, to a third volunteer C with room. Random ruins
find such a chain every 700 to 1,000 steps; making room looks through count caps only.

This stage looks for exactly those chains. For each left-out seat, most pressing first, and
each shift of A that refuses it for a cap, it takes one of A's seats ``p`` (that shift, that
day or that week, as the cap says) whose *onward move* is known: straight into another
volunteer's shift, or into a shift of B that refuses it for a cap, once one of B's seats
``q`` moves straight to a C. Onward moves are found with the draft's cached insertion
checks while A's route is untouched (they avoid A, so A's change does not alter them), and
remembered until a chain is kept. Every move goes through :meth:`Draft.try_insert`, which
respects every rule and every daily and weekly cap, every changed route is timed by the same
code as the final plan, and a chain is kept only when the week's objective improves.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from scheduler.planning.draft import Draft
from scheduler.planning.problem import Shift
from scheduler.planning.room import insert_seat
from scheduler.planning.room import journal_delta
from scheduler.planning.room import remove_seat
from scheduler.planning.solver import Seat

Key = tuple[str, int]

WEEKLY = ("visits_per_week", "work_min_per_week")
"""Caps counted over the volunteer's week: any of their seats may make room."""
DAILY = ("visits_per_day", "km_per_day", "road_min_per_day")
"""Caps counted over one day: a seat of that day may make room."""
ROUTE = ("schedule", "load")
"""Refusals of one route: a seat of that shift may make room."""


def refusal_scope(draft: Draft, shift: Shift, why: str) -> list[Shift]:
    """The shifts whose seats could make room in ``shift`` after it refused with ``why``:
    the volunteer's week, that day, or the shift alone (none for any other refusal)."""
    if why in WEEKLY:
        return list(draft.idx.shifts_of[shift.worker_id])
    if why in DAILY:
        return [s for s in draft.idx.shifts_of[shift.worker_id] if s.day == shift.day]
    if why in ROUTE:
        return [shift]
    return []


def detour(draft: Draft, shift: Shift, k: int) -> int:
    """Minutes of road the route saves without its ``k``-th stop (0 for a call)."""
    tasks = draft.routes[shift.id]
    here = tasks[k][0].location
    if here is None:
        return 0
    travel = draft.problem.travel
    minutes = travel.minutes if draft.idx.worker_of(shift).has_car else travel.walk_minutes
    before = next(
        (t[0].location for t in reversed(tasks[:k]) if t[0].location is not None),
        shift.start_location,
    )
    after = next(
        (t[0].location for t in tasks[k + 1 :] if t[0].location is not None),
        shift.end_location,
    )
    return minutes[before][here] + minutes[here][after] - minutes[before][after]


DEPTH = 3
"""Hand-overs per chain: the left-out seat's volunteer hands a seat on, which may make its
new volunteer hand one on, and so on."""
GIVERS = 8
"""At each link, how many of the refusing volunteer's seats are tried (the longest detours
first): bounds the cost of a chain search on a week where most links fail."""

Onward = tuple[str, "tuple[Key, str, Onward] | None"] | None
"""Where a removed seat goes: ``(shift, None)`` straight in, ``(shift B, (q, B, then))``
into B once B's seat ``q`` has moved on as ``then`` says, or ``None``: nowhere found."""


def exchange(draft: Draft, seats: Sequence[Seat], deadline: float, depth: int | None = None) -> int:
    """Serve left-out seats by chains of up to two hand-overs, until ``deadline``
    (monotonic seconds) or every left-out seat has been tried.

    :return: how many seats were served.
    """
    return Exchange(draft, seats, DEPTH if depth is None else depth).run(deadline)


class Exchange:
    """The chain search on one draft; onward moves remembered until a chain is kept."""

    def __init__(self, draft: Draft, seats: Sequence[Seat], depth: int) -> None:
        self.draft = draft
        self.depth = depth
        self.seats = list(seats)
        self.seat_of: dict[Key, Seat] = {(s.task[0].id, s.task[1]): s for s in seats}
        self.onward: dict[tuple[Key, str, int], Onward] = {}
        self.deadline = float("inf")
        self.detour: dict[tuple[str, int, str, int], int] = {}

    def run(self, deadline: float) -> int:
        d = self.draft
        self.deadline = deadline
        served = 0
        left = sorted(
            (
                s
                for s in self.seats
                if s.pin is None and _movable(s) and (s.task[0].id, s.task[1]) not in d.where
            ),
            key=lambda s: (-s.penalty, s.task[0].id, s.task[1]),
        )
        for u in left:
            if time.monotonic() >= deadline:
                break
            if (u.task[0].id, u.task[1]) in d.where:
                continue
            if self.serve(u, deadline):
                served += 1
                # Routes of three volunteers changed: onward moves found before may be wrong.
                self.onward.clear()
        return served

    # -- one left-out seat ---------------------------------------------------------------------

    def serve(self, u: Seat, deadline: float) -> bool:
        """Try every chain that ends with ``u`` in a shift that refuses it today; keep the
        first that lowers the objective."""
        d = self.draft
        for sid in u.shifts:
            if time.monotonic() >= deadline:
                return False
            shift = d.idx.shifts[sid]
            why = d.try_insert(u.task, shift)
            if not isinstance(why, str):
                # It fits as it is (the search left it for a cheaper plan, or ran out):
                # the repair and ruin and recreate weigh that, not this stage.
                continue
            for p in self._givers(shift, why):
                if time.monotonic() >= deadline:
                    return False
                onward = self._onward(p, shift.worker_id, self.depth - 1)
                if onward is None and p.penalty >= u.penalty:
                    continue
                if self._apply(u, sid, p, onward):
                    return True
        return False

    def _apply(self, u: Seat, sid: str, p: Seat, onward: Onward) -> bool:
        """Remove ``p``, insert ``u`` into ``sid``, move ``p`` on; keep it if better."""
        d = self.draft
        d.journal = []
        ok = remove_seat(d, (p.task[0].id, p.task[1])) and insert_seat(d, u, sid)
        dropped = 0
        if ok and onward is not None:
            ok = self._move(p, onward)
        elif ok:
            dropped = p.penalty
        if ok and journal_delta(d) + dropped - u.penalty < 0:
            d.journal = None
            return True
        d.rollback()
        return False

    # -- where a seat can go ---------------------------------------------------------------------

    def _givers(self, shift_a: Shift, why: str) -> list[Seat]:
        """The seats of the refusing volunteer that could make room, longest detour first."""
        d = self.draft
        scope = refusal_scope(d, shift_a, why)
        out: list[tuple[int, Key]] = []
        for s in scope:
            tasks = d.routes[s.id]
            for k, (v, seat) in enumerate(tasks):
                key = (v.id, seat)
                if d.pins.get(key) is not None or not _movable(self.seat_of[key]):
                    continue
                out.append((-self._detour(s.id, k), key))
        out.sort()
        return [self.seat_of[key] for _, key in out[:GIVERS]]

    def _detour(self, sid: str, k: int) -> int:
        """Road minutes the route saves without its ``k``-th stop (0 for a call)."""
        d = self.draft
        tasks = d.routes[sid]
        shift = d.idx.shifts[sid]
        key = (tasks[k][0].id, tasks[k][1], sid, d.versions[shift.worker_id])
        known = self.detour.get(key)
        if known is not None:
            return known
        saved = detour(d, shift, k)
        self.detour[key] = saved
        return saved

    def _onward(self, p: Seat, avoid: str, depth: int = 1) -> Onward:
        """Where ``p`` (a seat of volunteer ``avoid``) can go if it leaves, through at most
        ``depth`` further hand-overs: remembered until a chain is kept."""
        key = ((p.task[0].id, p.task[1]), avoid, depth)
        if key in self.onward:
            return self.onward[key]
        found = self._find_onward(p, avoid, depth)
        self.onward[key] = found
        return found

    def _find_onward(self, p: Seat, avoid: str, depth: int) -> Onward:
        d = self.draft
        direct = _cheapest(d, p, {avoid})
        if direct is not None:
            return direct, None
        if depth <= 0:
            return None
        for sid_b in p.shifts:
            if time.monotonic() >= self.deadline:
                # A large week: the search of one seat's onward moves may outlast the pass.
                return None
            shift_b = d.idx.shifts[sid_b]
            b = shift_b.worker_id
            if b == avoid:
                continue
            why = d.try_insert(p.task, shift_b)
            if not isinstance(why, str):
                continue
            for q in self._givers(shift_b, why):
                q_key = (q.task[0].id, q.task[1])
                then = self._onward(q, b, depth - 1)
                if then is None:
                    continue
                # Would B take p without q? Look, then put q back.
                d.journal = []
                fits = remove_seat(d, q_key) and not isinstance(d.try_insert(p.task, shift_b), str)
                d.rollback()
                if fits:
                    return sid_b, (q_key, b, then)
        return None

    def _move(self, p: Seat, onward: Onward) -> bool:
        """Carry out an onward move of ``p`` (already removed); False if a link fails."""
        if onward is None:
            return False
        target, then = onward
        d = self.draft
        if then is not None:
            q_key, _, rest = then
            if not (remove_seat(d, q_key) and self._move(self.seat_of[q_key], rest)):
                return False
        return insert_seat(d, p, target)


def _movable(seat: Seat) -> bool:
    """Drop-ins (several seats) and series sessions are left where they are: their rules look
    at other volunteers' routes."""
    visit = seat.task[0]
    return visit.seats == 1 and visit.series_id is None


def _cheapest(draft: Draft, seat: Seat, avoid: set[str]) -> str | None:
    """The shift, away from volunteers ``avoid``, where the seat fits most cheaply."""
    best: tuple[int, str] | None = None
    for sid in seat.shifts:
        shift = draft.idx.shifts[sid]
        if shift.worker_id in avoid:
            continue
        found = draft.try_insert(seat.task, shift)
        if not isinstance(found, str) and (best is None or found[0] < best[0]):
            best = (found[0], sid)
    return None if best is None else best[1]
