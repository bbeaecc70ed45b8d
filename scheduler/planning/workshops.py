"""Where and when the next series of a programme should be held: a proposal, pure.

The people waiting for a programme (where they live, when they are free, how far they can
travel), the places that could hold a series, the time slots of the week, the leaders (the
engine's :class:`Worker` and :class:`Shift`: home, km limit, languages and skills, and the
laptops a shift can carry as its ``capacity``, the engine's load per shift), and the laptops
free each day go in; out comes which places get a series in which slot with which leaders,
who is reached, and for every person left out a :class:`~scheduler.planning.plan.Reason`
with the place and day it concerns, in the vocabulary of the week's plan.

A series is a weekly drop-in opening seen from the router's side: a leader's shift goes to
the place and back, within the km limit, carrying the session's laptops. Which openings to
hold is a covering choice (most people reached, laptops never above what is free that
day), solved exactly by the CP-SAT model of :mod:`scheduler.planning.workshop_model`.
:func:`~scheduler.planning.workshop_check.check_proposal` verifies every proposal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from scheduler.planning.matrix import TravelMatrix
from scheduler.planning.plan import Reason
from scheduler.planning.problem import MINUTES_PER_DAY
from scheduler.planning.problem import Location
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Window
from scheduler.planning.problem import Worker


@dataclass(frozen=True, slots=True)
class Place:
    """A place that could hold a series: a hall in a municipality, or a site."""

    id: str
    name: str
    location: int


@dataclass(frozen=True, slots=True)
class Slot:
    """A weekly time for the sessions: minutes on the week axis (Monday 00:00 is 0)."""

    id: str
    window: Window

    @property
    def day(self) -> int:
        """0 for Monday … 6 for Sunday."""
        return self.window.start // MINUTES_PER_DAY


@dataclass(frozen=True, slots=True)
class Person:
    """Someone waiting for the programme. ``max_km`` is how far (one way) they can get to
    a session; ``None``: no limit given."""

    id: str
    location: int
    windows: tuple[Window, ...]
    max_km: float | None = None


@dataclass(frozen=True, slots=True)
class WorkshopProblem:
    """One programme to place. ``laptops_free`` maps a day (0 = Monday) to the laptops free
    that day; a day missing has none. A shift's ``capacity`` is the laptops its leader can
    carry (``None``: as many as needed)."""

    locations: tuple[Location, ...]
    travel: TravelMatrix
    places: tuple[Place, ...]
    slots: tuple[Slot, ...]
    people: tuple[Person, ...]
    leaders: tuple[Worker, ...]
    shifts: tuple[Shift, ...]
    laptops_free: Mapping[int, int]
    capacity: int
    laptops_per_session: int = 0
    leaders_per_session: int = 1
    min_participants: int = 1
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    max_series: int | None = None
    lead_min: int = 30
    time_limit_s: float = 10.0
    seed: int = 0

    def __post_init__(self) -> None:
        n = len(self.locations)
        for thing_id, location in [(p.id, p.location) for p in self.places] + [
            (p.id, p.location) for p in self.people
        ]:
            if not 0 <= location < n:
                raise ValueError(f"{thing_id}: location {location} out of range")
        for worker in self.leaders:
            if not 0 <= worker.home < n:
                raise ValueError(f"{worker.id}: home out of range")
        ids = {w.id for w in self.leaders}
        for shift in self.shifts:
            if shift.worker_id not in ids:
                raise ValueError(f"shift {shift.id}: unknown leader {shift.worker_id}")
        if self.capacity < 1 or self.leaders_per_session < 1:
            raise ValueError("capacity and leaders_per_session must be at least 1")


@dataclass(frozen=True, slots=True)
class ProposedSeries:
    """A series proposed at ``place_id`` in ``slot_id``, led from ``shift_ids``."""

    place_id: str
    slot_id: str
    leader_ids: tuple[str, ...]
    shift_ids: tuple[str, ...]
    people: tuple[str, ...]
    laptops: int


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A person without a place, and why: a planning :class:`Reason` with ``detail``
    (``place``, ``slot``, ``day`` it concerns, and figures such as ``km``, ``limit_km``,
    ``free``, ``needed``, ``bound``)."""

    person_id: str
    reason: Reason
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WorkshopProposal:
    series: tuple[ProposedSeries, ...]
    left_out: tuple[LeftOut, ...]
    optimal: bool = False

    @property
    def reached(self) -> int:
        return sum(len(s.people) for s in self.series)


