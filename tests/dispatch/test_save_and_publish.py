"""Drafts are stored beside the published plan; publishing makes appointments calendars show."""

from __future__ import annotations

from datetime import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import PlanNotDraft
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AvailabilityWindow
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import RequestStatus
from scheduler.models import Volunteer
from scheduler.models import utcnow

from ..builders import make_request
from ..calendars.builders import volunteer_link
from ..calendars.parsers import by_uid
from ..calendars.parsers import read_with_ical


@pytest.fixture
def next_week():
    """Next week's Monday: inside the calendar feeds' horizon."""
    today = utcnow().date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


@pytest.fixture
def thursday_visit(app, world):
    """Sylvie (with a car) is also free on Thursday mornings; a home visit in Wickham,
    15 km away, can only be on Thursday morning, and Omar (no car) cannot walk there."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(12)))
        request = make_request(
            db.session, org, availability=["thu-am"], lat=45.75, lon=-72.5, duration_min=90
        )
        db.session.commit()
        return request.id


def run(world, week, settings):
    org = db.session.get(Organisation, world.org_id)
    return plan_week(db.session, org, week, settings=settings, now=utcnow())


def feed_events(client, world):
    with client.application.app_context():
        link = volunteer_link(db.session, db.session.get(Volunteer, world.volunteer_id))
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 200
    return by_uid(read_with_ical(response.get_data()))


def test_draft_stores_stops_figures_and_reasons(app, world, next_week, settings, thursday_visit):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        make_request(db.session, org, languages=["sw"], availability=["tue-am"])
        db.session.commit()
        draft = run(world, next_week, settings)
        assert draft.status is PlanStatus.DRAFT
        (visit,) = [v for v in draft.visits if v.request_id == thursday_visit]
        assert visit.volunteer_id == world.volunteer_id
        assert visit.travel_km_before > 10
        thursday = (next_week + timedelta(days=3)).isoformat()
        day = draft.stats["days"][f"{world.volunteer_id}/{thursday}"]
        assert day["km"] == pytest.approx(2 * visit.travel_km_before, abs=0.2)  # there and back
        assert draft.stats["requests_total"] == 2
        assert draft.stats["requests_served"] == 1
        assert draft.stats["left_out_by_reason"] == {"no_language_match": 1}
        (missing,) = [u for u in draft.unassigned if u.request_id is not None]
        assert missing.detail["languages"] == ["sw"]


def test_new_draft_never_overwrites_the_published_plan(
    app, world, next_week, settings, thursday_visit
):
    with app.app_context():
        first = run(world, next_week, settings)
        publish_plan(db.session, first, now=utcnow())
        stops = [(v.volunteer_id, v.starts_at) for v in first.visits]
        second = run(world, next_week, settings)
        db.session.expire_all()
        published = db.session.get(Plan, first.id)
        assert published.status is PlanStatus.PUBLISHED
        assert [(v.volunteer_id, v.starts_at) for v in published.visits] == stops
        assert second.id != first.id
        assert second.status is PlanStatus.DRAFT
        assert second.parent_id == first.id


def test_an_older_draft_is_discarded_by_a_new_one(app, world, next_week, settings):
    with app.app_context():
        first = run(world, next_week, settings)
        run(world, next_week, settings)
        assert db.session.get(Plan, first.id).status is PlanStatus.DISCARDED


def test_a_published_plan_cannot_be_published_again(app, world, next_week, settings):
    with app.app_context():
        plan = run(world, next_week, settings)
        publish_plan(db.session, plan, now=utcnow())
        with pytest.raises(PlanNotDraft):
            publish_plan(db.session, plan, now=utcnow())


def test_publishing_creates_appointments_shown_in_the_volunteers_feed(
    app, client, world, next_week, settings, thursday_visit
):
    with app.app_context():
        plan = run(world, next_week, settings)
        result = publish_plan(db.session, plan, now=utcnow())
        assert result.created >= 1
        appointment = db.session.scalar(
            sa.select(Appointment).where(Appointment.request_id == thursday_visit)
        )
        assert appointment.volunteer_id == world.volunteer_id
        assert appointment.plan_id == plan.id
        assert appointment.status is AppointmentStatus.SCHEDULED
        assert db.session.get(HelpRequest, thursday_visit).status is RequestStatus.PLANNED
        uid, starts = appointment.uid, appointment.starts_at
    events = feed_events(client, world)
    assert events[uid]["sequence"] == 0
    assert events[uid]["start"] == starts.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_republishing_after_a_change_moves_the_appointment_with_a_higher_sequence(
    app, client, world, next_week, settings, thursday_visit
):
    with app.app_context():
        publish_plan(db.session, run(world, next_week, settings), now=utcnow())
        uid = db.session.scalar(
            sa.select(Appointment.uid).where(Appointment.request_id == thursday_visit)
        )
    before = feed_events(client, world)[uid]
    with app.app_context():
        db.session.get(HelpRequest, thursday_visit).duration_min = 120
        db.session.commit()
        result = publish_plan(db.session, run(world, next_week, settings), now=utcnow())
        assert (result.created, result.moved, result.cancelled) == (0, 1, 0)
        assert db.session.scalars(
            sa.select(Appointment).where(Appointment.request_id == thursday_visit)
        ).all() == [db.session.scalar(sa.select(Appointment).where(Appointment.uid == uid))]
    after = feed_events(client, world)[uid]
    assert after["sequence"] == before["sequence"] + 1
    assert after["end"] > before["end"]


def test_republishing_cancels_what_the_new_plan_no_longer_holds(
    app, world, next_week, settings, thursday_visit
):
    with app.app_context():
        publish_plan(db.session, run(world, next_week, settings), now=utcnow())
        request = db.session.get(HelpRequest, thursday_visit)
        request.status = RequestStatus.CANCELLED
        db.session.commit()
        result = publish_plan(db.session, run(world, next_week, settings), now=utcnow())
        appointment = db.session.scalar(
            sa.select(Appointment).where(Appointment.request_id == thursday_visit)
        )
        assert result.cancelled == 1
        assert appointment.status is AppointmentStatus.CANCELLED
        assert appointment.sequence == 1
