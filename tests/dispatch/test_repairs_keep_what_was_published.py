"""Repairing a published week: keep mode moves no published visit, absences, removed time
slots and cancellations free only what they touch, and what the repair cancels once
published."""

from __future__ import annotations

from datetime import time
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import publish_plan
from scheduler.dispatch.alerts import flagged_weeks
from scheduler.dispatch.alerts import week_alerts
from scheduler.dispatch.changes import CANCELLED
from scheduler.dispatch.changes import week_changes
from scheduler.models import Absence
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AvailabilityWindow
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.models import RequestStatus
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.planning import ChangeKind
from scheduler.planning import ReplanMode
from scheduler.requests import triage

from ..builders import make_request
from ..builders import make_volunteer
from .conftest import WEEK_CODE
from .week_builders import ZONE
from .week_builders import org_of
from .week_builders import placements
from .week_builders import plan


def test_replanning_in_keep_mode_moves_no_published_visit(
    app, world, week, now, settings, busy_week
):
    with app.app_context():
        first = plan(world, week, now, settings)
        publish_plan(db.session, first, now=now)
        published = placements(first)
        newcomer = make_request(db.session, org_of(world), availability=["tue-am", "thu-am"])
        db.session.commit()
        draft = plan(world, week, now, settings, ReplanMode.KEEP)
        assert draft.stats["mode"] == "keep"
        again = placements(draft)
        for key, where in published.items():
            assert again[key] == where
        diff = week_changes(db.session, first, draft, ZONE)
        assert diff.count(ChangeKind.MOVED) == diff.count(ChangeKind.RETIMED) == 0
        assert diff.count(ChangeKind.REMOVED) == 0
        assert diff.count(ChangeKind.UNCHANGED) == len(first.visits)
        added = [line.request.id for line in diff.changed if line.kind is ChangeKind.ADDED]
        assert newcomer.id in added or any(u.request_id == newcomer.id for u in draft.unassigned)


def test_an_absence_flags_the_week_and_the_repair_frees_only_that_day(
    app, world, week, now, settings, busy_week
):
    with app.app_context():
        first = plan(world, week, now, settings)
        publish_plan(db.session, first, now=now)
        thursday = week + timedelta(days=3)
        on_thursday = [v for v in first.visits if v.starts_at.astimezone(ZONE).date() == thursday]
        assert on_thursday and all(v.volunteer_id == world.volunteer_id for v in on_thursday)
        assert not week_alerts(db.session, first, ZONE)

        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.absences.append(Absence(first_day=thursday, last_day=thursday))
        db.session.commit()
        found = week_alerts(db.session, first, ZONE)
        assert [(a.volunteer.id, a.day, a.visits) for a in found.absences] == [
            (world.volunteer_id, thursday, len(on_thursday))
        ]
        assert flagged_weeks(db.session, org_of(world), now) == [week]

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        diff = week_changes(db.session, first, repair, ZONE)
        lost = {v.request_id for v in on_thursday}
        changed = {line.request.id: line for line in diff.changed if line.request}
        assert set(changed) == lost  # nothing else moves
        for line in changed.values():
            assert line.kind is ChangeKind.REMOVED  # nobody else works on Thursday
            assert line.reason == "no_availability"
        assert {u.request_id for u in repair.unassigned} >= lost
        assert diff.count(ChangeKind.UNCHANGED) == len(first.visits) - len(on_thursday)
        phones = {(c.role, c.phone) for c in diff.contacts}
        assert ("beneficiary", "+18195550142") in phones
        assert any(c.role == "volunteer" and c.name == sylvie.full_name for c in diff.contacts)

        publish_plan(db.session, repair, now=now)
        assert not week_alerts(db.session, repair, ZONE)


def test_removing_a_days_time_slots_flags_the_week_like_a_day_off(
    app, client, auth, world, week, now, settings, busy_week
):
    with app.app_context():
        first = plan(world, week, now, settings)
        publish_plan(db.session, first, now=now)
        thursday = week + timedelta(days=3)
        on_thursday = [v for v in first.visits if v.starts_at.astimezone(ZONE).date() == thursday]
        assert on_thursday and not week_alerts(db.session, first, ZONE)

        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability = [w for w in sylvie.availability if w.weekday != 3]
        db.session.commit()
        found = week_alerts(db.session, first, ZONE)
        assert [(a.volunteer.id, a.day, a.visits) for a in found.unavailable] == [
            (world.volunteer_id, thursday, len(on_thursday))
        ]
        assert found.affected == len(on_thursday)
        assert flagged_weeks(db.session, org_of(world), now) == [week]
    auth.login_as(Role.DISPATCHER)
    page = client.get("/dispatch/plans").get_data(as_text=True)
    # The planning page lists the week among those to repair.
    flagged = page[page.index("Semaines publiées à réparer") :]
    assert WEEK_CODE in flagged
    assert "a retiré des plages où des visites étaient prévues" in flagged


