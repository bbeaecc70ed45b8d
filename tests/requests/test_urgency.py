"""The urgency score on cases computed by hand (see scheduler/urgency.py for the rule)."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.models import Priority
from scheduler.requests.urgency import UrgencyLevel
from scheduler.requests.urgency import score_urgency
from scheduler.requests.urgency import urgency

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("priority", "days_left", "waiting_days", "score", "level"),
    [
        # priority only: 100 per level
        (Priority.LOW, None, 0, 0, UrgencyLevel.CAN_WAIT),
        (Priority.NORMAL, None, 0, 100, UrgencyLevel.CAN_WAIT),
        (Priority.URGENT, None, 0, 300, UrgencyLevel.URGENT),
        # deadline: (15 - days left) x 20 within 14 days, passed counts as today
        (Priority.NORMAL, 14, 0, 100 + 20, UrgencyLevel.CAN_WAIT),
        (Priority.NORMAL, 15, 0, 100, UrgencyLevel.CAN_WAIT),
        (Priority.NORMAL, 7, 0, 100 + 160, UrgencyLevel.SOON),
        (Priority.NORMAL, 0, 0, 100 + 300, UrgencyLevel.URGENT),
        (Priority.NORMAL, -5, 0, 100 + 300, UrgencyLevel.URGENT),
        # waiting: 2 a day, at most 200
        (Priority.NORMAL, None, 10, 100 + 20, UrgencyLevel.CAN_WAIT),
        (Priority.LOW, None, 100, 200, UrgencyLevel.SOON),
        (Priority.LOW, None, 400, 200, UrgencyLevel.SOON),
        # all three
        (Priority.URGENT, 3, 1, 300 + 240 + 2, UrgencyLevel.VERY_URGENT),
        (Priority.HIGH, 10, 20, 200 + 100 + 40, UrgencyLevel.URGENT),
    ],
)
def test_score_adds_priority_deadline_and_waiting_points(
    priority, days_left, waiting_days, score, level
):
    result = score_urgency(int(priority), days_left, waiting_days)
    assert result.score == score
    assert result.level is level


def test_urgent_with_a_near_deadline_beats_a_normal_request_waiting_for_two_months():
    urgent = urgency(int(Priority.URGENT), date(2026, 11, 26), date(2026, 11, 22), TODAY)
    old = urgency(int(Priority.NORMAL), None, date(2026, 9, 24), TODAY)
    assert (urgent.score, old.score) == (300 + 240 + 2, 100 + 120)
    assert urgent.score > old.score


def test_an_old_request_overtakes_a_fresh_one_of_the_same_priority():
    fresh = urgency(int(Priority.NORMAL), None, TODAY, TODAY)
    old = urgency(int(Priority.NORMAL), None, date(2026, 11, 1), TODAY)
    assert old.score - fresh.score == 2 * 22


def test_dates_in_the_future_never_give_negative_points():
    assert urgency(int(Priority.LOW), None, date(2026, 12, 1), TODAY).score == 0
