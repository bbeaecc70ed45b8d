"""A visit placed by hand outside its volunteer's slots, over another visit of hers: the
edit page says so before the dispatcher overrides, and says what becomes of the other."""

from __future__ import annotations

import html
from datetime import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import publish_plan
from scheduler.dispatch.edits import Target
from scheduler.dispatch.edits import assign_request
from scheduler.dispatch.edits import move_stop
from scheduler.dispatch.locks import set_stop_lock
from scheduler.messages import queue_news
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AvailabilityWindow
from scheduler.models import HelpRequest
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage
from scheduler.models import Plan
from scheduler.models import PlanEdit
from scheduler.models import RecipientKind
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.planning import ReplanMode
from scheduler.runtime import settings_of

from .conftest import WEEK_CODE
from .week_builders import ZONE
from .week_builders import org_of
from .week_builders import plan


def test_placing_a_visit_by_hand_over_another_one_says_so_before_the_override(
    app, client, auth, world, week, now, settings, busy_week, monkeypatch
):
    """Sylvie is free on Thursday from 10:30 only; the plan gives her one visit there at
    10:30 and leaves the other Thursday request out. The dispatcher places it by hand at
    10:00 for 45 minutes: before her slot, and over her 10:30 visit. The page used to name
    the slot alone; the dispatcher overrode it, published, and a repair later cancelled the
    10:30 visit, its person told by message. Now the overlap is named too, with what
    becomes of the other visit, and the override records it."""
    with app.app_context():
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability = [w for w in sylvie.availability if w.weekday != 3] + [
            AvailabilityWindow(weekday=3, starts=time(10, 30), ends=time(11, 15))
        ]
        db.session.commit()
        draft = plan(world, week, now, settings)
        thursday = week + timedelta(days=3)
        there = next(
            v
            for v in draft.visits
            if v.volunteer_id == world.volunteer_id
            and v.starts_at.astimezone(ZONE).date() == thursday
        )
        assert there.starts_at.astimezone(ZONE).time() == time(10, 30)
        left = next(u.request_id for u in draft.unassigned if u.request_id in busy_week)
        plan_id, other = draft.id, there.request_id
        # The visit run into is named, and escaped like every name on the page.
        bruno = db.session.get(HelpRequest, other)
        bruno.beneficiary.first_name = "Bruno <i>&</i>"
        reference = bruno.reference
        db.session.commit()

    auth.login_as(Role.DISPATCHER)
    url = f"/dispatch/plans/{plan_id}/requests/{left}/assign"
    data = {"volunteer": str(world.volunteer_id), "day": thursday.isoformat(), "starts": "10:00"}
    refused = client.post(url, data=data)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409
    shown = html.unescape(text)
    warning = shown[shown.index('id="broken-rules"') : shown.index('name="confirm"')]
    assert "n'est pas disponible à ce moment" in warning
    assert "déjà une autre visite à ce moment" in warning
    # Which visit: the person, the request, the day and the time.
    named = f"Bruno <i>&</i> ({reference}), jeudi 7 mars 2030, 10 h 30"
    assert named in " ".join(warning.split())
    assert "Bruno &lt;i&gt;&amp;&lt;/i&gt;" in text and "Bruno <i>" not in text
    # What becomes of the other visit, said before the override.
    assert "place de nouveau l'autre" in warning
    assert "Seulement si aucune place n'est trouvée" in warning
    assert 'name="confirm"' in text
    # The same in English.
    client.get("/language/en?next=/")
    english = html.unescape(client.post(url, data=data).get_data(as_text=True))
    said = " ".join(english[english.index('id="broken-rules"') :].split())
    assert f"already has another visit at that time: Bruno <i>&</i> ({reference})," in said
    assert "places the other again, at another time or with another volunteer" in said
    client.get("/language/fr?next=/")

    saved = client.post(url, data={**data, "confirm": "y"})
    assert saved.status_code == 302
    # The draft keeps saying it next to the override, for whoever publishes the week.
    monkeypatch.setattr("routes.dispatch.plans.utcnow", lambda: now)
    page = html.unescape(client.get(f"/dispatch/plans?week={WEEK_CODE}").get_data(as_text=True))
    overridden = page[page.index("Changements faits à la main") :]
    assert "déjà une autre visite à ce moment" in overridden
    with app.app_context():
        (edit,) = db.session.scalars(sa.select(PlanEdit).where(PlanEdit.plan_id == plan_id))
        assert edit.rules == ["availability", "overlap"]
        draft = db.session.get(Plan, plan_id)
        publish_plan(db.session, draft, now=now)
        db.session.commit()
        told = db.session.scalar(sa.select(Appointment).where(Appointment.request_id == other))
        assert told is not None and told.status is AppointmentStatus.SCHEDULED

        messages = settings_of(app).messages
        queue_news(db.session, now, messages)

        # What the warning said would happen is what a repair does: nobody else works on
        # Thursday, so the other visit finds no place; it is left out for lack of room (not
        # for a pin it never had), and only then cancelled and its person told so.
        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        assert [v.request_id for v in repair.visits if v.request_id == left]
        assert not [v for v in repair.visits if v.request_id == other]
        (dropped,) = [u for u in repair.unassigned if u.request_id == other]
        assert dropped.reason == "capacity"
        published = publish_plan(db.session, repair, now=now)
        db.session.commit()
        db.session.refresh(told)
        assert published.cancelled == 1 and told.status is AppointmentStatus.CANCELLED
        told.updated_at = now  # the test's clock, not the machine's
        db.session.commit()
        queue_news(db.session, now, messages)
        assert told_kinds(other)[-1] is MessageKind.CANCELLED


