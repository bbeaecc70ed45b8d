"""The planning page, end to end: choose a week, plan it, read the draft, publish it."""

from __future__ import annotations

import re
from datetime import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import week_code
from scheduler.models import Appointment
from scheduler.models import AvailabilityWindow
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.models import utcnow

from ..builders import make_request


@pytest.fixture
def app(make_app):
    """Planning through the page stops after a few solutions, so runs are repeatable."""
    return make_app(PLANNING={"solution_limit": 50, "time_limit_s": 20.0})


@pytest.fixture
def code():
    today = utcnow().date()
    return week_code(today - timedelta(days=today.weekday()) + timedelta(days=7))


@pytest.fixture
def requests(app, world):
    """A home visit Sylvie can make on Thursday, and a call in Swahili nobody can make."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(12)))
        make_request(
            db.session,
            org,
            availability=["thu-am"],
            lat=45.75,
            lon=-72.5,
            municipality_id=world.municipality_ids["Wickham"],
        )
        make_request(db.session, org, languages=["sw"], availability=["tue-am"])
        db.session.commit()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_dispatcher_plans_reads_and_publishes_a_week(app, client, auth, world, requests, code):
    auth.login_as(Role.DISPATCHER)
    page = client.get(f"/dispatch/plans?week={code}")
    assert page.status_code == 200
    assert "Aucune planification pour cette semaine." in text(page)

    planned = client.post("/dispatch/plans/solve", data={"week": code}, follow_redirects=True)
    assert planned.status_code == 200
    body = text(planned)
    assert "<dt>Demandes placées</dt><dd>1 sur 2</dd>" in body
    assert "Sylvie" in body
    assert "Jeannine" in body
    assert "Wickham" in body
    assert "Aucun bénévole qui parle swahili n’est disponible le mardi." in body

    with app.app_context():
        plan = db.session.scalar(sa.select(Plan))
        assert plan.status is PlanStatus.DRAFT
        plan_id = plan.id
    published = client.post(f"/dispatch/plans/{plan_id}/publish", follow_redirects=True)
    assert published.status_code == 200
    assert "Planification publiée" in text(published)
    # Each figure follows its label, so "1" never reads "1 annulés".
    assert re.search(r"Nouveaux rendez-vous : \d+; déplacés : 0; annulés : 0\.", text(published))
    with app.app_context():
        assert db.session.get(Plan, plan_id).status is PlanStatus.PUBLISHED
        assert db.session.scalar(sa.select(sa.func.count(Appointment.id))) >= 1

    again = client.post(f"/dispatch/plans/{plan_id}/publish", follow_redirects=True)
    assert "déjà publiée" in text(again)


@pytest.mark.parametrize("week", ["2026-W60", "banana", "2026-13-01", "<script>"])
def test_malformed_week_gives_a_clear_message_not_an_error(client, auth, world, week):
    auth.login_as(Role.DISPATCHER)
    response = client.get("/dispatch/plans", query_string={"week": week})
    assert response.status_code == 400
    assert "Indiquez une semaine comme 2026-W49." in text(response)
    assert (
        "<script>"
        not in response.get_data(as_text=True).split("<main", 1)[1].split('value="', 1)[0]
    )


def test_malformed_week_sent_to_plan_is_refused_with_a_message(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    response = client.post("/dispatch/plans/solve", data={"week": "W99"})
    assert response.status_code == 400
    assert "Indiquez une semaine comme 2026-W49." in text(response)
    with client.application.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Plan.id))) == 0


def test_another_organisations_plan_cannot_be_published(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    assert client.post("/dispatch/plans/999/publish").status_code == 404


def test_volunteers_are_refused_and_visitors_sent_to_sign_in(client, auth, world):
    assert "/auth/login" in client.get("/dispatch/plans").headers["Location"]
    assert "/auth/login" in client.post("/dispatch/plans/solve").headers["Location"]
    auth.login_as(Role.VOLUNTEER)
    assert client.get("/dispatch/plans").status_code == 403
    assert client.post("/dispatch/plans/solve", data={"week": "2026-W49"}).status_code == 403
    assert client.post("/dispatch/plans/1/publish").status_code == 403


def test_planning_appears_in_the_dispatchers_menu(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    assert 'href="/dispatch/plans"' in client.get("/dispatch/requests").get_data(as_text=True)


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1970-W01", "2200-W10"])
def test_a_week_far_back_or_ahead_is_refused_with_a_message(client, auth, world, week):
    auth.login_as(Role.DISPATCHER)
    response = client.get("/dispatch/plans", query_string={"week": week})
    assert response.status_code == 400
    assert "Choisissez une semaine entre" in text(response)
    response = client.post("/dispatch/plans/solve", data={"week": week})
    assert response.status_code == 400
    assert "Choisissez une semaine entre" in text(response)
    with client.application.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Plan.id))) == 0


def test_the_range_is_one_year_back_and_two_years_ahead():
    from datetime import date

    from scheduler.dispatch.weeks import WeekOutOfRange
    from scheduler.dispatch.weeks import parse_week

    today = date(2026, 12, 1)
    assert parse_week("2025-W49", today=today) == date(2025, 12, 1)
    assert parse_week("2028-W48", today=today) == date(2028, 11, 27)
    for far in ("2025-W48", "2028-W49"):
        with pytest.raises(WeekOutOfRange):
            parse_week(far, today=today)


def test_a_dropped_drop_in_duty_is_not_called_a_closed_request(app, world):
    """A volunteer's drop-in duty has no request: when the draft no longer staffs it, the
    sentence says so, instead of "the request is no longer open"."""
    from datetime import UTC
    from datetime import datetime

    from routes.dispatch.rules import dropped_sentence
    from scheduler.dispatch.changes import NOT_PLANNED
    from scheduler.dispatch.changes import ChangeLine
    from scheduler.dispatch.changes import Where
    from scheduler.models import Site
    from scheduler.planning import ChangeKind

    with app.test_request_context("/"):
        site = db.session.get(Site, world.site_id)
        starts = datetime(2030, 3, 5, 14, 0, tzinfo=UTC)
        before = Where(None, starts, starts)
        duty = ChangeLine(ChangeKind.REMOVED, None, site, before, None, NOT_PLANNED)
        sentence = dropped_sentence(duty)
    assert "demande" not in sentence
    assert sentence == (
        "Le brouillon n'a plus besoin d'une personne bénévole à ce local à ce moment."
    )


def test_when_a_plan_was_made_and_published_reads_to_the_minute_in_one_format(app, world):
    """« Planifiée le » and « Publiée le » say the day in words and the time to the minute,
    not one as 2026-12-01 and the other with its seconds."""
    from datetime import UTC
    from datetime import datetime

    with app.test_request_context("/"):
        shown = app.jinja_env.filters["local_datetime"](
            datetime(2026, 12, 1, 11, 38, 52, tzinfo=UTC)
        )
    assert shown == "1 déc. 2026, 6\u00a0h\u00a038"


def test_admin_lists_write_the_short_date_with_the_time_as_every_other_page(app, world):
    """Sign-ins, tokens and the audit log say « 2026-12-01 6 h 38 », not Babel's « 06 h 38 »."""
    from datetime import UTC
    from datetime import datetime

    with app.test_request_context("/"):
        shown = app.jinja_env.filters["local_datetime"](
            datetime(2026, 12, 1, 11, 38, 52, tzinfo=UTC), "short"
        )
    assert shown == "2026-12-01 6\u00a0h\u00a038"


@pytest.mark.parametrize("mode", ["everything", "<b>free</b>"])
def test_a_mode_not_offered_is_said_to_be_off_the_list_not_an_expired_form(
    client, auth, world, code, mode
):
    """An unknown mode flashed "Le formulaire a expiré", which sent the dispatcher to
    reload a page that had not expired."""
    auth.login_as(Role.DISPATCHER)
    response = client.post("/dispatch/plans/solve", data={"week": code, "mode": mode})

    assert response.status_code == 400
    page = text(response)
    assert "Choisissez dans la liste." in page
    assert "a expiré" not in page
    assert f'name="week" type="hidden" value="{code}"' in page
    assert "<b>free</b>" not in page
    with client.application.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Plan.id))) == 0
