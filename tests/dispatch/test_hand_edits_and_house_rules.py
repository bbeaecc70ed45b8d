"""Hand edits of a draft checked by the rules, locks, and the organisation's planning rules
(lead time, time grids, deadlines)."""

from __future__ import annotations

from datetime import time
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import publish_plan
from scheduler.dispatch.edits import Target
from scheduler.dispatch.edits import assign_request
from scheduler.dispatch.edits import move_stop
from scheduler.dispatch.locks import set_day_lock
from scheduler.dispatch.policy import Policy
from scheduler.dispatch.policy import save_policy
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AvailabilityWindow
from scheduler.models import Plan
from scheduler.models import PlanEdit
from scheduler.models import PlanLock
from scheduler.models import PlanningPolicy as PlanningPolicyRow
from scheduler.models import Volunteer
from scheduler.planning import ReplanMode

from ..builders import make_request
from ..races import other_request_inserts
from .week_builders import ZONE
from .week_builders import first_home_stop
from .week_builders import org_of
from .week_builders import plan


def test_a_move_off_the_time_grid_is_refused_in_words_then_recorded_when_confirmed(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    with app.app_context():
        draft = plan(world, week, now, settings)
        stop = first_home_stop(draft, world)
        local = stop.starts_at.astimezone(ZONE)
        odd = (local + timedelta(minutes=7)).time()
        target = Target(world.volunteer_id, local.date(), odd)
        common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
        refused = move_stop(db.session, org_of(world), draft, stop, target, **common)
        assert not refused.saved
        assert "time_grid" in refused.rules
        assert stop.starts_at.astimezone(ZONE) == local  # nothing changed
        saved = move_stop(db.session, org_of(world), draft, stop, target, override=True, **common)
        assert saved.saved
        (edit,) = db.session.scalars(sa.select(PlanEdit).where(PlanEdit.plan_id == draft.id))
        assert edit.action == "move" and "time_grid" in edit.rules
        assert edit.user_id == dispatcher_user().id and edit.at == now
        assert stop.starts_at.astimezone(ZONE).time() == odd
        assert db.session.scalar(sa.select(PlanLock).where(PlanLock.planned_visit_id == stop.id)), (
            "a stop moved by hand is locked"
        )


def test_a_move_that_breaks_no_rule_is_saved_and_kept_by_replanning(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    with app.app_context():
        draft = plan(world, week, now, settings)
        thursday = week + timedelta(days=3)
        *_, stop = sorted(
            (v for v in draft.visits if v.starts_at.astimezone(ZONE).date() == thursday),
            key=lambda v: v.starts_at,
        )
        local = stop.starts_at.astimezone(ZONE)
        later = (local + timedelta(minutes=30)).time()
        target = Target(world.volunteer_id, local.date(), later)
        outcome = move_stop(
            db.session,
            org_of(world),
            draft,
            stop,
            target,
            settings=settings,
            periods=None,
            user=dispatcher_user(),
            now=now,
        )
        assert outcome.saved and outcome.rules == []
        again = plan(world, week, now, settings)
        kept = next(v for v in again.visits if v.request_id == stop.request_id)
        assert kept.starts_at.astimezone(ZONE).time() == later
        assert kept.volunteer_id == world.volunteer_id


def test_moving_onto_a_locked_day_is_said_in_words(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    with app.app_context():
        draft = plan(world, week, now, settings)
        thursday = week + timedelta(days=3)
        set_day_lock(db.session, draft, world.volunteer_id, thursday, True, user=None, now=now)
        tuesday_stop = next(
            v
            for v in draft.visits
            if v.request_id and v.starts_at.astimezone(ZONE).date() == week + timedelta(days=1)
        )
        outcome = move_stop(
            db.session,
            org_of(world),
            draft,
            tuesday_stop,
            Target(world.volunteer_id, thursday, time(11, 0)),
            settings=settings,
            periods=None,
            user=dispatcher_user(),
            now=now,
        )
        assert not outcome.saved
        assert "locked" in outcome.rules


def test_a_locked_day_stays_as_it_is_when_planning_again(
    app, world, week, now, settings, busy_week
):
    with app.app_context():
        draft = plan(world, week, now, settings)
        thursday = week + timedelta(days=3)
        before = sorted(
            (v.request_id, v.starts_at)
            for v in draft.visits
            if v.starts_at.astimezone(ZONE).date() == thursday
        )
        set_day_lock(db.session, draft, world.volunteer_id, thursday, True, user=None, now=now)
        make_request(db.session, org_of(world), availability=["thu-am"], duration_min=30)
        db.session.commit()
        again = plan(world, week, now, settings, ReplanMode.FREE)
        after = sorted(
            (v.request_id, v.starts_at)
            for v in again.visits
            if v.starts_at.astimezone(ZONE).date() == thursday
        )
        assert after == before
        assert db.session.scalar(
            sa.select(PlanLock).where(PlanLock.plan_id == again.id, PlanLock.day == thursday)
        ), "the lock is carried to the new draft"


def test_a_left_out_request_is_assigned_by_hand_and_its_rules_checked(
    app, world, week, now, settings, dispatcher_user
):
    with app.app_context():
        org = org_of(world)
        # Swahili: nobody speaks it, so the planner leaves it out.
        request = make_request(db.session, org, languages=["sw"], availability=["tue-am"])
        db.session.commit()
        draft = plan(world, week, now, settings)
        assert [u.request_id for u in draft.unassigned if u.request_id] == [request.id]
        target = Target(world.volunteer_id, week + timedelta(days=1), time(10, 30))
        common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
        refused = assign_request(db.session, org, draft, request, target, **common)
        assert not refused.saved and "language" in refused.rules
        saved = assign_request(db.session, org, draft, request, target, override=True, **common)
        assert saved.saved
        assert not [u for u in draft.unassigned if u.request_id == request.id]
        (stop,) = [v for v in draft.visits if v.request_id == request.id]
        assert stop.volunteer_id == world.volunteer_id
        assert draft.stats["requests_served"] >= 1


def test_the_lead_time_lets_volunteers_free_at_nine_staff_a_nine_oclock_drop_in(
    app, world, week, now, settings
):
    with app.app_context():
        with_lead = plan(world, week, now, settings)
        assert with_lead.stats["dropin_seats_filled"] == 2
        save_policy(db.session, org_of(world), Policy(lead_min=0), now=now)
        without = plan(world, week, now, settings)
        assert without.stats["dropin_seats_filled"] == 0


def test_times_start_on_the_organisation_grid(app, world, week, now, settings, busy_week):
    with app.app_context():
        save_policy(
            db.session, org_of(world), Policy(time_grid_min=15, dropin_grid_min=30), now=now
        )
        draft = plan(world, week, now, settings)
        for stop in draft.visits:
            minute = stop.starts_at.astimezone(ZONE).minute
            assert minute % (30 if stop.request_id is None else 15) == 0


def test_a_late_placement_is_listed_and_hard_deadlines_leave_it_out_with_the_reason(
    app, world, week, now, settings
):
    with app.app_context():
        org = org_of(world)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(12)))
        # Due on Monday, free only on Thursday: placing it is late.
        request = make_request(db.session, org, availability=["thu-am"], deadline=week)
        db.session.commit()
        soft = plan(world, week, now, settings)
        assert [x["request_id"] for x in soft.stats["late"]] == [request.id]
        save_policy(db.session, org, Policy(hard_deadlines=True), now=now)
        hard = plan(world, week, now, settings)
        assert [(u.request_id, u.reason) for u in hard.unassigned if u.request_id] == [
            (request.id, "after_deadline")
        ]


def test_a_move_saved_while_the_week_is_published_is_refused_or_published_never_lost(
    app, world, week, now, settings, busy_week, dispatcher_user, monkeypatch
):
    """A dispatcher moves a stop while another publishes the draft: the move is either in
    what was published or refused, never saved on a plan whose appointments do not show it
    (the plan page would then show people something else than their calendars)."""
    import threading

    from scheduler.dispatch import edits

    with app.app_context():
        draft = plan(world, week, now, settings)
        stop = first_home_stop(draft, world)
        plan_id, stop_id, request_id = draft.id, stop.id, stop.request_id
        later = (stop.starts_at.astimezone(ZONE) + timedelta(minutes=30)).replace(tzinfo=None)
    reading, published = threading.Event(), threading.Event()
    built = edits.build_problem

    def read_while_publishing(*args, **kwargs):
        problem = built(*args, **kwargs)
        reading.set()
        published.wait(timeout=3)  # with a lock held, the publication waits instead
        return problem

    monkeypatch.setattr(edits, "build_problem", read_while_publishing)
    outcome: list[object] = []

    def move() -> None:
        with app.app_context():
            row = db.session.get(Plan, plan_id)
            visit = next(v for v in row.visits if v.id == stop_id)
            target = Target(world.volunteer_id, later.date(), later.time())
            try:
                outcome.append(
                    move_stop(
                        db.session,
                        org_of(world),
                        row,
                        visit,
                        target,
                        override=True,
                        settings=settings,
                        periods=None,
                        user=dispatcher_user(),
                        now=now,
                    )
                )
            except edits.PlanNotDraft as refused:
                outcome.append(refused)

    mover = threading.Thread(target=move)
    mover.start()
    assert reading.wait(timeout=30)
    with app.app_context():
        publish_plan(db.session, db.session.get(Plan, plan_id), now=now)
    published.set()
    mover.join(timeout=30)
    with app.app_context():
        (appointment,) = db.session.scalars(
            sa.select(Appointment).where(
                Appointment.request_id == request_id,
                Appointment.status == AppointmentStatus.SCHEDULED,
            )
        )
        shown = appointment.starts_at.astimezone(ZONE).replace(tzinfo=None)
        saved = db.session.get(Plan, plan_id).visits
        planned = next(v for v in saved if v.id == stop_id).starts_at.astimezone(ZONE)
    if isinstance(outcome[0], edits.PlanNotDraft):
        assert shown != later and planned.replace(tzinfo=None) == shown
    else:
        assert shown == later


def test_the_first_rules_saved_twice_at_once_are_kept_once_as_the_later_save_says(app, world, now):
    """A double click on the organisation's first save: the other request stores its rules
    just after this one found none. No error; one row, with this save's values."""
    with app.app_context():
        theirs = sa.insert(PlanningPolicyRow).values(
            organisation_id=world.org_id, lead_min=30, updated_at=now
        )
        with other_request_inserts(db.engine, "planning_policy", theirs) as done:
            save_policy(db.session, org_of(world), Policy(lead_min=45), now=now)
        assert done
        rows = db.session.scalars(sa.select(PlanningPolicyRow)).all()
        assert [row.lead_min for row in rows] == [45]
