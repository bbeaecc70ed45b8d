"""What the planner returns: routes with times, requests left out with reasons, statistics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
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
    given the weights), ``locked`` (the volunteer-days that could take it are locked) or
    ``search`` (only when repair is off)), ``shifts`` (how many were eligible), ``bounds``
    (count per bound)."""
    AFTER_DEADLINE = "after_deadline"
    """Deadlines are hard (``Options.hard_deadlines``) and nothing before the deadline is
    possible, though later would be. ``deadline`` (minute on the week axis)."""


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
class Late:
    """A stop placed after its request's deadline: it ends at ``end``, after ``deadline``
    (minutes on the week axis). Only with soft deadlines (the default)."""

    visit_id: str
    seat: int
    deadline: int
    start: int
    end: int


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
    stage_cpu: Mapping[str, float] = field(default_factory=dict, compare=False)
    """CPU seconds of the process spent in each stage of the run (greedy start, PyVRP days,
    ruin and recreate, tightening, making room, repair and explanations). On a shared machine
    it says what the run really had, where the wall-clock budget does not; it varies from run
    to run, so two plans compare equal without it."""
    stage_wall: Mapping[str, float] = field(default_factory=dict, compare=False)
    """Wall-clock seconds of the same stages: with ``stage_cpu``, the share of a core each had."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The result of a planning run; ``late`` lists the stops placed after their deadline."""

    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    stats: Stats
    late: tuple[Late, ...] = ()

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
    """New: placed now, not before."""
    REMOVED = "removed"
    """Dropped: placed before, not now (``Change.reason`` says why)."""
    MOVED = "moved"
    """Another shift (volunteer or day), from ``before`` to ``after``."""
    RETIMED = "retimed"
    """The same shift at another time."""
    UNCHANGED = "unchanged"
    """The same shift and minute (listed in :attr:`PlanDiff.unchanged`)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One visit seat in two plans: before and after as ``(shift_id, start)``.

    For a dropped seat, ``reason`` and ``detail`` are those of the new plan's
    :class:`Unassigned`; both are ``None`` when the visit is no longer in the new plan at all
    (cancelled).
    """

    visit_id: str
    seat: int
    kind: ChangeKind
    before: tuple[str, int] | None
    after: tuple[str, int] | None
    reason: Reason | None = None
    detail: Mapping[str, object] | None = None


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """Every change between a published plan and a re-plan, in a stable order, and the
    seats that stay exactly where they were (``unchanged``)."""

    changes: tuple[Change, ...]
    unchanged: tuple[Change, ...] = ()

    def count(self, kind: ChangeKind) -> int:
        """How many seats changed this way (or stayed, for ``UNCHANGED``)."""
        if kind is ChangeKind.UNCHANGED:
            return len(self.unchanged)
        return sum(1 for c in self.changes if c.kind is kind)

    def of_visit(self, visit_id: str) -> tuple[Change, ...]:
        """What happened to each seat of one visit, changed or not."""
        return tuple(c for c in (*self.changes, *self.unchanged) if c.visit_id == visit_id)


def diff_plans(before: Plan, after: Plan) -> PlanDiff:
    """Compare two plans seat by seat.

    The seats of one drop-in are interchangeable: a seat kept at the same shift and minute is
    unchanged whatever its number, and the others are paired in seat order. A dropped seat
    carries the reason the new plan gives for leaving its visit out.
    """
    old = _by_visit(before)
    new = _by_visit(after)
    why = {u.visit_id: u for u in after.unassigned}
    changes: list[Change] = []
    unchanged: list[Change] = []
    for visit_id in sorted(old.keys() | new.keys()):
        was = old.get(visit_id, [])
        now = new.get(visit_id, [])
        # Pair each old seat with one new seat at the same place, each new seat used once:
        # two old seats may share a place that only one new seat still holds.
        for seat, where in list(was):
            match = next((q for q in now if q[1] == where), None)
            if match is None:
                continue
            now.remove(match)
            was.remove((seat, where))
            unchanged.append(Change(visit_id, seat, ChangeKind.UNCHANGED, where, where))
        for k in range(max(len(was), len(now))):
            a = was[k] if k < len(was) else None
            b = now[k] if k < len(now) else None
            if a is None and b is not None:
                changes.append(Change(visit_id, b[0], ChangeKind.ADDED, None, b[1]))
            elif b is None and a is not None:
                u = why.get(visit_id)
                reason, detail = (u.reason, u.detail) if u is not None else (None, None)
                changes.append(
                    Change(visit_id, a[0], ChangeKind.REMOVED, a[1], None, reason, detail)
                )
            elif a is not None and b is not None:
                kind = ChangeKind.MOVED if a[1][0] != b[1][0] else ChangeKind.RETIMED
                changes.append(Change(visit_id, b[0], kind, a[1], b[1]))
    return PlanDiff(tuple(changes), tuple(unchanged))


def _by_visit(plan: Plan) -> dict[str, list[tuple[int, tuple[str, int]]]]:
    """``visit_id -> [(seat, (shift_id, start))]`` in seat order."""
    out: dict[str, list[tuple[int, tuple[str, int]]]] = {}
    for (visit_id, seat), (shift_id, stop) in sorted(plan.placements().items()):
        out.setdefault(visit_id, []).append((seat, (shift_id, stop.start)))
    return out
