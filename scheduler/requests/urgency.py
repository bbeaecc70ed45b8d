"""How urgent a help request is: one number to sort by, and a level to show.

Pure: no database, no Flask, no clock. The inbox sorts by it and the planner can
turn the same score into the penalty for leaving a request out, so that "an
unemployment claim due on Friday" beats "a question about music" everywhere.

The score adds three parts, each in points:

* **priority** set at triage: 100 per level (low 0, normal 100, high 200, urgent 300);
* **deadline** the person gave: nothing when there is none or it is more than
  14 days away; then 20 points for each day closer (in 14 days 20, in 7 days 160,
  tomorrow 280, today 300); a deadline already passed counts as today (300),
  because the person most often still needs the help, now late;
* **waiting**: 2 points per day since the request arrived, at most 200 (100 days),
  so that an old request eventually overtakes a fresh one of the same priority.

The level is read from the score: ``very_urgent`` from 450, ``urgent`` from 300,
``soon`` from 150, ``can_wait`` below.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

POINTS_PER_PRIORITY_LEVEL = 100
DEADLINE_HORIZON_DAYS = 14
POINTS_PER_DEADLINE_DAY = 20
POINTS_PER_WAITING_DAY = 2
MAX_WAITING_POINTS = 200


class UrgencyLevel(enum.StrEnum):
    """Bands of the score, from most to least urgent; codes, translated where shown."""

    VERY_URGENT = "very_urgent"
    URGENT = "urgent"
    SOON = "soon"
    CAN_WAIT = "can_wait"


#: Lowest score of each level, most urgent first.
LEVEL_THRESHOLDS = (
    (450, UrgencyLevel.VERY_URGENT),
    (300, UrgencyLevel.URGENT),
    (150, UrgencyLevel.SOON),
)


@dataclass(frozen=True, slots=True)
class Urgency:
    """A request's urgency: ``score`` (higher is more urgent) and its ``level``."""

    score: int
    level: UrgencyLevel


def priority_points(priority: int) -> int:
    return max(0, int(priority)) * POINTS_PER_PRIORITY_LEVEL


def deadline_points(days_left: int | None) -> int:
    """Points for a deadline ``days_left`` days from today (negative: already passed)."""
    if days_left is None or days_left > DEADLINE_HORIZON_DAYS:
        return 0
    return (DEADLINE_HORIZON_DAYS + 1 - max(days_left, 0)) * POINTS_PER_DEADLINE_DAY


def waiting_points(waiting_days: int) -> int:
    return min(max(waiting_days, 0) * POINTS_PER_WAITING_DAY, MAX_WAITING_POINTS)


def level_for(score: int) -> UrgencyLevel:
    for lowest, level in LEVEL_THRESHOLDS:
        if score >= lowest:
            return level
    return UrgencyLevel.CAN_WAIT


def score_urgency(priority: int, days_left: int | None, waiting_days: int) -> Urgency:
    """The urgency from plain figures.

    :param priority: a :class:`scheduler.models.Priority` value (0 low … 3 urgent).
    :param days_left: days from today to the deadline, negative once passed; None without one.
    :param waiting_days: whole days since the request arrived.
    """
    score = priority_points(priority) + deadline_points(days_left) + waiting_points(waiting_days)
    return Urgency(score, level_for(score))


def urgency(priority: int, deadline: date | None, created_on: date, today: date) -> Urgency:
    """The urgency of a request on ``today``; all dates are local to the organisation.

    :param created_on: the local date the request arrived.
    """
    days_left = None if deadline is None else (deadline - today).days
    return score_urgency(priority, days_left, (today - created_on).days)
