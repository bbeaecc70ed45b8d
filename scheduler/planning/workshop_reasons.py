"""Why each person waiting for a programme is left out of a proposal, found by checking.

In the vocabulary of the week's plan (:class:`~scheduler.planning.plan.Reason`), with the
place, slot and day the reason concerns in ``detail`` so the page can say "no leader can
reach Saint-Majorique within their km limit on Tuesdays". ``detail["who"]`` says whose
limit it is: ``person`` (their own availability or travel) or ``leader``.

For each opening the person could attend (free then, within their travel), the reason
that opening is not theirs, checked in this order: a series is held there but is full; the
place holds its series in another slot; the leaders who could come lead elsewhere that
day; the day's laptops go to other series; too few people for a series; not enough free
laptops that day at all; not enough leaders;
then the leaders' own rules (skills, languages, availability, km). What no choice can
change (too few laptops that day at all, no leader able to come) is checked first for an
opening, so it is never hidden behind a choice. The person's reason is
that of the opening that came furthest down this list before failing, which is the one
the dispatcher is closest to fixing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from scheduler.planning.plan import Reason
from scheduler.planning.workshops import LeaderFit
from scheduler.planning.workshops import LeftOut
from scheduler.planning.workshops import Person
from scheduler.planning.workshops import Place
from scheduler.planning.workshops import ProposedSeries
from scheduler.planning.workshops import Slot
from scheduler.planning.workshops import WorkshopProblem
from scheduler.planning.workshops import available
from scheduler.planning.workshops import km
from scheduler.planning.workshops import person_fits

#: How close each verdict on an opening is to a seat, most hopeful first.
RANK = (
    "full",
    "place_taken",
    "leaders_busy",
    "laptops_used",
    "too_few",
    "laptops",
    "leaders_short",
    Reason.BEYOND_KM_LIMIT,
    Reason.NEEDS_CAR,
    Reason.TRAVEL_DOES_NOT_FIT,
    Reason.NO_AVAILABILITY,
    Reason.NO_LANGUAGE_MATCH,
    Reason.MISSING_SKILL,
)


def explain(
    problem: WorkshopProblem,
    fits: Mapping[tuple[str, str], list[LeaderFit]],
    series: Sequence[ProposedSeries],
) -> Iterator[LeftOut]:
    """A :class:`LeftOut` for every person no proposed series takes."""
    reached = {pid for s in series for pid in s.people}
    held = {(s.place_id, s.slot_id): s for s in series}
    place_held = {s.place_id: s.slot_id for s in series}
    leading = {(lid, _slot(problem, s.slot_id).day) for s in series for lid in s.leader_ids}
    used = Counter(_slot(problem, s.slot_id).day for s in series)
    for person in problem.people:
        if person.id in reached:
            continue
        yield _one(problem, fits, person, held, place_held, leading, used)


def _slot(problem: WorkshopProblem, slot_id: str) -> Slot:
    return next(s for s in problem.slots if s.id == slot_id)


def _one(
    problem: WorkshopProblem,
    fits: Mapping[tuple[str, str], list[LeaderFit]],
    person: Person,
    held: Mapping[tuple[str, str], ProposedSeries],
    place_held: Mapping[str, str],
    leading: set[tuple[str, int]],
    used: Counter[int],
) -> LeftOut:
    free_slots = [s for s in problem.slots if available(person, s)]
    if not free_slots:
        return LeftOut(person.id, Reason.NO_AVAILABILITY, {"who": "person"})
    openings = [
        (p, s) for p in problem.places for s in free_slots if person_fits(problem, person, p, s)
    ]
    if not openings:
        nearest = min(problem.places, key=lambda p: km(problem.travel, person.location, p.location))
        return LeftOut(
            person.id,
            Reason.BEYOND_KM_LIMIT,
            {
                "who": "person",
                "place": nearest.id,
                "km": round(km(problem.travel, person.location, nearest.location), 1),
                "limit_km": person.max_km,
            },
        )
    verdicts = [_verdict(problem, fits, p, s, held, place_held, leading, used) for p, s in openings]
    best = min(verdicts, key=lambda v: RANK.index(v[0]))
    return LeftOut(person.id, *_as_reason(*best))


def _verdict(
    problem: WorkshopProblem,
    fits: Mapping[tuple[str, str], list[LeaderFit]],
    place: Place,
    slot: Slot,
    held: Mapping[tuple[str, str], ProposedSeries],
    place_held: Mapping[str, str],
    leading: set[tuple[str, int]],
    used: Counter[int],
) -> tuple[str, dict[str, Any]]:
    where = {"place": place.id, "slot": slot.id, "day": slot.day}
    if (place.id, slot.id) in held:
        return "full", where | {"capacity": problem.capacity}
    verdicts = fits[(place.id, slot.id)]
    usable = [f for f in verdicts if f.reason is None]
    free = problem.laptops_free.get(slot.day, 0)
    needed = problem.laptops_per_session
    if needed > free:
        return "laptops", where | {"free": free, "needed": needed}
    if len(usable) < problem.leaders_per_session:
        if usable:
            return "leaders_short", where | {
                "leaders": len(usable),
                "needed": problem.leaders_per_session,
            }
        return _leaders_verdict(verdicts, where)
    if place.id in place_held:
        return "place_taken", where | {"other_slot": place_held[place.id]}
    idle = [f for f in usable if (f.worker_id, slot.day) not in leading]
    if len(idle) < problem.leaders_per_session:
        return "leaders_busy", where
    left = free - used[slot.day] * needed
    if needed > left:
        return "laptops_used", where | {"free": free, "left": left, "needed": needed}
    return "too_few", where | {"min": problem.min_participants}


def _leaders_verdict(
    verdicts: Sequence[LeaderFit], where: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """No leader at all can hold this opening: the rule closest to being met (a km limit
    before an availability, before a language or a skill)."""
    if not verdicts:
        return Reason.NO_AVAILABILITY, where
    counts = Counter(f.reason for f in verdicts)
    reason = min(counts, key=lambda r: RANK.index(r) if r in RANK else len(RANK))
    assert reason is not None
    extra: dict[str, Any] = {}
    if reason is Reason.BEYOND_KM_LIMIT:
        over = [f for f in verdicts if f.reason is Reason.BEYOND_KM_LIMIT]
        extra = {"km": round(min(f.km for f in over), 1)}
    return reason, where | extra


def _as_reason(code: str, detail: dict[str, Any]) -> tuple[Reason, dict[str, Any]]:
    """The engine's vocabulary: the openings' own verdicts are capacity ``bound``s."""
    if isinstance(code, Reason):
        return code, detail | {"who": "leader"}
    bound = {
        "full": "seats",
        "place_taken": "place",
        "leaders_busy": "staff",
        "laptops": "load",
        "laptops_used": "load",
        "too_few": "participants",
        "leaders_short": "staff",
    }[code]
    return Reason.CAPACITY, detail | {"bound": bound, "who": "leader" if bound == "staff" else ""}