def test_publishing_the_repair_cancels_confirmed_visits_of_the_absent_volunteer(
    app, world, week, now, settings, busy_week
):
    """The draft lists them as dropped ("the volunteer is away that day"): once it is
    published they must not stay confirmed in her calendar and the person's page, with
    the week no longer flagged, but go back to be planned (and the person be told)."""
    with app.app_context():
        first = plan(world, week, now, settings)
        publish_plan(db.session, first, now=now)
        thursday = week + timedelta(days=3)
        kept = [
            db.session.get(Appointment, v.appointment_id)
            for v in first.visits
            if v.starts_at.astimezone(ZONE).date() == thursday
        ]
        assert kept
        for appointment in kept:
            appointment.status = AppointmentStatus.CONFIRMED
            appointment.request.status = RequestStatus.CONFIRMED
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.absences.append(Absence(first_day=thursday, last_day=thursday))
        db.session.commit()

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        absent = {u.request_id for u in repair.unassigned if u.reason == "volunteer_absent"}
        assert absent == {a.request_id for a in kept}
        publish_plan(db.session, repair, now=now)

        for appointment in kept:
            db.session.refresh(appointment)
            assert appointment.status is AppointmentStatus.CANCELLED
            assert appointment.request.status is RequestStatus.TRIAGED
        assert not db.session.scalars(
            sa.select(Appointment).where(
                Appointment.volunteer_id == world.volunteer_id,
                Appointment.status.in_((AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)),
                Appointment.starts_at >= kept[0].starts_at - timedelta(hours=12),
                Appointment.starts_at < kept[0].starts_at + timedelta(hours=12),
            )
        ).all()


def test_a_cancellation_shows_on_the_dispatcher_side_and_frees_the_slot(
    app, world, week, now, settings, busy_week
):
    with app.app_context():
        first = plan(world, week, now, settings)
        publish_plan(db.session, first, now=now)
        aline = busy_week[0]
        req = db.session.get(HelpRequest, aline)
        triage.change_status(
            db.session,
            req,
            RequestStatus.CANCELLED,
            user=None,
            now=now,
            cancel_reason="person_cancelled",
        )
        db.session.commit()
        found = week_alerts(db.session, first, ZONE)
        assert [c.request.id for c in found.cancellations] == [aline]
        draft = plan(world, week, now, settings)
        diff = week_changes(db.session, first, draft, ZONE)
        (line,) = [x for x in diff.changed if x.request and x.request.id == aline]
        assert (line.kind, line.reason) == (ChangeKind.REMOVED, CANCELLED)
        assert all(v.request_id != aline for v in draft.visits)


def test_a_repair_during_the_week_keeps_a_visit_its_volunteer_is_already_driving_to(
    app, world, week, now, settings
):
    """Once the week has begun, nobody sets off before "now"; but a volunteer who had to
    leave home before now to reach a published visit on time is on the road, and the
    visit stays at its time (it used to be timed again from now, on the next grid minute)."""
    with app.app_context():
        org = org_of(world)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(12)))
        town = db.session.get(Municipality, world.municipality_ids["L'Avenir"])
        far = make_request(db.session, org, availability=["thu-am"], municipality=town)
        db.session.commit()
        first = plan(world, week, now, settings)
        publish_plan(db.session, first, now=now)
        stop = next(v for v in first.visits if v.request_id == far.id)
        # Sylvie may leave half an hour before 9:00 (the lead time): the drive sets the time.
        assert stop.starts_at.astimezone(ZONE).time() > time(9)
        during = stop.starts_at - timedelta(minutes=1)
        draft = plan(world, week, during, settings, ReplanMode.KEEP)
        kept = next(v for v in draft.visits if v.request_id == far.id)
        assert (kept.volunteer_id, kept.starts_at) == (stop.volunteer_id, stop.starts_at)
        diff = week_changes(db.session, first, draft, ZONE)
        assert diff.count(ChangeKind.MOVED) == diff.count(ChangeKind.RETIMED) == 0


def test_a_repair_staffs_again_a_drop_in_duty_whose_volunteer_removed_the_slot(
    app, world, week, now, settings
):
    """Not placed by hand: Omar removed his Tuesday slot after the week was published. The
    week is flagged, and the repair gives his seat to someone free then, which clears the
    flag once published (the repair used to keep him there, so the week stayed flagged)."""
    with app.app_context():
        org = org_of(world)
        first = plan(world, week, now, settings)
        publish_plan(db.session, first, now=now)
        starts = next(v.starts_at for v in first.visits if v.site_id)
        make_volunteer(db.session, org, first_name="Lucie")
        omar = db.session.get(Volunteer, world.other_volunteer_id)
        omar.availability = []
        db.session.commit()
        assert flagged_weeks(db.session, org, now) == [week]

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        staff = {v.volunteer_id for v in repair.visits if v.site_id and v.starts_at == starts}
        assert world.other_volunteer_id not in staff and len(staff) == 2
        publish_plan(db.session, repair, now=now)
        assert flagged_weeks(db.session, org, now) == []
