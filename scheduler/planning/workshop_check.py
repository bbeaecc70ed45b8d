"""The independent checker of series proposals: every hard rule, from the problem alone.

Like :func:`scheduler.planning.check.check` for a week's plan, it shares no code with the
proposal's path (neither :func:`~scheduler.planning.workshops.leader_fit` nor the CP-SAT
model): it reads the travel matrix, the shifts and the people itself, so a mistake there
cannot hide here. Tests trust it, and the service refuses a proposal it rejects.
"""

from __future__ import annotations

from collections import Counter

from scheduler.planning.check import Violation
from scheduler.planning.problem import MINUTES_PER_DAY
from scheduler.planning.workshops import WorkshopProblem
from scheduler.planning.workshops import WorkshopProposal


def check_proposal(problem: WorkshopProblem, proposal: WorkshopProposal) -> list[Violation]:
    """Every broken rule of ``proposal``; an empty list means it can be published."""
    out: list[Violation] = []
    places = {p.id: p for p in problem.places}
    slots = {s.id: s for s in problem.slots}
    workers = {w.id: w for w in problem.leaders}
    shifts = {s.id: s for s in problem.shifts}
    people = {p.id: p for p in problem.people}
    metres = problem.travel.metres
    minutes = problem.travel.minutes
    seen_people: Counter[str] = Counter()
    leader_days: Counter[tuple[str, int]] = Counter()
    laptops_on: Counter[int] = Counter()
    places_used: Counter[str] = Counter()

    def fail(rule: str, message: str) -> None:
        out.append(Violation(rule, message))

    for series in proposal.series:
        place = places.get(series.place_id)
        slot = slots.get(series.slot_id)
        if place is None or slot is None:
            fail("series", f"unknown place or slot {series.place_id}/{series.slot_id}")
            continue
        start, end = slot.window.start, slot.window.end
        day = start // MINUTES_PER_DAY
        label = f"{place.id}@{slot.id}"
        places_used[place.id] += 1
        laptops_on[day] += series.laptops
        if series.laptops < problem.laptops_per_session:
            fail("laptops", f"{label} carries {series.laptops} laptops, needs more")
        if len(set(series.leader_ids)) != problem.leaders_per_session or len(
            series.shift_ids
        ) != len(series.leader_ids):
            fail("leaders", f"{label} has {len(set(series.leader_ids))} distinct leaders")
        carried = 0
        for worker_id, shift_id in zip(series.leader_ids, series.shift_ids, strict=False):
            worker = workers.get(worker_id)
            shift = shifts.get(shift_id)
            if worker is None or shift is None or shift.worker_id != worker_id:
                fail("leaders", f"{label}: {worker_id} has no shift {shift_id}")
                continue
            leader_days[(worker_id, day)] += 1
            if not problem.skills <= worker.skills:
                fail("skills", f"{label}: {worker_id} lacks a skill")
            if problem.languages and not (problem.languages & worker.languages):
                fail("languages", f"{label}: {worker_id} speaks none of the languages")
            if shift.phone_only or not (shift.start <= start and end <= shift.end):
                fail("availability", f"{label}: outside {worker_id}'s shift {shift_id}")
            go = minutes[shift.start_location][place.location]
            back = minutes[place.location][shift.end_location]
            if start - go < shift.start - problem.lead_min or end + back > shift.end + (
                problem.lead_min
            ):
                fail("travel", f"{label}: {worker_id} cannot drive there and back in time")
            trip_km = (
                metres[shift.start_location][place.location]
                + metres[place.location][shift.end_location]
            ) / 1000
            far = max(
                metres[shift.start_location][place.location],
                metres[place.location][shift.end_location],
            )
            if not worker.has_car and far / 1000 > worker.walking_limit_km:
                fail("car", f"{label}: {worker_id} has no car and {place.id} is beyond walking")
            if worker.max_km_per_day is not None and trip_km > worker.max_km_per_day:
                fail("km", f"{label}: {worker_id} drives {trip_km:.1f} km over their limit")
            carried += series.laptops if shift.capacity is None else shift.capacity
        if carried < series.laptops:
            fail("load", f"{label}: the leaders carry {carried} of {series.laptops} laptops")
        if len(series.people) > problem.capacity:
            fail("capacity", f"{label} holds {len(series.people)} people")
        if len(series.people) < problem.min_participants:
            fail("participants", f"{label} holds {len(series.people)} people")
        for person_id in series.people:
            seen_people[person_id] += 1
            person = people.get(person_id)
            if person is None:
                fail("people", f"{label}: unknown person {person_id}")
                continue
            if not any(w.start <= start and end <= w.end for w in person.windows):
                fail("people", f"{label}: {person_id} is not free then")
            away = metres[person.location][place.location] / 1000
            if person.max_km is not None and away > person.max_km:
                fail("people", f"{label}: {person_id} lives {away:.1f} km away")
    for day, used in laptops_on.items():
        if used > problem.laptops_free.get(day, 0):
            fail(
                "laptops",
                f"day {day}: {used} laptops needed, {problem.laptops_free.get(day, 0)} free",
            )
    for (worker_id, day), count in leader_days.items():
        if count > 1:
            fail("leaders", f"{worker_id} leads {count} series on day {day}")
    for place_id, count in places_used.items():
        if count > 1:
            fail("series", f"{place_id} holds {count} series")
    if problem.max_series is not None and len(proposal.series) > problem.max_series:
        fail("series", f"{len(proposal.series)} series, at most {problem.max_series}")
    for person_id, count in seen_people.items():
        if count > 1:
            fail("people", f"{person_id} has {count} seats")
    explained = Counter(left.person_id for left in proposal.left_out)
    for person in problem.people:
        total = seen_people[person.id] + explained[person.id]
        if total != 1:
            fail("coverage", f"{person.id} is reached or explained {total} times")
    return out
