"""Helpers shared by the tests of running a published week: planning it as the dispatcher
does, reading a plan's placements, and the stops a dispatcher places by hand."""

from __future__ import annotations

from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from scheduler.core.extensions import db
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.dispatch.edits import Target
from scheduler.dispatch.edits import move_stop
from scheduler.models import AvailabilityWindow
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.planning import ReplanMode

from ..builders import make_volunteer

ZONE = ZoneInfo("America/Toronto")


def org_of(world) -> Organisation:
    return db.session.get(Organisation, world.org_id)


def plan(world, week, now, settings, mode=ReplanMode.KEEP) -> Plan:
    return plan_week(db.session, org_of(world), week, settings=settings, now=now, mode=mode)


def placements(row: Plan) -> dict[tuple[int | None, int | None], tuple[int | None, object]]:
    return {
        (v.request_id, v.site_id if v.request_id is None else None, v.volunteer_id): (
            v.volunteer_id,
            v.starts_at,
        )
        for v in row.visits
    }


def first_home_stop(draft: Plan, world):
    return next(v for v in draft.visits if v.request_id and v.volunteer_id == world.volunteer_id)


def placed_by_hand_on_tuesday_at_two(world, week, now, settings, dispatcher_user):
    """Sylvie's first visit moved by the dispatcher to Tuesday 14:00, outside her slots
    (the availability rule overridden, as the hand-edit page allows)."""
    draft = plan(world, week, now, settings)
    stop = first_home_stop(draft, world)
    tuesday = stop.starts_at.astimezone(ZONE).date()
    target = Target(world.volunteer_id, tuesday, time(14))
    common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
    moved = move_stop(db.session, org_of(world), draft, stop, target, override=True, **common)
    assert moved.saved and "availability" in moved.rules
    return draft, stop, tuesday


def duty_given_by_hand_to_lucie(world, week, now, settings, dispatcher_user):
    """Lucie is free on Tuesdays from 10:00 only; the dispatcher gives her Omar's seat at
    the 9:00 drop-in by hand (the availability rule overridden), and publishes."""
    org = org_of(world)
    lucie = make_volunteer(
        db.session,
        org,
        first_name="Lucie",
        availability=[AvailabilityWindow(weekday=1, starts=time(10), ends=time(12))],
    )
    db.session.commit()
    draft = plan(world, week, now, settings)
    duty = next(v for v in draft.visits if v.site_id and v.volunteer_id == world.other_volunteer_id)
    target = Target(lucie.id, week + timedelta(days=1), time(9))
    common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
    moved = move_stop(db.session, org, draft, duty, target, override=True, **common)
    assert moved.saved and "availability" in moved.rules
    publish_plan(db.session, draft, now=now)
    db.session.commit()
    return draft, lucie.id, duty.starts_at
