"""People who come to a drop-in are booked at a staffed session that suits them."""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.dispatch.policy import Policy
from scheduler.dispatch.policy import save_policy
from scheduler.models import Appointment
from scheduler.models import AvailabilityWindow
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import RequestStatus
from scheduler.models import Site
from scheduler.models import Volunteer

from ..builders import make_request


@pytest.fixture
def early_tuesdays(app, world):
    """Both volunteers can leave home at 8:30 on Tuesdays, in time for the 9:00 drop-in."""
    with app.app_context():
        for volunteer_id in (world.volunteer_id, world.other_volunteer_id):
            volunteer = db.session.get(Volunteer, volunteer_id)
            volunteer.availability = [
                AvailabilityWindow(weekday=1, starts=time(8, 30), ends=time(12))
            ]
        db.session.commit()


def visitor(world, **fields):
    org = db.session.get(Organisation, world.org_id)
    fields.setdefault("availability", ["tue-am"])
    return make_request(
        db.session,
        org,
        mode=Mode.DROPIN,
        site=db.session.get(Site, world.site_id),
        address=None,
        duration_min=60,
        **fields,
    )


def run(world, week, now, settings):
    org = db.session.get(Organisation, world.org_id)
    return plan_week(db.session, org, week, settings=settings, now=now)


def test_visitor_is_booked_at_a_staffed_session_and_the_other_told_why(
    app, world, week, now, settings, early_tuesdays
):
    with app.app_context():
        booked = visitor(world)
        wednesday = visitor(world, availability=["wed-am"])
        db.session.commit()
        plan = run(world, week, now, settings)
        (stop,) = [v for v in plan.visits if v.request_id == booked.id]
        assert stop.volunteer_id is None
        assert stop.site_id == world.site_id
        assert stop.starts_at.hour == 14  # 9:00 in Drummondville (EST)
        reasons = {u.request_id: u.reason for u in plan.unassigned if u.request_id}
        assert reasons == {wednesday.id: "dropin_no_opening"}
        assert plan.stats["visitors_booked"] == 1
        assert plan.stats["dropin_seats_filled"] == 2


def test_visitor_is_not_booked_where_no_volunteer_will_be(app, world, week, now, settings):
    with app.app_context():
        # Without a lead time, volunteers free from 9:00 cannot be at the 9:00 session.
        org = db.session.get(Organisation, world.org_id)
        save_policy(db.session, org, Policy(lead_min=0), now=now)
        request = visitor(world)
        db.session.commit()
        plan = run(world, week, now, settings)
        assert [(u.request_id, u.reason) for u in plan.unassigned if u.request_id] == [
            (request.id, "dropin_unstaffed")
        ]


def test_publishing_books_the_visitor_at_the_site(app, world, week, now, settings, early_tuesdays):
    with app.app_context():
        request = visitor(world)
        db.session.commit()
        publish_plan(db.session, run(world, week, now, settings), now=now)
        booking = db.session.scalar(
            sa.select(Appointment).where(Appointment.request_id == request.id)
        )
        assert (booking.kind, booking.site_id, booking.volunteer_id) == (
            Mode.DROPIN,
            world.site_id,
            None,
        )
        assert request.status is RequestStatus.PLANNED
        duties = db.session.scalars(
            sa.select(Appointment).where(
                Appointment.request_id.is_(None), Appointment.site_id == world.site_id
            )
        ).all()
        assert {d.volunteer_id for d in duties} == {world.volunteer_id, world.other_volunteer_id}
