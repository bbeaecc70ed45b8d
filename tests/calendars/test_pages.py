"""The pages around feeds: "My calendar", a volunteer's link for dispatchers, the team calendar."""

from __future__ import annotations

import base64
import re

import pytest

from scheduler.calendars import tokens
from scheduler.core.extensions import db
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.models import utcnow

from .builders import SEAL_KEY


def links_on(page: str) -> tuple[str, str]:
    web = re.search(r'value="(https?://[^"]+/feeds/volunteer/[^"]+\.ics)"', page).group(1)
    webcal = re.search(r'value="(webcal://[^"]+/feeds/volunteer/[^"]+\.ics)"', page).group(1)
    return web, webcal


def test_my_calendar_shows_webcal_and_web_links_a_qr_code_and_steps(client, auth, scenario):
    auth.login_as(Role.VOLUNTEER)
    response = client.get("/me/calendar")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    web, webcal = links_on(page)
    assert web.startswith("http://localhost/feeds/volunteer/")
    assert webcal == "webcal://" + web.split("://", 1)[1]
    assert f'href="{webcal}"' in page
    qr = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"[^>]*alt="([^"]+)"', page)
    assert qr and qr.group(2)
    assert b"<svg" in base64.b64decode(qr.group(1))
    for app_name in ("Google Agenda", "Calendrier d'Apple", "Outlook", "Thunderbird"):
        assert app_name in page
    assert "Créer un nouveau lien" in page
    assert 'style="' not in page and "<script>" not in page
    assert client.get(web.removeprefix("http://localhost")).status_code == 200


def test_my_calendar_shows_the_same_link_each_visit(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    first = links_on(client.get("/me/calendar").get_data(as_text=True))
    second = links_on(client.get("/me/calendar").get_data(as_text=True))
    assert first == second


def test_new_link_stops_the_old_one_at_once(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    old_web, _ = links_on(client.get("/me/calendar").get_data(as_text=True))
    response = client.post("/me/calendar/new-link", follow_redirects=True)
    assert "Votre calendrier a un nouveau lien." in response.get_data(as_text=True)
    new_web, _ = links_on(response.get_data(as_text=True))
    assert new_web != old_web
    assert client.get(old_web.removeprefix("http://localhost")).status_code == 404
    assert client.get(new_web.removeprefix("http://localhost")).status_code == 200


def test_links_use_the_configured_public_address(make_app):
    from tests.builders import build_world

    app = make_app(FEEDS={"base_url": "https://escouade.example.org/"})
    with app.app_context():
        world = build_world(db.session)
    client = app.test_client()
    client.post(
        "/auth/login",
        data={"email": world.email_for(Role.VOLUNTEER), "password": "correct horse battery"},
    )
    web, webcal = links_on(client.get("/me/calendar").get_data(as_text=True))
    assert web.startswith("https://escouade.example.org/feeds/volunteer/")
    assert webcal.startswith("webcal://escouade.example.org/feeds/volunteer/")


def test_link_that_cannot_be_unsealed_asks_for_a_new_one(app, client, auth, world):
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        tokens.issue_volunteer_token(db.session, volunteer, now=utcnow(), key=b"an old key")
    auth.login_as(Role.VOLUNTEER)
    page = client.get("/me/calendar").get_data(as_text=True)
    assert "ne peut plus être affiché" in page
    assert "/feeds/volunteer/" not in page


def test_volunteer_account_without_profile_is_told_to_ask(app, client, world):
    with app.app_context():
        from scheduler.models import Organisation
        from tests.builders import make_user

        make_user(
            db.session,
            db.session.get(Organisation, world.org_id),
            Role.VOLUNTEER,
            "new@example.org",
        )
        db.session.commit()
    client.post(
        "/auth/login", data={"email": "new@example.org", "password": "correct horse battery"}
    )
    page = client.get("/me/calendar").get_data(as_text=True)
    assert "pas encore lié à un profil" in page


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.ADMIN])
def test_my_calendar_is_for_volunteers(client, auth, world, role):
    auth.login_as(role)
    assert client.get("/me/calendar").status_code == 403


def test_my_calendar_needs_signing_in(client, world):
    response = client.get("/me/calendar")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_dispatcher_sees_the_link_status_and_stops_it(app, client, auth, world, scenario):
    client.get(scenario.link)  # a calendar app fetched it
    auth.login_as(Role.DISPATCHER)
    page = client.get(f"/dispatch/volunteers/{world.volunteer_id}/calendar").get_data(as_text=True)
    assert "Actif" in page and "Dernière consultation" in page
    assert "Visite à domicile : Jeannine" in page  # what their calendar shows
    assert "/feeds/volunteer/" not in page  # the secret is the volunteer's, not shown here
    response = client.post(
        f"/dispatch/volunteers/{world.volunteer_id}/calendar/revoke", follow_redirects=True
    )
    assert "ne fonctionne plus" in response.get_data(as_text=True)
    assert "Désactivé" in response.get_data(as_text=True)
    assert client.get(scenario.link).status_code == 404


def test_dispatcher_cannot_see_another_organisations_volunteer(app, client, auth, world):
    from tests.builders import make_organisation
    from tests.builders import make_volunteer

    with app.app_context():
        other_org = make_organisation(db.session, slug="other", name="Autre")
        stranger = make_volunteer(db.session, other_org, first_name="Inconnue")
        db.session.commit()
        stranger_id = stranger.id
    auth.login_as(Role.DISPATCHER)
    assert client.get(f"/dispatch/volunteers/{stranger_id}/calendar").status_code == 404
    assert client.post(f"/dispatch/volunteers/{stranger_id}/calendar/revoke").status_code == 404


def test_team_page_gives_the_dispatcher_their_own_feed_and_lists_links(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    page = client.get("/dispatch/calendar").get_data(as_text=True)
    team = re.search(r'value="(http://localhost/feeds/team/[^"]+\.ics)"', page).group(1)
    assert "Sylvie Tremblay" in page and "Omar Haddad" in page
    assert f"http://localhost/feeds/site/{world.site_id}.ics" in page
    assert client.get(team.removeprefix("http://localhost")).status_code == 200
    client.post("/dispatch/calendar/new-link")
    assert client.get(team.removeprefix("http://localhost")).status_code == 404
    with app.app_context():
        user = db.session.scalars(
            db.select(User).where(User.email == world.email_for(Role.DISPATCHER))
        ).one()
        assert tokens.reveal(tokens.live_team_token(db.session, user), SEAL_KEY)


def test_nav_shows_my_calendar_to_volunteers(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    page = client.get("/me/calendar").get_data(as_text=True)
    assert 'href="/me/calendar" aria-current="page">Mon calendrier</a>' in page
