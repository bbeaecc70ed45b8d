"""Seats: the nodes every search stage routes, one per volunteer a visit needs.

A visit needing three volunteers at a drop-in is three seats, each with the shifts that
survived the precheck and the penalty of leaving it empty. A pinned seat keeps only its pinned
shift, at the price of a confirmed appointment; a pin that cannot be kept even alone is a
conflict, reported rather than routed.
"""

from __future__ import annotations

from scheduler.planning.costs import pin_penalty
from scheduler.planning.costs import unserved_penalty
from scheduler.planning.precheck import Verdict
from scheduler.planning.precheck import pin_ok
from scheduler.planning.problem import Problem
from scheduler.planning.schedule import Index
from scheduler.planning.solver import Seat


def make_seats(
    problem: Problem, idx: Index, verdicts: dict[str, Verdict]
) -> tuple[list[Seat], dict[tuple[str, int], int]]:
    """The model's nodes, and the pinned seats whose pin cannot be kept even alone."""
    seats: list[Seat] = []
    conflicts: dict[tuple[str, int], int] = {}
    pinned = pin_penalty(problem) if any(v.pins for v in problem.visits) else 0
    locked = {s.id for s in problem.shifts if s.locked}
    for visit in problem.visits:
        verdict = verdicts[visit.id]
        # A locked shift keeps its route: only the seats pinned to it may be there.
        open_shifts = tuple(sid for sid in verdict.shifts if sid not in locked)
        for k in range(visit.seats):
            if k < len(visit.pins):
                pin = visit.pins[k]
                if pin_ok(idx, visit, verdict, pin.shift_id, pin.start):
                    seats.append(Seat((visit, k), (pin.shift_id,), pinned, pin.start))
                else:
                    conflicts[(visit.id, k)] = pin.start
            elif verdict.shifts:
                penalty = unserved_penalty(visit, problem.options)
                seats.append(Seat((visit, k), open_shifts, penalty))
    return seats, conflicts
