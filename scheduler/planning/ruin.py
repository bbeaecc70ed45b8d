"""Ruin and recreate on the draft: the general path's main search.

Each step removes a group of related stops (strings of consecutive stops from routes near a
random seed stop, as in Christiaens and Vanden Berghe's SISR), then inserts them back, with a
few left-out seats, at their cheapest place with the draft's own insertion checks. Those
checks time every route with the same code as the final plan and look at every weekly and
daily cap, so each step keeps every rule. A step is accepted by late-acceptance hill
climbing (better than the current plan, or than the plan ``HISTORY`` steps ago) and undone
through the draft's journal otherwise; the best plan seen is kept.

Convergence rule: the search stops when ``window(seats)`` steps in a row bring no new best
(``WINDOW_BASE + WINDOW_PER_SEAT`` per seat, so the window grows with the instance), or at
the deadline, whichever comes first. With ``options.solution_limit`` the window is that many
steps (short and repeatable). The steps are drawn from a generator seeded with
``options.seed``, so a run that converges before its deadline is repeatable.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from scheduler.planning import chains
from scheduler.planning import relieve
from scheduler.planning.draft import Draft
from scheduler.planning.explain import repair
from scheduler.planning.recreate import regret_insert
from scheduler.planning.schedule import Task
from scheduler.planning.schedule import Timing
from scheduler.planning.schedule import time_route
from scheduler.planning.solver import Seat

Key = tuple[str, int]

HISTORY = 1000
"""Late acceptance compares a candidate with the plan this many steps ago."""
WINDOW_BASE = 300
WINDOW_PER_SEAT = 10
MAX_REMOVED = 12
"""At most this many stops are removed per step (fewer on small weeks)."""
MAX_STRING = 4
RELATED = 1
"""Left-out seats related to a ruin that are offered back, per stop removed."""
VOLUNTEER_RUIN = 0.3
"""Share of the steps that empty part of one volunteer's week rather than a neighbourhood."""
ROUTE_RUIN_SHARE = 0.0
"""Share of the steps that empty the seed stop's whole route and take strings of the stops
nearest to it: the reorganisation of a few routes that string removal near one stop rarely
makes (drawn from the same number as ``VOLUNTEER_RUIN``, so 0 leaves the steps unchanged)."""
NEIGHBOURS = 40
REGRET = 1 / 3
"""Share of the steps that put seats back by regret insertion (the others: cheapest
insertion, most pressing first or in a random order)."""


def window(seats: int, solution_limit: int | None = None) -> int:
    """Steps without a new best after which the search has converged."""
    if solution_limit is not None:
        return solution_limit
    return WINDOW_BASE + WINDOW_PER_SEAT * seats


