"""Visits and drop-in duties a dispatcher placed by hand outside their volunteer's slots:
listed apart without flagging the week, kept by a repair, planned again on a day away."""

from __future__ import annotations

import html
from datetime import time
from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.dispatch import publish_plan
from scheduler.dispatch.alerts import flagged_weeks
from scheduler.dispatch.alerts import week_alerts
from scheduler.dispatch.changes import week_changes
from scheduler.dispatch.edits import Target
from scheduler.dispatch.edits import assign_request
from scheduler.models import Absence
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AvailabilityWindow
from scheduler.models import HelpRequest
from scheduler.models import RequestStatus
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.planning import ChangeKind
from scheduler.planning import ReplanMode
from scheduler.requests import triage

from ..builders import make_request
from ..people.factories import week_form
from .conftest import WEEK_CODE
from .week_builders import ZONE
from .week_builders import duty_given_by_hand_to_lucie
from .week_builders import org_of
from .week_builders import placed_by_hand_on_tuesday_at_two
from .week_builders import plan


def test_a_visit_placed_by_hand_outside_the_slots_is_listed_apart_and_flags_nothing(
    app, client, auth, world, week, now, settings, busy_week, dispatcher_user, monkeypatch
):
    """Sylvie never had Tuesday afternoons: the dispatcher agreed a 14:00 visit with her by
    hand. That is an appointment outside her slots, not slots she removed; only removing
    slots afterwards flags the week."""
    with app.app_context():
        draft, stop, tuesday = placed_by_hand_on_tuesday_at_two(
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
    page = html.unescape(client.get(f"/dispatch/plans?week={WEEK_CODE}").get_data(as_text=True))
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
        draft, stop, tuesday = placed_by_hand_on_tuesday_at_two(
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
        draft, stop, tuesday = placed_by_hand_on_tuesday_at_two(
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


def test_a_repair_in_keep_mode_keeps_a_drop_in_duty_placed_by_hand_outside_the_slots(
    app, client, auth, world, week, now, settings, dispatcher_user, monkeypatch
):
    """Like a visit placed by hand: listed apart, the week not flagged, and a repair after
    an unrelated new request keeps Lucie at the drop-in (the repair used to fail outright:
    the shift made around her duty ran into her 10:00 slot)."""
    with app.app_context():
        draft, lucie, starts = duty_given_by_hand_to_lucie(
            world, week, now, settings, dispatcher_user
        )
        found = week_alerts(db.session, draft, ZONE)
        assert not found and [(n.volunteer.id, n.request) for n in found.outside] == [(lucie, None)]
        assert flagged_weeks(db.session, org_of(world), now) == []
    auth.login_as(Role.DISPATCHER)
    monkeypatch.setattr("routes.dispatch.plans.utcnow", lambda: now)
    page = client.get(f"/dispatch/plans?week={WEEK_CODE}").get_data(as_text=True)
    listed = page[page.index("Rendez-vous hors des plages de leur bénévole") :]
    assert "Lucie" in listed[: listed.index("</section>")]
    assert "Proposer une réparation" not in page
    with app.app_context():
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
        _draft, lucie, starts = duty_given_by_hand_to_lucie(
            world, week, now, settings, dispatcher_user
        )
        tuesday = week + timedelta(days=1)
        away = db.session.get(Volunteer, lucie)
        away.absences.append(Absence(first_day=tuesday, last_day=tuesday))
        db.session.commit()

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        duties = {(v.volunteer_id, v.starts_at) for v in repair.visits if v.site_id}
        assert duties == {(world.volunteer_id, starts), (world.other_volunteer_id, starts)}


def _thursday(volunteer: Volunteer, *windows: tuple[time, time]) -> None:
    volunteer.availability = [w for w in volunteer.availability if w.weekday != 3] + [
        AvailabilityWindow(weekday=3, starts=starts, ends=ends) for starts, ends in windows
    ]


def test_a_visit_placed_by_hand_between_two_busy_slots_is_kept_once_both_slots_widen(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    """Sylvie is free on Thursday 9:00-10:00 and 11:00-12:00, each slot holding a visit.
    The dispatcher places a third at 10:00, between them, and publishes. She then widens
    both slots (to 10:15 and from 10:30), so that visit overlaps each: a repair keeps all
    three (it used to fail outright, the shift made around the 10:00 visit running into
    her second slot)."""
    with app.app_context():
        org = org_of(world)
        _thursday(
            db.session.get(Volunteer, world.volunteer_id), (time(9), time(10)), (time(11), time(12))
        )
        late = make_request(db.session, org, availability=["sat-pm"], duration_min=45)
        db.session.commit()
        draft = plan(world, week, now, settings)
        target = Target(world.volunteer_id, week + timedelta(days=3), time(10))
        request = db.session.get(HelpRequest, late.id)
        common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
        placed = assign_request(db.session, org, draft, request, target, override=True, **common)
        assert placed.saved and "availability" in placed.rules
        publish_plan(db.session, draft, now=now)
        aline = busy_week[0]
        thursday = {
            (v.request_id, v.starts_at) for v in draft.visits if v.request_id not in (None, aline)
        }
        assert len(thursday) == 3
        widened = ((time(9), time(10, 15)), (time(10, 30), time(12)))
        _thursday(db.session.get(Volunteer, world.volunteer_id), *widened)
        db.session.commit()

        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        kept = {
            (v.request_id, v.starts_at)
            for v in repair.visits
            if v.volunteer_id == world.volunteer_id
        }
        assert thursday <= kept
        published = publish_plan(db.session, repair, now=now)
        assert published.moved == published.cancelled == 0


@pytest.mark.parametrize(
    ("slot", "at", "rule"),
    [
        # Starts inside her slot, runs past its end: recorded as "back after the shift
        # ends", not as outside her availability (it used to be dropped by a repair).
        ((time(9), time(10, 15)), time(10), "shift_window"),
        # Starts before her slot, ends inside it.
        ((time(10, 30), time(11)), time(10), "availability"),
    ],
    ids=["runs-past-the-slot", "starts-before-the-slot"],
)
def test_a_visit_placed_by_hand_across_a_slot_edge_is_listed_apart_and_kept_by_a_repair(
    app,
    client,
    auth,
    world,
    week,
    now,
    settings,
    busy_week,
    dispatcher_user,
    monkeypatch,
    slot,
    at,
    rule,
):
    """Sylvie is free on Thursday for one slot only; the dispatcher gives her the 45-minute
    visit the plan left out at a time straddling an edge of that slot, confirming it despite
    the rule, and publishes. The week is not flagged (the visit is listed apart), and a
    repair in keep mode keeps it with her at its time: nobody is told it moved or was
    cancelled."""
    with app.app_context():
        org = org_of(world)
        _thursday(db.session.get(Volunteer, world.volunteer_id), slot)
        db.session.commit()
        draft = plan(world, week, now, settings)
        thursday = week + timedelta(days=3)
        left = next(u.request_id for u in draft.unassigned if u.request_id in busy_week)
        target = Target(world.volunteer_id, thursday, at)
        request = db.session.get(HelpRequest, left)
        common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
        placed = assign_request(db.session, org, draft, request, target, override=True, **common)
        assert placed.saved and placed.rules == [rule]
        publish_plan(db.session, draft, now=now)
        db.session.commit()
        stop = next(v for v in draft.visits if v.request_id == left)
        agreed = db.session.get(Appointment, stop.appointment_id)
        told = (agreed.volunteer_id, agreed.starts_at, agreed.sequence)
        assert told[:2] == (world.volunteer_id, stop.starts_at)
        assert agreed.starts_at.astimezone(ZONE).time() == at

        found = week_alerts(db.session, draft, ZONE)
        assert not found and found.unavailable == []
        assert [(n.request.id, n.starts.time()) for n in found.outside] == [(left, at)]
        assert flagged_weeks(db.session, org, now) == []
    auth.login_as(Role.DISPATCHER)
    monkeypatch.setattr("routes.dispatch.plans.utcnow", lambda: now)
    page = html.unescape(client.get(f"/dispatch/plans?week={WEEK_CODE}").get_data(as_text=True))
    assert "Rendez-vous hors des plages de leur bénévole" in page
    assert "n'est plus disponible" not in page
    assert "Proposer une réparation" not in page

    with app.app_context():
        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        kept = [v for v in repair.visits if v.request_id == left]
        assert [(v.volunteer_id, v.starts_at, v.appointment_id) for v in kept] == [
            (world.volunteer_id, stop.starts_at, agreed.id)
        ]
        published = publish_plan(db.session, repair, now=now)
        db.session.commit()
        assert published.moved == published.cancelled == 0
        agreed = db.session.get(Appointment, agreed.id)
        assert agreed.status is AppointmentStatus.SCHEDULED
        assert (agreed.volunteer_id, agreed.starts_at, agreed.sequence) == told


def test_a_repair_keeps_a_visit_placed_by_hand_against_the_language_rule_too(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    """Nobody speaks Swahili: the dispatcher placed the request with Sylvie by hand anyway,
    outside her slots (the notice says re-planning keeps it). A repair after an unrelated
    cancellation used to drop it, and hand the shift made around it to another visit,
    outside Sylvie's slots."""
    with app.app_context():
        request = make_request(
            db.session, org_of(world), languages=["sw"], availability=["tue-am"], duration_min=90
        )
        db.session.commit()
        draft = plan(world, week, now, settings)
        assert request.id not in {v.request_id for v in draft.visits}
        target = Target(world.volunteer_id, week + timedelta(days=1), time(11))
        common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
        placed = assign_request(
            db.session, org_of(world), draft, request, target, override=True, **common
        )
        assert placed.saved and {"shift_window", "language"} <= set(placed.rules), placed.rules
        publish_plan(db.session, draft, now=now)
        db.session.commit()
        stop = next(v for v in draft.visits if v.request_id == request.id)
        by_hand = (request.id, world.volunteer_id, stop.starts_at)
        other = next(r for r in busy_week if r != request.id)
        triage.change_status(
            db.session,
            db.session.get(HelpRequest, other),
            RequestStatus.CANCELLED,
            user=None,
            now=now,
            cancel_reason="person_cancelled",
        )
        db.session.commit()

        for mode in (ReplanMode.KEEP, ReplanMode.FREE):
            # Even planning freely never hands it to someone the rules would have refused.
            repair = plan(world, week, now, settings, mode)
            kept = [v for v in repair.visits if v.request_id == request.id]
            assert [(v.request_id, v.volunteer_id, v.starts_at) for v in kept] == [by_hand]


@pytest.mark.parametrize(
    ("slot", "at"),
    [((time(9), time(10, 15)), time(10)), ((time(10, 30), time(11)), time(10))],
    ids=["runs-past-the-slot", "starts-before-the-slot"],
)
def test_a_visit_placed_by_hand_across_a_slot_edge_needs_someone_else_once_that_slot_goes(
    app, client, auth, world, week, now, settings, busy_week, dispatcher_user, monkeypatch, slot, at
):
    """As above, the visit straddles an edge of Sylvie's only Thursday slot; then she
    removes that slot. The note on it used to go on saying nobody removed a slot, the week
    unflagged, and a repair kept it at a time she had just said she could not do. Now it
    needs someone else like any visit in that slot: the week is flagged for it, her own
    page counted it, and a repair no longer keeps it with her."""
    with app.app_context():
        org = org_of(world)
        _thursday(db.session.get(Volunteer, world.volunteer_id), slot)
        db.session.commit()
        draft = plan(world, week, now, settings)
        left = next(u.request_id for u in draft.unassigned if u.request_id in busy_week)
        target = Target(world.volunteer_id, week + timedelta(days=3), at)
        request = db.session.get(HelpRequest, left)
        common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
        placed = assign_request(db.session, org, draft, request, target, override=True, **common)
        assert placed.saved
        publish_plan(db.session, draft, now=now)
        db.session.commit()
        stop = next(v for v in draft.visits if v.request_id == left)
        by_hand = (world.volunteer_id, stop.starts_at)
        # With the slot's own visit, if the plan found room for one in it.
        thursday = len([v for v in draft.visits if v.starts_at.astimezone(ZONE).weekday() == 3])
        assert thursday == (2 if slot[1] == time(10, 15) else 1)

    auth.login_as(Role.VOLUNTEER)
    data = week_form((1, "09:00", "12:00"))
    page = client.post("/me/availability", data=data).get_data(as_text=True)
    said = "visites prévues sortent" if thursday > 1 else "visite prévue sort"
    assert f"{thursday} {said} de ces plages" in page

    with app.app_context():
        _thursday(db.session.get(Volunteer, world.volunteer_id))
        db.session.commit()
        found = week_alerts(db.session, draft, ZONE)
        assert found.outside == []
        assert [(a.day.weekday(), a.visits) for a in found.unavailable] == [(3, thursday)]
        assert flagged_weeks(db.session, org_of(world), now) == [week]
    auth.logout()
    auth.login_as(Role.DISPATCHER)
    monkeypatch.setattr("routes.dispatch.plans.utcnow", lambda: now)
    page = html.unescape(client.get(f"/dispatch/plans?week={WEEK_CODE}").get_data(as_text=True))
    assert "Rendez-vous hors des plages de leur bénévole" not in page
    assert "n'est plus disponible" in page

    with app.app_context():
        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        again = [v for v in repair.visits if v.request_id == left]
        assert all((v.volunteer_id, v.starts_at) != by_hand for v in again)
