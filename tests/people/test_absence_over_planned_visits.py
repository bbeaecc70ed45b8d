"""A day off over planned visits warns the volunteer before it is saved, and flags the week."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.dispatch.alerts import week_alerts
from scheduler.models import Appointment
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import Volunteer
from scheduler.models import utcnow

from ..builders import make_request

ZONE = ZoneInfo("America/Toronto")
SETTINGS = PlanningSettings().with_limits(time_limit_s=20, solution_limit=50)


def publish_next_week(app, world):
    """Two visits planned and published for next Tuesday; returns that Tuesday."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        for _ in range(2):
            make_request(db.session, org, availability=["tue-am"], duration_min=30)
        db.session.commit()
        today = utcnow().astimezone(ZONE).date()
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        plan = plan_week(db.session, org, monday, settings=SETTINGS, now=utcnow())
        publish_plan(db.session, plan, now=utcnow())
        return monday + timedelta(days=1)


def visits_of(volunteer_id, day):
    return [
        a
        for a in db.session.scalars(
            sa.select(Appointment).where(Appointment.volunteer_id == volunteer_id)
        )
        if a.starts_at.astimezone(ZONE).date() == day
    ]


def test_a_day_off_over_planned_visits_asks_to_confirm_then_flags_the_week(
    app, client, auth, world
):
    tuesday = publish_next_week(app, world)
    with app.app_context():
        mine = len(visits_of(world.volunteer_id, tuesday))
    assert mine >= 2
    auth.login("sylvie@example.org")
    form = {"first_day": tuesday.isoformat(), "last_day": "", "note": ""}
    warned = client.post("/me/absences", data=form)
    text = warned.get_data(as_text=True)
    assert warned.status_code == 200
    text = text.replace("&#39;", "'")
    assert f"{mine} visites ce jour-là seront confiées à quelqu'un d'autre" in text
    with app.app_context():
        assert not db.session.get(Volunteer, world.volunteer_id).absences  # not saved yet
    (confirm,) = re.findall(r'name="confirm"[^>]*value="([^"]*)"', text) or re.findall(
        r'value="([^"]*)"[^>]*name="confirm"', text
    )
    assert confirm == f"{tuesday}|{tuesday}"
    saved = client.post("/me/absences", data={**form, "confirm": confirm})
    assert saved.status_code == 302
    with app.app_context():
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        assert [(a.first_day, a.last_day) for a in sylvie.absences] == [(tuesday, tuesday)]
        published = db.session.scalar(sa.select(Plan).where(Plan.published_at.is_not(None)))
        alerts = week_alerts(db.session, published, ZONE)
        assert [(a.volunteer.id, a.day, a.visits) for a in alerts.absences] == [
            (world.volunteer_id, tuesday, mine)
        ]


def test_a_day_off_without_planned_visits_is_saved_at_once(app, client, auth, world):
    tuesday = publish_next_week(app, world)
    auth.login("sylvie@example.org")
    wednesday = tuesday + timedelta(days=1)
    saved = client.post("/me/absences", data={"first_day": wednesday.isoformat()})
    assert saved.status_code == 302


def test_a_day_off_on_the_last_day_of_the_calendar_is_refused_in_words(client, auth, world):
    auth.login("sylvie@example.org")
    for path in ("/me/absences", f"/dispatch/volunteers/{world.volunteer_id}/absences"):
        if path.startswith("/dispatch"):
            auth.logout()
            auth.login_as("dispatcher")
        refused = client.post(path, data={"first_day": "9999-12-31", "last_day": "", "note": ""})
        assert refused.status_code == 400
        assert "plus de deux ans" in refused.get_data(as_text=True)


def test_too_long_days_off_over_planned_visits_are_refused_before_asking_to_confirm(
    app, client, auth, world
):
    tuesday = publish_next_week(app, world)
    auth.login("sylvie@example.org")
    last = tuesday + timedelta(days=400)
    form = {"first_day": tuesday.isoformat(), "last_day": last.isoformat(), "note": ""}
    refused = client.post("/me/absences", data=form)
    text = refused.get_data(as_text=True).replace("&#39;", "'")
    assert refused.status_code == 400
    assert "au plus un an" in text
    assert "seront confiées à quelqu'un d'autre" not in text
