"""A phone call moved by hand is judged as a call: it needs no drive of its own, so the
edit page never blames the road for it; what it does need is said in words."""

from __future__ import annotations

import html
from datetime import time
from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.dispatch.edits import Target
from scheduler.dispatch.edits import move_stop
from scheduler.models import AvailabilityWindow
from scheduler.models import Mode
from scheduler.models import Plan
from scheduler.models import PlannedVisit
from scheduler.models import Role
from scheduler.models import Volunteer

from ..builders import make_request
from .week_builders import ZONE
from .week_builders import org_of
from .week_builders import plan


@pytest.fixture
def calls_day(app, world, week, now, settings):
    """Sylvie also works Thursday 9:00 to 12:00: two calls from home first, then a home
    visit in Wickham, half an hour's drive away. Returns the draft's id, the two call
    stops' ids and the end of the home visit."""
    with app.app_context():
        org = org_of(world)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(12)))
        wickham = world.municipality_ids["Wickham"]
        home = make_request(
            db.session, org, availability=["thu-am"], duration_min=45, municipality_id=wickham
        )
        for _ in range(2):
            make_request(db.session, org, availability=["thu-am"], duration_min=30, mode=Mode.PHONE)
        db.session.commit()
        draft = plan(world, week, now, settings)
        calls = sorted((v for v in draft.visits if v.kind is Mode.PHONE), key=lambda v: v.starts_at)
        (visit,) = [v for v in draft.visits if v.request_id == home.id]
        assert [c.volunteer_id for c in calls] == [world.volunteer_id] * 2
        assert calls[-1].ends_at <= visit.starts_at and visit.travel_min_before > 20
        return draft.id, [c.id for c in calls], visit.ends_at.astimezone(ZONE)


def edit(client, plan_id, stop_id, volunteer_id, when):
    data = {
        "volunteer": str(volunteer_id),
        "day": when.date().isoformat(),
        "starts": when.strftime("%H:%M"),
    }
    response = client.post(f"/dispatch/plans/{plan_id}/stops/{stop_id}", data=data)
    assert response.status_code == 409
    text = html.unescape(response.get_data(as_text=True))
    return " ".join(text[text.index('id="broken-rules"') : text.index('name="confirm"')].split())


def test_a_call_moved_onto_another_call_is_an_overlap_not_a_late_arrival(
    app, client, auth, world, calls_day
):
    """The first call moved onto the second: Sylvie is still on the phone, no road in
    between. The page used to add that she could not get there in time from the previous
    stop; it says only that she already has another visit at that time."""
    plan_id, (first, second), _ = calls_day
    with app.app_context():
        when = db.session.get(PlannedVisit, second).starts_at.astimezone(ZONE)
    auth.login_as(Role.DISPATCHER)
    said = edit(client, plan_id, first, world.volunteer_id, when)
    assert "déjà une autre visite à ce moment" in said
    assert "arriver à temps" not in said and "aller-retour" not in said


def test_a_call_right_after_a_home_visit_says_it_waits_for_the_way_back(
    app, client, auth, world, week, now, settings, calls_day, dispatcher_user
):
    """A call after the day's home visits is made once back where the day ends (never on
    the road, as the engine plans it): placed the minute the Wickham visit ends, the page
    says so instead of a late arrival from the previous stop; once the drive back is over,
    that reason is gone."""
    plan_id, (first, _second), ends = calls_day
    auth.login_as(Role.DISPATCHER)
    said = edit(client, plan_id, first, world.volunteer_id, ends)
    assert "jamais sur la route" in said and "pas encore rentrée" in said
    assert "arriver à temps" not in said and "déjà une autre visite" not in said
    client.get("/language/en?next=/")
    english = edit(client, plan_id, first, world.volunteer_id, ends)
    assert "never on the road" in english and "would not be back yet" in english
    client.get("/language/fr?next=/")

    with app.app_context():
        draft = db.session.get(Plan, plan_id)
        stop = db.session.get(PlannedVisit, first)
        common = dict(settings=settings, periods=None, user=dispatcher_user(), now=now)
        right_after = Target(world.volunteer_id, ends.date(), ends.time())
        judged = move_stop(db.session, org_of(world), draft, stop, right_after, **common)
        assert judged.rules == ["phone_back"]
        # Half an hour later the way back is over; only the end of her morning is left.
        later = ends + timedelta(minutes=30)
        back = Target(world.volunteer_id, later.date(), later.time())
        judged = move_stop(db.session, org_of(world), draft, stop, back, **common)
        assert "phone_back" not in judged.rules and "travel_time" not in judged.rules