class Search:
    """Ruin-and-recreate steps on one draft, keeping the best plan seen."""

    def __init__(self, draft: Draft, seats: Sequence[Seat], stream: int = 0) -> None:
        self.draft = draft
        self.seats = list(seats)
        self.seat_of: dict[Key, Seat] = {(s.task[0].id, s.task[1]): s for s in seats}
        self.rng = random.Random(f"{draft.problem.options.seed}/{stream}")
        self.movable = [s for s in self.seats if s.pin is None]
        self.near: dict[int, list[Key]] = {}
        self.workers_of: dict[Key, frozenset[str]] = {}
        self.cost = self.objective()
        self.best_cost = self.cost
        self.best: dict[str, tuple[list[Task], Timing]] = {}
        self.dirty: set[str] = set()
        self.steps = 0
        self.since_best = 0
        self.away: relieve.Relief | None = None
        """The volunteer a relieving step (``relieve.py``) took far visits from, if any."""
        self.chains: chains.Chains | None = None

    def objective(self) -> int:
        """Route costs plus the penalties of every seat left out."""
        d = self.draft
        cost = sum(d.cost_of(s) for s in d.problem.shifts if d.routes[s.id])
        return cost + sum(s.penalty for s in self.seats if (s.task[0].id, s.task[1]) not in d.where)

    # -- ruin ---------------------------------------------------------------------------------

    def _neighbours(self, loc: int) -> list[Key]:
        """Placed or not, the movable seats whose place is nearest ``loc``."""
        known = self.near.get(loc)
        if known is None:
            row = self.draft.problem.travel.minutes[loc]
            located = [
                (row[v.location], v.id, k)
                for s in self.movable
                for v, k in (s.task,)
                if v.location is not None
            ]
            located.sort()
            known = [(vid, k) for _, vid, k in located[:NEIGHBOURS]]
            self.near[loc] = known
        return known

    def _ruin(self) -> tuple[list[Seat], list[Seat]]:
        """Remove a group of related stops; return them, and left-out seats related to them
        (near the seed stop, or servable by the volunteer whose stops were removed)."""
        d = self.draft
        # The movable seats placed, counted without listing them (that list, rebuilt at every
        # step, was 4 % of a step on week M); the seed is drawn among them by rejection.
        placed = len(d.where) - sum(1 for key in d.pins if key in d.where)
        if placed <= 0:
            return [], []
        most = max(1, min(MAX_REMOVED, placed // 4 or 1))
        count = self.rng.randint(1, most)
        seed = self.rng.choice(self.movable)
        for _ in range(64):
            if (seed.task[0].id, seed.task[1]) in d.where:
                break
            seed = self.rng.choice(self.movable)
        else:
            seed = self.rng.choice(
                [s for s in self.movable if (s.task[0].id, s.task[1]) in d.where]
            )
        draw = self.rng.random()
        if draw < VOLUNTEER_RUIN:
            return self._ruin_volunteer(
                d.idx.shifts[d.where[seed.task[0].id, seed.task[1]]].worker_id, count
            )
        if draw < VOLUNTEER_RUIN + ROUTE_RUIN_SHARE:
            return self._ruin_route(d.where[seed.task[0].id, seed.task[1]], count)
        if draw < VOLUNTEER_RUIN + ROUTE_RUIN_SHARE + relieve.SHARE:
            out, near, self.away = relieve.ruin(self)
            if self.away is not None:
                return out, near
        visit = seed.task[0]
        if visit.location is not None:
            order = [(visit.id, seed.task[1]), *self._neighbours(visit.location)]
        else:
            order = [(visit.id, seed.task[1])]
        removed: list[Seat] = []
        related: list[Seat] = []
        ruined: set[str] = set()
        for key in order:
            if len(removed) >= count:
                break
            sid = d.where.get(key)
            if sid is None:
                related.append(self.seat_of[key])
                continue
            if sid in ruined:
                continue
            ruined.add(sid)
            removed.extend(self._remove_string(sid, key, count - len(removed)))
        if not removed:
            # A call or a lonely stop: take a string from the seed's own route.
            key = (visit.id, seed.task[1])
            removed = self._remove_string(d.where[key], key, count)
        return removed, related

    def _ruin_volunteer(self, worker_id: str, count: int) -> tuple[list[Seat], list[Seat]]:
        """Remove stops from one volunteer's week: room under their weekly caps for the
        left-out seats only they (or few others) can serve, which come back with them."""
        d = self.draft
        keys = [
            (v.id, k)
            for shift in d.idx.shifts_of[worker_id]
            for v, k in d.routes[shift.id]
            if d.pins.get((v.id, k)) is None
        ]
        removed: list[Seat] = []
        for key in self.rng.sample(keys, min(count, len(keys))):
            sid = d.where.get(key)
            if sid is not None:
                removed.extend(self._remove_string(sid, key, 1))
        related = [
            s
            for s in self.movable
            if (s.task[0].id, s.task[1]) not in d.where and worker_id in self._workers(s)
        ]
        return removed, related

    def _ruin_route(self, sid: str, count: int) -> tuple[list[Seat], list[Seat]]:
        """Empty one route (its pinned stops stay) and remove up to ``count`` more stops, in
        strings, from the routes nearest its stops; left-out seats near it come back too."""
        d = self.draft
        tasks = d.routes[sid]
        keys = [(v.id, k) for v, k in tasks if d.pins.get((v.id, k)) is None]
        if not keys:
            return [], []
        kept = [t for t in tasks if d.pins.get((t[0].id, t[1])) is not None]
        shift = d.idx.shifts[sid]
        timing = time_route(d.problem, shift, d.idx.worker_of(shift), kept, d.pins)
        if not timing.feasible:
            return [], []
        d.set_route(shift, kept, timing)
        removed = [self.seat_of[key] for key in keys]
        lists = [
            self._neighbours(loc)
            for key in keys
            if (loc := self.seat_of[key].task[0].location) is not None
        ]
        related: list[Seat] = []
        ruined = {sid}
        more = 0
        # Round robin over the emptied stops' neighbour lists: nearest first for each.
        for rank in range(NEIGHBOURS):
            for near in lists:
                if more >= count or rank >= len(near):
                    continue
                key = near[rank]
                other = d.where.get(key)
                if other is None:
                    if self.seat_of[key] not in related and key not in keys:
                        related.append(self.seat_of[key])
                    continue
                if other in ruined:
                    continue
                ruined.add(other)
                taken = self._remove_string(other, key, count - more)
                removed.extend(taken)
                more += len(taken)
        return removed, related

    def _workers(self, seat: Seat) -> frozenset[str]:
        key = (seat.task[0].id, seat.task[1])
        known = self.workers_of.get(key)
        if known is None:
            shifts = self.draft.idx.shifts
            known = frozenset(shifts[sid].worker_id for sid in seat.shifts)
            self.workers_of[key] = known
        return known

    def _remove_string(self, sid: str, key: Key, most: int) -> list[Seat]:
        """Remove up to ``most`` consecutive unpinned stops around ``key`` from a route."""
        d = self.draft
        tasks = d.routes[sid]
        at = next(k for k, (v, s) in enumerate(tasks) if (v.id, s) == key)
        length = self.rng.randint(1, max(1, min(MAX_STRING, most, len(tasks))))
        first = max(0, min(at - self.rng.randint(0, length - 1), len(tasks) - length))
        take = [
            k
            for k in range(first, first + length)
            if d.pins.get((tasks[k][0].id, tasks[k][1])) is None
        ]
        if not take:
            return []
        kept = [t for k, t in enumerate(tasks) if k not in take]
        shift = d.idx.shifts[sid]
        timing = time_route(d.problem, shift, d.idx.worker_of(shift), kept, d.pins)
        if not timing.feasible:
            return []
        d.set_route(shift, kept, timing)
        return [self.seat_of[(tasks[k][0].id, tasks[k][1])] for k in take]

    # -- one step ------------------------------------------------------------------------------

    def step(self, history: list[int]) -> None:
        """Ruin, recreate, accept or undo."""
        d = self.draft
        d.journal = []
        self.away = None
        chain = chains.step(self) if chains.SHARE and self.rng.random() < chains.SHARE else None
        if chain is not None:
            removed, todo = chain[0], chain[0] + chain[1]
            gone = {(s.task[0].id, s.task[1]) for s in removed}
        else:
            removed, related = self._ruin()
            gone = {(s.task[0].id, s.task[1]) for s in removed}
            if self.away is not None:
                todo = removed + related
                relieve.recreate(d, removed, related, self.away)
            else:
                todo = self._recreate(removed, related, gone)
        journal = d.journal or []
        delta = 0
        seen: set[str] = set()
        for shift, tasks, timing, _ in journal:
            if shift.id not in seen:
                seen.add(shift.id)
                delta += d.cost_of(shift) - d.price(shift, tasks, timing)
        for seat in todo:
            was = (seat.task[0].id, seat.task[1]) in gone
            now = (seat.task[0].id, seat.task[1]) in d.where
            if was and not now:
                delta += seat.penalty
            elif now and not was:
                delta -= seat.penalty
        candidate = self.cost + delta
        late = history[self.steps % len(history)]
        self.steps += 1
        if candidate < self.cost or candidate <= late:
            d.journal = None
            self.cost = candidate
            self.dirty |= seen
            history[(self.steps - 1) % len(history)] = candidate
            if candidate < self.best_cost:
                self._keep_best()
                self.best_cost = candidate
                self.since_best = 0
                return
        else:
            history[(self.steps - 1) % len(history)] = self.cost
            d.rollback()
        self.since_best += 1

    def _recreate(self, removed: list[Seat], related: list[Seat], gone: set[Key]) -> list[Seat]:
        """Put the removed seats back with some related and left-out ones, by regret or
        cheapest insertion; return every seat offered."""
        d = self.draft
        self.rng.shuffle(related)
        todo = removed + related[: max(1, RELATED * len(removed))]
        if self.rng.random() < 0.5:
            # Now and then a left-out seat from anywhere, so none is forgotten.
            extra = [
                s
                for s in self.movable
                if (key := (s.task[0].id, s.task[1])) not in d.where and key not in gone
            ]
            if extra:
                todo.append(self.rng.choice(extra))
        todo = list({(s.task[0].id, s.task[1]): s for s in todo}.values())
        pick = self.rng.random()
        if pick < REGRET:
            regret_insert(d, todo, priced=True)
        elif pick < (1 + REGRET) / 2:
            self.rng.shuffle(todo)
            repair(d, todo, ordered=True, priced=True)
        else:
            repair(d, todo, priced=True)
        return todo

    def _keep_best(self) -> None:
        d = self.draft
        for sid in self.dirty:
            self.best[sid] = (list(d.routes[sid]), d.timings[sid])
        self.dirty.clear()

    def restore_best(self) -> None:
        """Put back the best plan seen (only routes changed since then are touched)."""
        d = self.draft
        for sid in self.dirty:
            tasks, timing = self.best[sid]
            d.set_route(d.idx.shifts[sid], list(tasks), timing)
        self.dirty.clear()
        self.cost = self.best_cost


def ruin_and_recreate(draft: Draft, seats: Sequence[Seat], deadline: float, stream: int = 0) -> int:
    """Improve the draft until ``deadline`` (monotonic seconds) or convergence.

    :param stream: which random stream of ``options.seed`` to draw the steps from (each
        round of the general path uses its own).
    :return: the number of steps made.
    """
    search = Search(draft, seats, stream)
    if not search.movable:
        return 0
    options = draft.problem.options
    limit = window(len(search.seats), options.solution_limit)
    history = [search.cost] * HISTORY
    # The first best is the starting plan itself: remember its routes.
    search.dirty = set(draft.routes)
    search._keep_best()
    while search.since_best < limit and time.monotonic() < deadline:
        search.step(history)
    search.restore_best()
    return search.steps
