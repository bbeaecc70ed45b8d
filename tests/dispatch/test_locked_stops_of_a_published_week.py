"""Stops a dispatcher locked with the lock button in a repair of a published week: publishing
the re-plan leaves their appointments as they were (same rows, same sequence, same calendar
event), and tells nobody anything moved."""

from __future__ import annotations

import pytest

from scheduler.core.extensions import db
from scheduler.dispatch import publish_plan
from scheduler.dispatch.changes import week_changes
from scheduler.dispatch.locks import set_stop_lock
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.planning import ChangeKind
from scheduler.planning import ReplanMode

from ..builders import make_request
from .week_builders import ZONE
from .week_builders import first_home_stop
from .week_builders import org_of
from .week_builders import plan


def _told(row: Appointment) -> tuple[object, ...]:
    """What the volunteer's calendar and the person's messages follow."""
    return (row.status, row.volunteer_id, row.starts_at, row.sequence, row.uid)


@pytest.mark.parametrize("locked_volunteer", ["volunteer_id", "other_volunteer_id"])
def test_a_locked_drop_in_duty_keeps_its_appointments_when_the_replan_is_published(
    app, world, week, now, settings, dispatcher_user, locked_volunteer
):
    """Sylvie and Omar staff the Tuesday drop-in. In a repair the dispatcher locks one of
    their duties (the lock button, nothing placed by hand), plans again after a new request
    and publishes: both duties keep their appointments untouched (the locked seat used to
    be renumbered from 0, so each duty took the other's appointment, and publishing
    cancelled both and made them again, as if both had moved)."""
    with app.app_context():
        org = org_of(world)
        first = plan(world, week, now, settings)
        publish_plan(db.session, first, now=now)
        db.session.commit()
        duties = {v.appointment_id: v.volunteer_id for v in first.visits if v.site_id}
        assert sorted(duties.values()) == sorted([world.volunteer_id, world.other_volunteer_id])
        before = {a: _told(db.session.get(Appointment, a)) for a in duties}

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        chosen = getattr(world, locked_volunteer)
        stop = next(v for v in repair.visits if v.site_id and v.volunteer_id == chosen)
        set_stop_lock(db.session, org, repair, stop, True, user=dispatcher_user(), now=now)
        make_request(db.session, org, availability=["thu-am"])
        db.session.commit()

        again = plan(world, week, now, settings, ReplanMode.KEEP)
        staff = {(v.volunteer_id, v.starts_at) for v in again.visits if v.site_id}
        assert staff == {(v.volunteer_id, v.starts_at) for v in first.visits if v.site_id}
        diff = week_changes(db.session, first, again, ZONE)
        assert diff.count(ChangeKind.MOVED) == diff.count(ChangeKind.RETIMED) == 0
        assert diff.count(ChangeKind.REMOVED) == 0
        published = publish_plan(db.session, again, now=now)
        db.session.commit()
        assert published.moved == published.cancelled == 0
        after = {v.appointment_id: v.volunteer_id for v in again.visits if v.site_id}
        assert after == duties
        for appointment_id, told in before.items():
            row = db.session.get(Appointment, appointment_id)
            assert _told(row) == told
            assert row.status is AppointmentStatus.SCHEDULED


def test_a_locked_home_visit_keeps_its_appointment_when_the_replan_is_published(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    """The same with one of Sylvie's home visits locked in the repair: its appointment, and
    every other one of the week, is left as it was."""
    with app.app_context():
        org = org_of(world)
        first = plan(world, week, now, settings)
        publish_plan(db.session, first, now=now)
        db.session.commit()
        before = {
            v.appointment_id: _told(db.session.get(Appointment, v.appointment_id))
            for v in first.visits
            if v.appointment_id
        }

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        stop = first_home_stop(repair, world)
        set_stop_lock(db.session, org, repair, stop, True, user=dispatcher_user(), now=now)
        make_request(db.session, org, availability=["tue-am", "thu-am"])
        db.session.commit()

        again = plan(world, week, now, settings, ReplanMode.KEEP)
        kept = next(v for v in again.visits if v.request_id == stop.request_id)
        assert (kept.volunteer_id, kept.starts_at) == (stop.volunteer_id, stop.starts_at)
        published = publish_plan(db.session, again, now=now)
        db.session.commit()
        assert published.moved == published.cancelled == 0
        for appointment_id, told in before.items():
            assert _told(db.session.get(Appointment, appointment_id)) == told
