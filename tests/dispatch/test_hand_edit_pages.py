"""The hand-edit pages: plain forms, refusals in words, nothing lost, no error page."""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.models import Organisation
from scheduler.models import PlanEdit
from scheduler.models import PlanLock
from scheduler.models import PlanningPolicy
from scheduler.models import Role
from scheduler.models import utcnow

from ..builders import make_request

ZONE = ZoneInfo("America/Toronto")


@pytest.fixture
def now() -> datetime:
    """The real clock: these pages plan and check against it, as a dispatcher's would."""
    return utcnow()


@pytest.fixture
def week(now) -> date:
    """The Monday after next: ahead of today, and inside the weeks the plan page accepts."""
    today = now.date()
    return today - timedelta(days=today.weekday()) + timedelta(days=14)


@pytest.fixture
def draft(app, world, week, now, settings):
    """A draft with two home visits on Tuesday morning; returns (plan id, a stop)."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        for _ in range(2):
            make_request(db.session, org, availability=["tue-am"], duration_min=30)
        db.session.commit()
        plan = plan_week(db.session, org, week, settings=settings, now=now)
        stop = next(v for v in plan.visits if v.request_id)
        local = stop.starts_at.astimezone(ZONE)
        return plan.id, stop.id, local


@pytest.fixture
def dispatcher(client, auth):
    auth.login_as(Role.DISPATCHER)
    return client


def form(local, volunteer_id, **extra):
    data = {
        "volunteer": str(volunteer_id),
        "day": local.date().isoformat(),
        "starts": local.strftime("%H:%M"),
    }
    data.update(extra)
    return data


def test_the_edit_page_offers_volunteer_day_and_time(dispatcher, draft, world):
    plan_id, stop_id, local = draft
    page = dispatcher.get(f"/dispatch/plans/{plan_id}/stops/{stop_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="volunteer"' in text and 'name="day"' in text and 'name="starts"' in text
    assert local.strftime("%H:%M") in text


def test_an_unreadable_time_is_refused_in_words_and_keeps_the_rest(dispatcher, draft, world):
    plan_id, stop_id, local = draft
    response = dispatcher.post(
        f"/dispatch/plans/{plan_id}/stops/{stop_id}",
        data=form(local, world.other_volunteer_id, starts="midi et quart"),
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "9:30" in text  # "Enter a time such as 9:30."
    chosen = str(world.other_volunteer_id)
    assert re.search(rf'<option selected value="{chosen}"|value="{chosen}" selected', text)


def test_a_day_outside_the_week_is_refused(dispatcher, draft, world):
    plan_id, stop_id, local = draft
    response = dispatcher.post(
        f"/dispatch/plans/{plan_id}/stops/{stop_id}",
        data=form(local, world.volunteer_id, day=(local.date() + timedelta(days=30)).isoformat()),
    )
    assert response.status_code == 400


def test_a_broken_rule_is_said_and_the_override_is_recorded_and_shown(
    app, dispatcher, draft, world, week, now, monkeypatch
):
    plan_id, stop_id, local = draft
    odd = form(local, world.volunteer_id, starts=(local + timedelta(minutes=3)).strftime("%H:%M"))
    refused = dispatcher.post(f"/dispatch/plans/{plan_id}/stops/{stop_id}", data=odd)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "grille horaire" in text
    assert 'name="confirm"' in text
    saved = dispatcher.post(
        f"/dispatch/plans/{plan_id}/stops/{stop_id}", data={**odd, "confirm": "y"}
    )
    assert saved.status_code == 302
    with app.app_context():
        (edit,) = db.session.scalars(sa.select(PlanEdit).where(PlanEdit.plan_id == plan_id))
        assert "time_grid" in edit.rules
    # The plan page refuses weeks far from today: read it as on the Friday before 2030-W10.
    monkeypatch.setattr("routes.dispatch.plans.utcnow", lambda: now)
    page = dispatcher.get(
        f"/dispatch/plans?week={week.isocalendar()[0]}-W{week.isocalendar()[1]:02d}"
    )
    shown = page.get_data(as_text=True)
    assert "Changements faits à la main" in shown
    assert "règles outrepassées" in shown
    assert "grille horaire" in shown


def test_locking_a_day_and_a_stop_by_plain_forms(app, dispatcher, draft, world):
    plan_id, stop_id, local = draft
    day = local.date().isoformat()
    assert (
        dispatcher.post(
            f"/dispatch/plans/{plan_id}/days/{world.volunteer_id}/{day}/lock", data={"locked": "y"}
        ).status_code
        == 302
    )
    assert (
        dispatcher.post(
            f"/dispatch/plans/{plan_id}/stops/{stop_id}/lock", data={"locked": "y"}
        ).status_code
        == 302
    )
    with app.app_context():
        locks = db.session.scalars(sa.select(PlanLock).where(PlanLock.plan_id == plan_id)).all()
        assert {(lock.planned_visit_id is None) for lock in locks} == {True, False}
    dispatcher.post(f"/dispatch/plans/{plan_id}/days/{world.volunteer_id}/{day}/lock", data={})
    with app.app_context():
        assert (
            len(db.session.scalars(sa.select(PlanLock).where(PlanLock.plan_id == plan_id)).all())
            == 1
        )
    bad = dispatcher.post(f"/dispatch/plans/{plan_id}/days/{world.volunteer_id}/not-a-day/lock")
    assert bad.status_code == 404


def test_a_published_plan_is_not_edited(app, dispatcher, draft, world, now):
    plan_id, stop_id, local = draft
    with app.app_context():
        from scheduler.models import Plan

        publish_plan(db.session, db.session.get(Plan, plan_id), now=now)
    response = dispatcher.post(
        f"/dispatch/plans/{plan_id}/stops/{stop_id}", data=form(local, world.volunteer_id)
    )
    assert response.status_code == 302
    follow = dispatcher.get(response.headers["Location"]).get_data(as_text=True)
    assert "déjà été publié" in follow or "remplacé" in follow


def test_volunteers_cannot_edit_plans(client, auth, draft):
    plan_id, stop_id, _local = draft
    auth.login_as(Role.VOLUNTEER)
    assert client.get(f"/dispatch/plans/{plan_id}/stops/{stop_id}").status_code == 403
    assert client.get("/dispatch/plans/policy").status_code == 403


def test_the_planning_rules_are_checked_and_saved(app, dispatcher, world):
    page = dispatcher.get("/dispatch/plans/policy").get_data(as_text=True)
    assert 'value="30"' in page
    bad = dispatcher.post(
        "/dispatch/plans/policy",
        data={"lead_min": "500", "time_grid_min": "7", "dropin_grid_min": "15"},
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "de 0 à 120" in text
    assert 'value="500"' in text  # nothing typed is lost
    good = dispatcher.post(
        "/dispatch/plans/policy",
        data={
            "lead_min": "20",
            "time_grid_min": "15",
            "dropin_grid_min": "30",
            "hard_deadlines": "y",
        },
    )
    assert good.status_code == 302
    with app.app_context():
        row = db.session.scalars(sa.select(PlanningPolicy)).one()
        assert (row.lead_min, row.time_grid_min, row.dropin_grid_min, row.hard_deadlines) == (
            20,
            15,
            30,
            True,
        )


def test_the_edit_page_says_when_the_person_is_free_and_for_how_long(dispatcher, draft):
    """Choosing a day and a time by hand needs the person's free times on the same page."""
    plan_id, stop_id, _local = draft
    text = re.sub(r"\s+", " ", dispatcher.get(f"/dispatch/plans/{plan_id}/stops/{stop_id}").text)
    facts = text[text.index('id="request-facts"') :]
    assert "Mardi : avant-midi" in facts or "Mardi : matin" in facts
    assert "30 min" in facts


def test_an_override_of_one_rule_is_said_in_the_singular(app, dispatcher, draft, world):
    plan_id, stop_id, local = draft
    odd = form(local, world.volunteer_id, starts=(local + timedelta(minutes=3)).strftime("%H:%M"))
    dispatcher.post(f"/dispatch/plans/{plan_id}/stops/{stop_id}", data={**odd, "confirm": "y"})
    with app.app_context():
        (edit,) = db.session.scalars(sa.select(PlanEdit).where(PlanEdit.plan_id == plan_id))
        assert list(edit.rules) == ["time_grid"]
    page = dispatcher.get(f"/dispatch/plans/{plan_id}/stops/{stop_id}")
    flashed = re.sub(r"\s+", " ", page.text)
    assert "malgré 1 règle de planification;" in flashed
    assert "règle(s)" not in flashed