def test_a_keep_repair_places_the_visit_run_into_elsewhere_and_tells_its_person_it_moved(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    """As above, Sylvie's 10:30 Thursday visit is run into by one placed by hand at 10:00
    and the week published; then Omar says he is free on Thursday mornings. A keep repair
    keeps the visit placed by hand and gives the other to Omar, at its time or another:
    its person is told it moved, never that it is cancelled."""
    with app.app_context():
        org = org_of(world)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability = [w for w in sylvie.availability if w.weekday != 3] + [
            AvailabilityWindow(weekday=3, starts=time(10, 30), ends=time(11, 15))
        ]
        db.session.commit()
        draft = plan(world, week, now, settings)
        thursday = week + timedelta(days=3)
        other = next(
            v.request_id
            for v in draft.visits
            if v.volunteer_id == world.volunteer_id
            and v.starts_at.astimezone(ZONE).date() == thursday
        )
        left = next(u.request_id for u in draft.unassigned if u.request_id in busy_week)
        target = Target(world.volunteer_id, thursday, time(10))
        common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
        request = db.session.get(HelpRequest, left)
        placed = assign_request(db.session, org, draft, request, target, override=True, **common)
        assert placed.saved and "overlap" in placed.rules
        publish_plan(db.session, draft, now=now)
        db.session.commit()
        messages = settings_of(app).messages
        queue_news(db.session, now, messages)
        assert told_kinds(other) == [MessageKind.APPOINTMENT]

        omar = db.session.get(Volunteer, world.other_volunteer_id)
        omar.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(12)))
        db.session.commit()
        repair = plan(world, week, now, settings, ReplanMode.KEEP)
        kept = next(v for v in repair.visits if v.request_id == left)
        assert kept.volunteer_id == world.volunteer_id
        assert kept.starts_at.astimezone(ZONE).time() == time(10)
        (moved,) = [v for v in repair.visits if v.request_id == other]
        assert moved.volunteer_id == world.other_volunteer_id
        assert not [u for u in repair.unassigned if u.request_id == other]

        later = now + timedelta(minutes=5)
        publish_plan(db.session, repair, now=later)
        db.session.commit()
        queue_news(db.session, later, messages)
        kinds = told_kinds(other)
        assert kinds[-1] is MessageKind.MOVED and MessageKind.CANCELLED not in kinds


def told_kinds(request_id: int) -> list[MessageKind]:
    """What the person of a request was told, in order."""
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.kind)
            .where(
                OutboxMessage.request_id == request_id,
                OutboxMessage.recipient_kind == RecipientKind.BENEFICIARY,
            )
            .order_by(OutboxMessage.id)
        )
    )


