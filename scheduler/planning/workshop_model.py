"""The covering choice behind a series proposal, as a CP-SAT model (OR-Tools).

Variables: ``open[p, s]`` (a series at place ``p`` in slot ``s``), ``lead[p, s, l]`` (leader
``l`` leads it, only where :func:`~scheduler.planning.workshops.leader_fit` found no broken
rule) and ``seats[g, p, s]`` (how many people of group ``g`` it takes; people with the same
home, availability and travel limit are one group, which keeps the model small whatever
the waiting list's length).

Hard: each series has exactly ``leaders_per_session`` leaders, whose shifts carry at least
its laptops (the engine's load per shift); a leader leads at most one series a day; the
laptops of a day's series never exceed the laptops free that day; one series per place;
a series holds between ``min_participants`` and ``capacity`` people, each free then and
within their travel; nobody counted twice; at most ``max_series`` series.

Objective: most people reached, then fewest series (laptops and leaders kept for the next
programme), then fewest km driven by the leaders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.planning.workshops import LeaderFit
from scheduler.planning.workshops import Person
from scheduler.planning.workshops import ProposedSeries
from scheduler.planning.workshops import WorkshopProblem
from scheduler.planning.workshops import person_fits

REACH_WEIGHT = 1_000_000
SERIES_WEIGHT = 10_000


def groups(people: Sequence[Person]) -> list[list[Person]]:
    """People who are interchangeable for the choice, in their waiting order."""
    by_key: dict[tuple[object, ...], list[Person]] = {}
    for person in people:
        by_key.setdefault((person.location, person.windows, person.max_km), []).append(person)
    return list(by_key.values())


def choose(
    problem: WorkshopProblem, fits: Mapping[tuple[str, str], list[LeaderFit]]
) -> tuple[list[ProposedSeries], bool]:
    """The series to hold and who goes to each; ``True`` when proven best."""
    model = cp_model.CpModel()
    places = {p.id: p for p in problem.places}
    slots = {s.id: s for s in problem.slots}
    laptops = problem.laptops_per_session
    opened: dict[tuple[str, str], cp_model.IntVar] = {}
    leads: dict[tuple[str, str], list[tuple[LeaderFit, cp_model.IntVar]]] = {}
    per_leader_day: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    per_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    per_place: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    km_terms: list[cp_model.LinearExpr] = []
    for (place_id, slot_id), verdicts in fits.items():
        usable = [f for f in verdicts if f.reason is None]
        day = slots[slot_id].day
        if len(usable) < problem.leaders_per_session:
            continue
        if laptops > problem.laptops_free.get(day, 0):
            continue
        key = (place_id, slot_id)
        x = model.new_bool_var(f"open_{place_id}_{slot_id}")
        opened[key] = x
        per_day[day].append(x)
        per_place[place_id].append(x)
        chosen = []
        for fit in usable:
            z = model.new_bool_var(f"lead_{place_id}_{slot_id}_{fit.worker_id}")
            chosen.append((fit, z))
            per_leader_day[(fit.worker_id, day)].append(z)
            km_terms.append(round(fit.km) * z)
        leads[key] = chosen
        model.add(sum(z for _, z in chosen) == problem.leaders_per_session * x)
        if laptops:
            model.add(sum(min(f.carry, laptops) * z for f, z in chosen) >= laptops * x)
    for zs in per_leader_day.values():
        model.add(sum(zs) <= 1)
    for day, xs in per_day.items():
        model.add(laptops * sum(xs) <= problem.laptops_free.get(day, 0))
    for xs in per_place.values():
        model.add(sum(xs) <= 1)
    if problem.max_series is not None:
        model.add(sum(opened.values()) <= problem.max_series)

    people_groups = groups(problem.people)
    seats: dict[tuple[int, tuple[str, str]], cp_model.IntVar] = {}
    taken: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    for g, members in enumerate(people_groups):
        head = members[0]
        row = []
        for key in opened:
            if person_fits(problem, head, places[key[0]], slots[key[1]]):
                y = model.new_int_var(0, len(members), f"seats_{g}_{key[0]}_{key[1]}")
                seats[(g, key)] = y
                taken[key].append(y)
                row.append(y)
        if row:
            model.add(sum(row) <= len(members))
    for key, x in opened.items():
        ys = taken.get(key, [])
        model.add(sum(ys) <= problem.capacity * x)
        model.add(sum(ys) >= problem.min_participants * x)

    model.maximize(
        REACH_WEIGHT * sum(seats.values()) - SERIES_WEIGHT * sum(opened.values()) - sum(km_terms)
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, problem.time_limit_s)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = problem.seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], False

    remaining = [list(members) for members in people_groups]
    result = []
    for key, x in opened.items():
        if not solver.value(x):
            continue
        who: list[str] = []
        for g in range(len(people_groups)):
            share = seats.get((g, key))
            count = solver.value(share) if share is not None else 0
            who.extend(p.id for p in remaining[g][:count])
            del remaining[g][:count]
        lead = [f for f, z in leads[key] if solver.value(z)]
        result.append(
            ProposedSeries(
                place_id=key[0],
                slot_id=key[1],
                leader_ids=tuple(f.worker_id for f in lead),
                shift_ids=tuple(f.shift_id or "" for f in lead),
                people=tuple(who),
                laptops=laptops,
            )
        )
    return result, status == cp_model.OPTIMAL
