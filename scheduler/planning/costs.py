"""The objective, in integer cost units, shared by every solver and by the plan's statistics.

One point of :class:`~scheduler.planning.problem.Options` weight is ``COST_SCALE`` units, so a
metre costs one unit when ``weight_km`` is 1.
"""

from __future__ import annotations

import math

from scheduler.planning.problem import MINUTES_PER_DAY
from scheduler.planning.problem import Options
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Visit

COST_SCALE = 1000
PIN_FACTOR = 1000
"""Dropping a confirmed appointment costs this many times the dearest ordinary request."""


def travel_cost(options: Options, minutes: int, metres: int, has_car: bool) -> int:
    """Cost of one trip; kilometres only count when driven."""
    km = metres / 1000.0 if has_car else 0.0
    return round(COST_SCALE * (options.weight_minutes * minutes + options.weight_km * km))


def unserved_penalty(visit: Visit, options: Options) -> int:
    """Cost of leaving one seat of ``visit`` empty: grows with urgency, deadline and waiting."""
    closeness = 0.0
    if visit.deadline is not None and options.deadline_horizon_days > 0:
        days_left = max(0.0, visit.deadline / MINUTES_PER_DAY)
        closeness = max(0.0, 1.0 - days_left / options.deadline_horizon_days)
    points = (
        options.unserved_penalty
        * (1.0 + options.priority_factor * visit.priority)
        * (1.0 + options.deadline_factor * closeness)
        * (1.0 + options.waiting_factor * visit.waiting_days / 7.0)
    )
    return max(1, round(COST_SCALE * points))


def pin_penalty(problem: Problem) -> int:
    """Cost of dropping a confirmed appointment: more than any other decision."""
    dearest = max((unserved_penalty(v, problem.options) for v in problem.visits), default=1)
    return PIN_FACTOR * dearest


def assignment_cost(options: Options, visit: Visit, shift: Shift) -> int:
    """Soft preferences for one placement: continuity of volunteer, and fewer re-plan moves."""
    cost = 0.0
    if visit.previous_worker_id is not None and shift.worker_id != visit.previous_worker_id:
        cost += options.continuity
    if visit.planned_shift_id is not None and shift.id != visit.planned_shift_id:
        cost += options.change
    return round(COST_SCALE * cost)


def fair_share(problem: Problem) -> dict[str, int]:
    """Minutes of work per shift above which fairness starts to cost.

    Every shift gets the same fraction of its length: requested work over offered time.
    """
    demand = sum(v.duration_min * v.seats for v in problem.visits)
    supply = sum(s.end - s.start for s in problem.shifts) or 1
    ratio = min(1.0, demand / supply)
    return {s.id: math.ceil(ratio * (s.end - s.start)) for s in problem.shifts}


def fairness_cost(options: Options, work_min: int, share: int) -> int:
    """Cost of the work above a shift's fair share."""
    return round(COST_SCALE * options.fairness * max(0, work_min - share))
