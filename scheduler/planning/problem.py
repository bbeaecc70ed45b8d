"""What the planner is asked to solve: volunteers' shifts, requested visits, travel, options.

Every time is an integer number of minutes from the planning week's origin (Monday 00:00,
local time), so windows on different days live on one axis. Every place is an index into
``Problem.locations`` and into the rows and columns of ``Problem.travel``.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from enum import StrEnum

from scheduler.planning.matrix import TravelMatrix

MINUTES_PER_DAY = 1440
WEEK_MINUTES = 7 * MINUTES_PER_DAY


class VisitKind(StrEnum):
    """How a request is served: at the beneficiary's home, on the phone, or at a drop-in."""

    HOME = "home"
    PHONE = "phone"
    DROP_IN = "drop_in"


@dataclass(frozen=True, slots=True)
class Window:
    """An interval in which the whole visit must take place (start and end included)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Location:
    """A geocoded place; ``zone`` selects a travel speed (for example ``"rural"``)."""

    id: str
    lat: float
    lon: float
    zone: str = ""


@dataclass(frozen=True, slots=True)
class Worker:
    """A volunteer, with the limits they set. ``None`` means no limit."""

    id: str
    home: int
    languages: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    has_car: bool = True
    walking_limit_km: float = 2.0
    max_visits_per_week: int | None = None
    max_work_min_per_week: int | None = None
    max_km_per_day: float | None = None
    max_road_min_per_day: int | None = None
    max_visits_per_day: int | None = None


@dataclass(frozen=True, slots=True)
class Shift:
    """One availability window of one volunteer on one day: a vehicle for the router.

    The route leaves ``start_location`` no earlier than ``start`` and is back at
    ``end_location`` by ``end``. A ``phone_only`` shift takes phone calls only (for example a
    volunteer without a car calling from home). ``capacity`` bounds the load carried (loaned
    laptops); ``None`` means unbounded. A ``locked`` shift keeps its route as it is: only
    the seats pinned to it (``Visit.pins``) may be on it, and nothing is added.
    """

    id: str
    worker_id: str
    day: int
    start: int
    end: int
    start_location: int
    end_location: int
    phone_only: bool = False
    capacity: int | None = None
    locked: bool = False


@dataclass(frozen=True, slots=True)
class Pin:
    """A confirmed appointment: this shift, starting at this minute."""

    shift_id: str
    start: int


@dataclass(frozen=True, slots=True)
class Visit:
    """One thing to place: a home visit, a phone call, or the seats of a drop-in slot.

    ``languages`` are the beneficiary's: a volunteer who speaks any one of them will do.
    ``skills`` are all required. A drop-in needs ``staff_needed`` volunteers for the same slot;
    ``pins`` may fix some of its seats (at most one pin for other kinds). ``series_worker_id`` is
    the volunteer already running the series (hard); ``previous_worker_id`` the one who came
    last time (soft). ``planned_shift_id`` is set by re-planning: moving away from it costs.
    """

    id: str
    request_id: str
    kind: VisitKind
    duration_min: int
    windows: tuple[Window, ...]
    location: int | None = None
    languages: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    needs_car: bool = False
    priority: int = 0
    deadline: int | None = None
    waiting_days: int = 0
    pins: tuple[Pin, ...] = ()
    series_id: str | None = None
    series_worker_id: str | None = None
    previous_worker_id: str | None = None
    staff_needed: int = 1
    load: int = 0
    planned_shift_id: str | None = None

    @property
    def seats(self) -> int:
        """How many volunteers this visit needs at once."""
        return self.staff_needed if self.kind is VisitKind.DROP_IN else 1

    @property
    def is_physical(self) -> bool:
        """True when the volunteer has to be there in person (home visit or drop-in)."""
        return self.kind is not VisitKind.PHONE


@dataclass(frozen=True, slots=True)
class Options:
    """Weights and limits of a planning run; field names are the ``[PLANNING]`` keys.

    Costs are in abstract points: ``weight_minutes`` per minute on the road plus
    ``weight_km`` per kilometre driven. Leaving a request out costs ``unserved_penalty``
    times ``(1 + priority_factor * priority)`` times ``(1 + deadline_factor * closeness)``
    (closeness goes from 0, ``deadline_horizon_days`` or more ahead, to 1 at the deadline)
    times ``(1 + waiting_factor * weeks_waited)``. A ``solution_limit`` makes runs repeatable;
    ``time_limit_s`` bounds every run (with a solution limit too, as a safety net for a search
    that can find no further solution). ``engine`` is ``"auto"`` (PyVRP for plain
    VRPTW weeks, the general path otherwise) or ``"general"`` (always the general path;
    ``"ortools"`` is its older name and means the same).

    ``lead_min``: minutes a volunteer may leave before their availability opens, for the
    drive to the first stop only; every stop still starts inside the availability.

    ``time_grid_min`` and ``dropin_grid_min``: every stop starts on a multiple of this many
    minutes from the week's origin (``dropin_grid_min`` for drop-ins), or exactly at the start
    of one of its windows (a drop-in slot starts at its own time), or at its pinned minute.
    1 (or 0) turns the grid off.

    ``pyvrp_days``: on the general path, give each day that PyVRP expresses exactly (plain
    VRPTW once the other days are fixed) to PyVRP's search; ``False`` leaves those days to the
    OR-Tools model and ruin and recreate (to measure them alone).

    ``hard_deadlines``: a request with a ``deadline`` must end by it; one that cannot is left
    out with :attr:`~scheduler.planning.plan.Reason.AFTER_DEADLINE`. Otherwise deadlines only
    raise the cost of leaving a request out, and a plan that places one after its deadline
    lists it in :attr:`~scheduler.planning.plan.Plan.late`.
    """

    weight_minutes: float = 1.0
    weight_km: float = 0.5
    unserved_penalty: float = 10_000.0
    priority_factor: float = 0.5
    deadline_factor: float = 1.0
    deadline_horizon_days: int = 14
    waiting_factor: float = 0.25
    continuity: float = 30.0
    fairness: float = 0.2
    change: float = 60.0
    seed: int = 0
    solution_limit: int | None = None
    time_limit_s: float = 10.0
    engine: str = "auto"
    lead_min: int = 0
    time_grid_min: int = 5
    dropin_grid_min: int = 15
    hard_deadlines: bool = False
    pyvrp_days: bool = True


@dataclass(frozen=True, slots=True)
class Problem:
    """A week to plan. Construction validates ids and indices, so solvers can trust them."""

    locations: tuple[Location, ...]
    travel: TravelMatrix
    workers: tuple[Worker, ...]
    shifts: tuple[Shift, ...]
    visits: tuple[Visit, ...]
    options: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        n = len(self.locations)
        if self.travel.size != n:
            raise ValueError(f"travel matrix is {self.travel.size}x, expected {n} locations")
        worker_ids = [w.id for w in self.workers]
        _unique("worker", worker_ids)
        _unique("shift", [s.id for s in self.shifts])
        _unique("visit", [v.id for v in self.visits])
        known_workers = set(worker_ids)
        shifts = {s.id: s for s in self.shifts}
        for w in self.workers:
            _check_index(n, w.home, f"worker {w.id} home")
        for s in self.shifts:
            if s.worker_id not in known_workers:
                raise ValueError(f"shift {s.id}: unknown worker {s.worker_id}")
            if s.start > s.end:
                raise ValueError(f"shift {s.id} ends before it starts")
            _check_index(n, s.start_location, f"shift {s.id} start")
            _check_index(n, s.end_location, f"shift {s.id} end")
        for v in self.visits:
            _check_visit(v, n, shifts)
        by_worker = sorted(self.shifts, key=lambda s: (s.worker_id, s.start))
        for a, b in zip(by_worker, by_worker[1:], strict=False):
            if a.worker_id == b.worker_id and b.start < a.end:
                raise ValueError(f"shifts {a.id} and {b.id} of one volunteer overlap")

    def worker(self, worker_id: str) -> Worker:
        """The worker with this id."""
        for w in self.workers:
            if w.id == worker_id:
                return w
        raise KeyError(worker_id)


def _unique(what: str, ids: list[str]) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate {what} id")


def _check_index(n: int, index: int, what: str) -> None:
    if not 0 <= index < n:
        raise ValueError(f"{what}: location {index} out of range")


def _check_visit(v: Visit, n: int, shifts: dict[str, Shift]) -> None:
    if not v.windows:
        raise ValueError(f"visit {v.id} has no window")
    if v.duration_min < 0 or any(w.start > w.end for w in v.windows):
        raise ValueError(f"visit {v.id}: negative duration or window")
    if v.kind is VisitKind.PHONE:
        if v.location is not None:
            raise ValueError(f"phone call {v.id} must have no location")
    elif v.location is None:
        raise ValueError(f"visit {v.id} needs a location")
    else:
        _check_index(n, v.location, f"visit {v.id}")
    if v.kind is VisitKind.DROP_IN and (
        len(v.windows) != 1 or v.windows[0].end - v.windows[0].start != v.duration_min
    ):
        raise ValueError(f"drop-in {v.id} must have one window exactly as long as the slot")
    if v.staff_needed < 1 or len(v.pins) > v.seats:
        raise ValueError(f"visit {v.id}: staff_needed or pins inconsistent")
    for pin in v.pins:
        if pin.shift_id not in shifts:
            raise ValueError(f"visit {v.id} pinned to unknown shift {pin.shift_id}")
    if not 0 <= v.priority <= 3:
        raise ValueError(f"visit {v.id}: priority must be 0..3")
