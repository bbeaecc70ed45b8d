"""What the planner returns: routes with times, requests left out with reasons, statistics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a visit (or some seats of a drop-in) could not be placed.

    Each value comes with parameters in :attr:`Unassigned.detail`; the interface words them.
    """

    NO_AVAILABILITY = "no_availability"
    """No shift overlaps any of the visit's windows for long enough. ``windows``."""
    SERIES_VOLUNTEER_UNAVAILABLE = "series_volunteer_unavailable"
    """The volunteer who runs the series has no fitting shift. ``worker_id``."""
    NO_LANGUAGE_MATCH = "no_language_match"
    """Nobody available on an overlapping day speaks a language of the beneficiary.
    ``languages``, ``days``."""
    MISSING_SKILL = "missing_skill"
    """Nobody available with the language has every skill required. ``skills``, ``days``."""
    NEEDS_CAR = "needs_car"
    """The visit needs a car (or is beyond walking distance) and no one free has one.
    ``walking_limit_km``, ``km_from_home``."""
    BEYOND_KM_LIMIT = "beyond_km_limit"
    """The round trip exceeds every remaining volunteer's daily km limit. ``km``, ``limit_km``."""
    BEYOND_ROAD_TIME_LIMIT = "beyond_road_time_limit"
    """The round trip exceeds every remaining volunteer's daily road time. ``minutes``,
    ``limit_min``."""
    TRAVEL_DOES_NOT_FIT = "travel_does_not_fit"
    """Shifts overlap the windows, but not with the travel there and back. ``shifts``."""
    PIN_CONFLICT = "pin_conflict"
    """The confirmed slot cannot be kept (outside windows or shift, or clashing). ``shift_id``,
    ``start``."""
    CAPACITY = "capacity"
    """Feasible alone, but every eligible shift is full. ``bound`` (the cap that blocks most
    shifts: ``visits_per_week``, ``visits_per_day``, ``work_min_per_week``, ``km_per_day``,
    ``road_min_per_day``, ``load``, ``staff`` (every eligible volunteer already holds a seat
    of this drop-in), ``series`` (the series' volunteer has no room), ``schedule`` (no gap
    left in the day), ``cost`` (a place exists but costs more than leaving the request out,
    given the weights) or ``search`` (only when repair is off)), ``shifts`` (how many were
    eligible), ``bounds`` (count per bound)."""


@dataclass(frozen=True, slots=True)
class Stop:
    """A visit (or one seat of a drop-in) in a route; ``start`` is when the visit begins."""

    visit_id: str
    start: int
    end: int
    seat: int = 0


@dataclass(frozen=True, slots=True)
class Route:
    """One shift's day: leave at ``depart``, serve ``stops`` in order, be back at ``back``."""

    shift_id: str
    worker_id: str
    depart: int
    back: int
    stops: tuple[Stop, ...]
    metres: int
    road_min: int
    work_min: int


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A visit left out (or the seats of a drop-in left empty) and why."""

    visit_id: str
    reason: Reason
    detail: Mapping[str, object]
    seats_missing: int = 1


@dataclass(frozen=True, slots=True)
class Stats:
    """Figures for the dispatcher and the benchmarks."""

    requested: int
    served: int
    seats_requested: int
    seats_filled: int
    metres: int
    road_min: int
    work_min: int
    objective: int
    unassigned_by_reason: Mapping[str, int]
    solver: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The result of a planning run."""

    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    stats: Stats

    def route_of(self, shift_id: str) -> Route | None:
        """The route of a shift, if it has one."""
        for r in self.routes:
            if r.shift_id == shift_id:
                return r
        return None

    def placements(self) -> dict[tuple[str, int], tuple[str, Stop]]:
        """``(visit_id, seat) -> (shift_id, stop)`` for every stop."""
        return {(s.visit_id, s.seat): (r.shift_id, s) for r in self.routes for s in r.stops}


class ChangeKind(StrEnum):
    """How a visit's placement differs between two plans."""

    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    RETIMED = "retimed"


@dataclass(frozen=True, slots=True)
class Change:
    """One visit seat placed differently: before and after as ``(shift_id, start)``."""

    visit_id: str
    seat: int
    kind: ChangeKind
    before: tuple[str, int] | None
    after: tuple[str, int] | None


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """Every change between a published plan and a re-plan, in a stable order."""

    changes: tuple[Change, ...]

    def count(self, kind: ChangeKind) -> int:
        """How many changes of this kind."""
        return sum(1 for c in self.changes if c.kind is kind)


def diff_plans(before: Plan, after: Plan) -> PlanDiff:
    """Compare two plans seat by seat.

    The seats of one drop-in are interchangeable: a seat kept at the same shift and minute is
    unchanged whatever its number, and the others are paired in seat order.
    """
    old = _by_visit(before)
    new = _by_visit(after)
    changes: list[Change] = []
    for visit_id in sorted(old.keys() | new.keys()):
        was = old.get(visit_id, [])
        now = new.get(visit_id, [])
        stay = [p for p in was if p[1] in {q[1] for q in now}]
        for seat, where in stay:
            now.remove(next(q for q in now if q[1] == where))
            was.remove((seat, where))
        for k in range(max(len(was), len(now))):
            a = was[k] if k < len(was) else None
            b = now[k] if k < len(now) else None
            if a is None and b is not None:
                changes.append(Change(visit_id, b[0], ChangeKind.ADDED, None, b[1]))
            elif b is None and a is not None:
                changes.append(Change(visit_id, a[0], ChangeKind.REMOVED, a[1], None))
            elif a is not None and b is not None:
                kind = ChangeKind.MOVED if a[1][0] != b[1][0] else ChangeKind.RETIMED
                changes.append(Change(visit_id, b[0], kind, a[1], b[1]))
    return PlanDiff(tuple(changes))


def _by_visit(plan: Plan) -> dict[str, list[tuple[int, tuple[str, int]]]]:
    """``visit_id -> [(seat, (shift_id, start))]`` in seat order."""
    out: dict[str, list[tuple[int, tuple[str, int]]]] = {}
    for (visit_id, seat), (shift_id, stop) in sorted(plan.placements().items()):
        out.setdefault(visit_id, []).append((seat, (shift_id, stop.start)))
    return out