# --- what can be held where: the engine's rules for one leader's shift ----------------------


def km(travel: TravelMatrix, a: int, b: int) -> float:
    return float(travel.metres[a][b]) / 1000.0


@dataclass(frozen=True, slots=True)
class LeaderFit:
    """Whether a leader can lead at a place in a slot, and if not the first rule broken."""

    worker_id: str
    shift_id: str | None
    reason: Reason | None
    km: float = 0.0
    carry: int = 0


def leader_fit(problem: WorkshopProblem, worker: Worker, place: Place, slot: Slot) -> LeaderFit:
    """Check one leader against one opening, rule family after rule family, as the
    engine's precheck does: skills and languages, a shift covering the slot with the drive
    there, then a car (or the place within walking distance), then the daily km limit for
    the round trip."""
    if not problem.skills <= worker.skills:
        return LeaderFit(worker.id, None, Reason.MISSING_SKILL)
    if problem.languages and not problem.languages & worker.languages:
        return LeaderFit(worker.id, None, Reason.NO_LANGUAGE_MATCH)
    travel = problem.travel
    covering = [
        s
        for s in problem.shifts
        if s.worker_id == worker.id
        and not s.phone_only
        and s.start <= slot.window.start
        and slot.window.end <= s.end
    ]
    if not covering:
        return LeaderFit(worker.id, None, Reason.NO_AVAILABILITY)
    best: LeaderFit | None = None
    for shift in covering:
        there = travel.minutes[shift.start_location][place.location]
        back = travel.minutes[place.location][shift.end_location]
        if slot.window.start - there < shift.start - problem.lead_min:
            continue
        if slot.window.end + back > shift.end + problem.lead_min:
            continue
        trip = km(travel, shift.start_location, place.location) + km(
            travel, place.location, shift.end_location
        )
        carry = problem.laptops_per_session if shift.capacity is None else shift.capacity
        fit = LeaderFit(worker.id, shift.id, None, trip, carry)
        if (
            not worker.has_car
            and max(
                km(travel, shift.start_location, place.location),
                km(travel, place.location, shift.end_location),
            )
            > worker.walking_limit_km
        ):
            fit = LeaderFit(worker.id, shift.id, Reason.NEEDS_CAR, trip, carry)
        elif worker.max_km_per_day is not None and trip > worker.max_km_per_day:
            fit = LeaderFit(worker.id, shift.id, Reason.BEYOND_KM_LIMIT, trip, carry)
        if best is None or (best.reason is not None and fit.reason is None):
            best = fit
    return best or LeaderFit(worker.id, None, Reason.TRAVEL_DOES_NOT_FIT)


def person_fits(problem: WorkshopProblem, person: Person, place: Place, slot: Slot) -> bool:
    """The person is free for the whole session and the place is within their travel."""
    return available(person, slot) and within_reach(problem, person, place)


def available(person: Person, slot: Slot) -> bool:
    return any(w.start <= slot.window.start and slot.window.end <= w.end for w in person.windows)


def within_reach(problem: WorkshopProblem, person: Person, place: Place) -> bool:
    return person.max_km is None or km(problem.travel, person.location, place.location) <= (
        person.max_km
    )


def propose(problem: WorkshopProblem) -> WorkshopProposal:
    """The proposal that reaches the most people; ties go to fewer series, then fewer km.

    Every person left out gets a reason (see :mod:`scheduler.planning.workshop_reasons`).
    """
    from scheduler.planning.workshop_model import choose
    from scheduler.planning.workshop_reasons import explain

    fits = {
        (p.id, s.id): [leader_fit(problem, w, p, s) for w in problem.leaders]
        for p in problem.places
        for s in problem.slots
    }
    series, optimal = choose(problem, fits)
    return WorkshopProposal(tuple(series), tuple(explain(problem, fits, series)), optimal)