def test_an_overlap_is_named_when_moving_a_stop_and_not_blamed_on_a_later_edit(
    app, world, week, now, settings, busy_week, dispatcher_user
):
    """Aline's Tuesday visit moved by hand to just before Sylvie's first Thursday visit,
    running into it: the overlap is named. Once overridden, a later edit elsewhere in the
    week is not charged with it again."""
    with app.app_context():
        org = org_of(world)
        draft = plan(world, week, now, settings)
        aline = next(v for v in draft.visits if v.request_id == busy_week[0])
        thursday = week + timedelta(days=3)
        first = min(
            (
                v
                for v in draft.visits
                if v.volunteer_id == world.volunteer_id
                and v.starts_at.astimezone(ZONE).date() == thursday
            ),
            key=lambda v: v.starts_at,
        )
        before = (first.starts_at - timedelta(minutes=30)).astimezone(ZONE).time()
        common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
        target = Target(world.volunteer_id, thursday, before)
        refused = move_stop(db.session, org, draft, aline, target, **common)
        assert not refused.saved and "overlap" in refused.rules
        moved = move_stop(db.session, org, draft, aline, target, override=True, **common)
        assert moved.saved and "overlap" in moved.rules

        # The other Thursday visit given by hand to Omar on a Wednesday he has nothing on.
        other = next(
            v
            for v in draft.visits
            if v.request_id in busy_week and v.id not in (aline.id, first.id)
        )
        elsewhere = Target(world.other_volunteer_id, week + timedelta(days=2), time(14))
        later = move_stop(db.session, org, draft, other, elsewhere, override=True, **common)
        assert later.saved and "overlap" not in later.rules


@pytest.mark.parametrize("held", ["confirmed", "locked"])
def test_placing_a_visit_by_hand_over_a_confirmed_or_locked_one_says_one_will_be_left_out(
    app, client, auth, world, week, now, settings, busy_week, dispatcher_user, held
):
    """As in the first test, but Sylvie's 10:30 Thursday visit is confirmed by its person
    (or locked by the dispatcher) first. Re-planning moves neither that one nor the one
    placed by hand, so it cannot place the other again as the page used to promise: it
    keeps both pinned and leaves one out. The page says so before the override, and a
    repair after publishing does what it said."""
    with app.app_context():
        org = org_of(world)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability = [w for w in sylvie.availability if w.weekday != 3] + [
            AvailabilityWindow(weekday=3, starts=time(10, 30), ends=time(11, 15))
        ]
        db.session.commit()
        draft = plan(world, week, now, settings)
        thursday = week + timedelta(days=3)
        other = next(
            v.request_id
            for v in draft.visits
            if v.volunteer_id == world.volunteer_id
            and v.starts_at.astimezone(ZONE).date() == thursday
        )
        if held == "confirmed":
            publish_plan(db.session, draft, now=now)
            db.session.commit()
            agreed = db.session.scalar(
                sa.select(Appointment).where(Appointment.request_id == other)
            )
            agreed.status = AppointmentStatus.CONFIRMED
            db.session.commit()
            draft = plan(world, week, now, settings)
        else:
            there = next(v for v in draft.visits if v.request_id == other)
            set_stop_lock(db.session, org, draft, there, True, user=dispatcher_user(), now=now)
        left = next(u.request_id for u in draft.unassigned if u.request_id in busy_week)
        plan_id = draft.id

    auth.login_as(Role.DISPATCHER)
    url = f"/dispatch/plans/{plan_id}/requests/{left}/assign"
    data = {"volunteer": str(world.volunteer_id), "day": thursday.isoformat(), "starts": "10:00"}
    shown = html.unescape(client.post(url, data=data).get_data(as_text=True))
    warning = " ".join(
        shown[shown.index('id="broken-rules"') : shown.index('name="confirm"')].split()
    )
    assert "déjà une autre visite à ce moment" in warning
    assert "l'autre visite est confirmée ou verrouillée" in warning
    assert "laisse l'une des deux de côté" in warning
    assert "place de nouveau l'autre" not in warning
    client.get("/language/en?next=/")
    english = html.unescape(client.post(url, data=data).get_data(as_text=True))
    said = " ".join(english[english.index('id="broken-rules"') :].split())
    assert "the other visit is confirmed or locked" in said
    assert "places the other again" not in said
    client.get("/language/fr?next=/")
    assert client.post(url, data={**data, "confirm": "y"}).status_code == 302

    if held == "confirmed":
        with app.app_context():
            publish_plan(db.session, db.session.get(Plan, plan_id), now=now)
            db.session.commit()
            repair = plan(world, week, now, settings, ReplanMode.KEEP)
            served = {v.request_id for v in repair.visits} & {left, other}
            (dropped,) = [u for u in repair.unassigned if u.request_id in {left, other}]
            assert len(served) == 1 and dropped.reason == "pin_conflict"
