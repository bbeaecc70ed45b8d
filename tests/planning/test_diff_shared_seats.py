"""Comparing plans whose drop-in seats share one place (a hand edit may put them there)."""

from __future__ import annotations

from scheduler.planning.plan import ChangeKind
from scheduler.planning.plan import Plan
from scheduler.planning.plan import Route
from scheduler.planning.plan import Stats
from scheduler.planning.plan import Stop
from scheduler.planning.plan import diff_plans

STATS = Stats(0, 0, 0, 0, 0, 0, 0, 0, {}, "test")


def plan(*seats: tuple[str, int, int]) -> Plan:
    """One route of shift ``s1``; each seat is ``(visit_id, seat, start)``."""
    stops = tuple(Stop(visit, start, start + 60, seat) for visit, seat, start in seats)
    return Plan((Route("s1", "w1", 0, 1000, stops, 0, 0, 0),), (), STATS)


def test_two_old_seats_at_one_place_kept_by_one_new_seat_give_one_unchanged_one_removed():
    before = plan(("dropin", 0, 540), ("dropin", 1, 540))
    after = plan(("dropin", 0, 540))
    diff = diff_plans(before, after)
    assert diff.count(ChangeKind.UNCHANGED) == 1
    assert diff.count(ChangeKind.REMOVED) == 1
    assert diff.count(ChangeKind.ADDED) == 0
