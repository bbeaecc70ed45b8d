"""Running a published week: re-planning modes, the difference list, absences and
cancellations, hand edits checked by the rules, locks, and the organisation's rules."""

from __future__ import annotations

from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.dispatch.alerts import flagged_weeks
from scheduler.dispatch.alerts import week_alerts
from scheduler.dispatch.changes import CANCELLED
from scheduler.dispatch.changes import week_changes
from scheduler.dispatch.edits import Target
from scheduler.dispatch.edits import assign_request
from scheduler.dispatch.edits import move_stop
from scheduler.dispatch.locks import set_day_lock
from scheduler.dispatch.policy import Policy
from scheduler.dispatch.policy import save_policy
from scheduler.models import Absence
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AvailabilityWindow
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanEdit
from scheduler.models import PlanLock
from scheduler.models import PlanningPolicy as PlanningPolicyRow
from scheduler.models import RequestStatus
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.planning import ChangeKind
from scheduler.planning import ReplanMode
from scheduler.requests import triage

from ..builders import make_request
from ..builders import make_volunteer
from ..races import other_request_inserts
from .conftest import WEEK_CODE

ZONE = ZoneInfo("America/Toronto")


@pytest.fixture
def busy_week(app, world):
    """Sylvie also works Thursday mornings; four home visits, two on each of her days."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(12)))
        ids = []
        for slot, name in (("tue-am", "Aline"), ("thu-am", "Bruno"), ("thu-am", "Carole")):
            request = make_request(db.session, org, availability=[slot], duration_min=45)
            request.beneficiary.first_name = name
            ids.append(request.id)
        db.session.commit()
        return ids


@pytest.fixture
def dispatcher_user(app, world):
    """The dispatcher's account, read in the caller's application context."""

    def get() -> User:
        email = world.users[Role.DISPATCHER]
        return db.session.scalar(sa.select(User).where(User.email == email))

    return get


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


def _first_home_stop(draft: Plan, world):
    return next(v for v in draft.visits if v.request_id and v.volunteer_id == world.volunteer_id)


def _placed_by_hand_on_tuesday_at_two(world, week, now, settings, dispatcher_user):
    """Sylvie's first visit moved by the dispatcher to Tuesday 14:00, outside her slots
    (the availability rule overridden, as the hand-edit page allows)."""
    draft = plan(world, week, now, settings)
    stop = _first_home_stop(draft, world)
    tuesday = stop.starts_at.astimezone(ZONE).date()
    target = Target(world.volunteer_id, tuesday, time(14))
    common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
    moved = move_stop(db.session, org_of(world), draft, stop, target, override=True, **common)
    assert moved.saved and "availability" in moved.rules
    return draft, stop, tuesday


def test_a_visit_placed_by_hand_outside_the_slots_is_listed_apart_and_flags_nothing(
    app, client, auth, world, week, now, settings, busy_week, dispatcher_user, monkeypatch
):
    """Sylvie never had Tuesday afternoons: the dispatcher agreed a 14:00 visit with her by
    hand. That is an appointment outside her slots, not slots she removed; only removing
    slots afterwards flags the week."""
    with app.app_context():
        draft, stop, tuesday = _placed_by_hand_on_tuesday_at_two(
            world, week, now, settings, dispatcher_user
        )
        publish_plan(db.session, draft, now=now)
        found = week_alerts(db.session, draft, ZONE)
        assert not found and found.unavailable == []
        assert [(n.volunteer.id, n.starts.time()) for n in found.outside] == [
            (world.volunteer_id, time(14))
        ]
        assert flagged_weeks(db.session, org_of(world), now) == []
    auth.login_as(Role.DISPATCHER)
    # The plan page refuses weeks far from today: read it as on the Friday before.
    monkeypatch.setattr("routes.dispatch.plans.utcnow", lambda: now)
    page = client.get(f"/dispatch/plans?week={WEEK_CODE}").get_data(as_text=True)
    assert "Rendez-vous hors des plages de leur bénévole" in page
    assert "n'est plus disponible" not in page
    assert "Proposer une réparation" not in page
    with app.app_context():
        # Her Tuesday morning slot removed too: now that is a change, and it flags the week.
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability = [w for w in sylvie.availability if w.weekday != 1]
        db.session.commit()
        found = week_alerts(db.session, draft, ZONE)
        assert found.unavailable and flagged_weeks(db.session, org_of(world), now) == [week]


def test_a_repair_in_keep_mode_keeps_a_visit_placed_by_hand_outside_the_slots(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    """Its volunteer fits no shift there (shifts come from her slots), yet the dispatcher
    agreed it so: a repair after an unrelated cancellation keeps it at its time, with her,
    and tells nobody it moved (it used to be placed again, with a "visit moved" message)."""
    with app.app_context():
        draft, stop, tuesday = _placed_by_hand_on_tuesday_at_two(
            world, week, now, settings, dispatcher_user
        )
        publish_plan(db.session, draft, now=now)
        db.session.commit()
        agreed = db.session.get(Appointment, stop.appointment_id)
        told = (agreed.starts_at, agreed.sequence)
        by_hand = (stop.request_id, stop.volunteer_id, stop.starts_at)
        other = next(r for r in busy_week if r != stop.request_id)
        triage.change_status(
            db.session,
            db.session.get(HelpRequest, other),
            RequestStatus.CANCELLED,
            user=None,
            now=now,
            cancel_reason="person_cancelled",
        )
        db.session.commit()

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        kept = next(v for v in repair.visits if v.request_id == stop.request_id)
        assert (kept.request_id, kept.volunteer_id, kept.starts_at) == by_hand
        diff = week_changes(db.session, draft, repair, ZONE)
        assert diff.count(ChangeKind.MOVED) == diff.count(ChangeKind.RETIMED) == 0
        published = publish_plan(db.session, repair, now=now)
        db.session.commit()
        # Nothing for the person to be told: a new time would raise the sequence, which
        # queues the "visit moved" message and replaces the calendar event.
        assert published.moved == published.cancelled == 0
        db.session.refresh(agreed)
        assert agreed.status is AppointmentStatus.SCHEDULED
        assert (agreed.starts_at, agreed.sequence) == told


def test_a_visit_placed_by_hand_outside_the_slots_moves_when_its_volunteer_is_away(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    """Kept as agreed, but not on a day its volunteer is away: then it needs someone else."""
    with app.app_context():
        draft, stop, tuesday = _placed_by_hand_on_tuesday_at_two(
            world, week, now, settings, dispatcher_user
        )
        publish_plan(db.session, draft, now=now)
        by_hand = (stop.volunteer_id, stop.starts_at)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.absences.append(Absence(first_day=tuesday, last_day=tuesday))
        db.session.commit()

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        again = [v for v in repair.visits if v.request_id == stop.request_id]
        assert all((v.volunteer_id, v.starts_at) != by_hand for v in again)


def test_a_move_off_the_time_grid_is_refused_in_words_then_recorded_when_confirmed(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    with app.app_context():
        draft = plan(world, week, now, settings)
        stop = _first_home_stop(draft, world)
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
    from scheduler.models import Appointment
    from scheduler.models import AppointmentStatus

    with app.app_context():
        draft = plan(world, week, now, settings)
        stop = _first_home_stop(draft, world)
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


def _duty_given_by_hand_to_lucie(world, week, now, settings, dispatcher_user):
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


def test_a_repair_in_keep_mode_keeps_a_drop_in_duty_placed_by_hand_outside_the_slots(
    app, world, week, now, settings, dispatcher_user
):
    """Like a visit placed by hand: listed apart, the week not flagged, and a repair after
    an unrelated new request keeps Lucie at the drop-in (the repair used to fail outright:
    the shift made around her duty ran into her 10:00 slot)."""
    with app.app_context():
        draft, lucie, starts = _duty_given_by_hand_to_lucie(
            world, week, now, settings, dispatcher_user
        )
        found = week_alerts(db.session, draft, ZONE)
        assert not found and [(n.volunteer.id, n.request) for n in found.outside] == [(lucie, None)]
        assert flagged_weeks(db.session, org_of(world), now) == []
        make_request(db.session, org_of(world), availability=["thu-am"])
        db.session.commit()

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        duties = {(v.volunteer_id, v.starts_at) for v in repair.visits if v.site_id}
        assert duties == {(world.volunteer_id, starts), (lucie, starts)}
        published = publish_plan(db.session, repair, now=now)
        assert published.moved == published.cancelled == 0


def test_a_drop_in_duty_placed_by_hand_is_staffed_again_when_its_volunteer_is_away(
    app, world, week, now, settings, dispatcher_user
):
    with app.app_context():
        _draft, lucie, starts = _duty_given_by_hand_to_lucie(
            world, week, now, settings, dispatcher_user
        )
        tuesday = week + timedelta(days=1)
        away = db.session.get(Volunteer, lucie)
        away.absences.append(Absence(first_day=tuesday, last_day=tuesday))
        db.session.commit()

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        duties = {(v.volunteer_id, v.starts_at) for v in repair.visits if v.site_id}
        assert duties == {(world.volunteer_id, starts), (world.other_volunteer_id, starts)}


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
