"""Who may see whose profile: volunteers only their own, staff only their organisation's."""

from __future__ import annotations

from datetime import date
from datetime import time

import pytest

from scheduler.core.extensions import db
from scheduler.models import Absence
from scheduler.models import Role
from scheduler.models import Volunteer

from ..builders import make_user
from .factories import build_other_organisation
from .factories import set_week

DISPATCHER_PAGES = [
    ("GET", "/dispatch/volunteers"),
    ("GET", "/dispatch/volunteers/new"),
    ("POST", "/dispatch/volunteers/new"),
    ("GET", "/dispatch/volunteers/{other}"),
    ("GET", "/dispatch/volunteers/{other}/edit"),
    ("POST", "/dispatch/volunteers/{other}/edit"),
    ("GET", "/dispatch/volunteers/{other}/availability"),
    ("POST", "/dispatch/volunteers/{other}/availability"),
    ("GET", "/dispatch/volunteers/{other}/absences"),
    ("POST", "/dispatch/volunteers/{other}/absences"),
    ("POST", "/dispatch/volunteers/{other}/login"),
    ("POST", "/dispatch/volunteers/{other}/login/password"),
    ("POST", "/dispatch/volunteers/{other}/login/active"),
    ("POST", "/dispatch/volunteers/{other}/login/unlink"),
    # The volunteer's own id is no way in either.
    ("GET", "/dispatch/volunteers/{own}"),
    ("GET", "/dispatch/volunteers/{own}/availability"),
]


@pytest.mark.parametrize(("method", "path"), DISPATCHER_PAGES)
def test_volunteer_is_refused_every_dispatcher_page_about_any_volunteer(
    client, auth, world, method, path
):
    auth.login_as(Role.VOLUNTEER)
    url = path.format(other=world.other_volunteer_id, own=world.volunteer_id)
    response = client.open(url, method=method, data={"first_name": "Pirate"})
    assert response.status_code == 403


def test_volunteer_cannot_change_another_volunteer_through_dispatcher_forms(
    app, client, auth, world
):
    auth.login_as(Role.VOLUNTEER)
    client.post(
        f"/dispatch/volunteers/{world.other_volunteer_id}/availability",
        data={"windows-0-weekday": "0", "windows-0-starts": "08:00", "windows-0-ends": "09:00"},
    )
    with app.app_context():
        other = db.session.get(Volunteer, world.other_volunteer_id)
        assert [(w.weekday, w.starts) for w in other.availability] == [(1, time(9))]
        assert other.user.active


def test_volunteer_sees_only_their_own_profile_on_me(app, client, auth, world):
    with app.app_context():
        other = db.session.get(Volunteer, world.other_volunteer_id)
        set_week(db.session, other, (5, time(14), time(17)))
        other.absences = [Absence(first_day=date(2031, 3, 2), last_day=date(2031, 3, 6))]
        db.session.commit()
    auth.login_as(Role.VOLUNTEER)
    for url in ("/me", "/me/availability", "/me/absences", "/me/limits"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert "Omar" not in page and "Haddad" not in page, url
        assert "Samedi" not in page or url == "/me/availability", url
        assert "2031" not in page, url


def test_volunteer_cannot_remove_another_volunteers_absence(app, client, auth, world):
    with app.app_context():
        other = db.session.get(Volunteer, world.other_volunteer_id)
        other.absences = [Absence(first_day=date(2031, 3, 2), last_day=date(2031, 3, 6))]
        db.session.commit()
        absence_id = other.absences[0].id
    auth.login_as(Role.VOLUNTEER)
    assert client.post(f"/me/absences/{absence_id}/remove").status_code == 404
    with app.app_context():
        assert len(db.session.get(Volunteer, world.other_volunteer_id).absences) == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/me"),
        ("GET", "/me/availability"),
        ("POST", "/me/availability"),
        ("GET", "/me/absences"),
        ("POST", "/me/absences"),
        ("POST", "/me/absences/1/remove"),
        ("GET", "/me/limits"),
        ("POST", "/me/limits"),
    ],
)
def test_signed_out_visitor_is_sent_to_sign_in_from_self_service(client, world, method, url):
    response = client.open(url, method=method)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_volunteer_lands_on_their_profile_after_signing_in(client, auth, world):
    response = auth.login_as(Role.VOLUNTEER)
    assert response.headers["Location"].endswith("/me")
    page = client.get("/me").get_data(as_text=True)
    assert "Bonjour Sylvie" in page


def test_volunteer_login_without_profile_gets_a_page_saying_to_contact_the_coordinator(
    app, client, auth, world
):
    with app.app_context():
        from scheduler.models import Organisation

        org = db.session.get(Organisation, world.org_id)
        org.contact_email = "coordination@example.org"
        make_user(db.session, org, Role.VOLUNTEER, "nouveau@example.org")
        db.session.commit()
    auth.login("nouveau@example.org")
    for url in ("/me", "/me/availability", "/me/limits"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "coordination@example.org" in page
        assert "pas encore lié" in page
    assert client.post("/me/limits", data={"has_car": "yes"}).status_code == 409


def test_staff_without_a_profile_are_sent_to_the_volunteers_list(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    response = client.get("/me")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dispatch/volunteers")


def test_dispatcher_cannot_reach_another_organisations_volunteer(app, client, auth, world):
    with app.app_context():
        other = build_other_organisation(db.session)
    auth.login_as(Role.DISPATCHER)
    base = f"/dispatch/volunteers/{other.volunteer_id}"
    for method, url in (
        ("GET", base),
        ("GET", f"{base}/edit"),
        ("GET", f"{base}/availability"),
        ("GET", f"{base}/absences"),
        ("POST", f"{base}/absences/{other.absence_id}/remove"),
        ("POST", f"{base}/login/unlink"),
    ):
        assert client.open(url, method=method).status_code == 404, url
    page = client.get("/dispatch/volunteers").get_data(as_text=True)
    assert "Camille" not in page


def test_dispatcher_cannot_remove_an_absence_through_another_volunteer(app, client, auth, world):
    with app.app_context():
        other = db.session.get(Volunteer, world.other_volunteer_id)
        other.absences = [Absence(first_day=date(2031, 3, 2), last_day=date(2031, 3, 6))]
        db.session.commit()
        absence_id = other.absences[0].id
    auth.login_as(Role.DISPATCHER)
    url = f"/dispatch/volunteers/{world.volunteer_id}/absences/{absence_id}/remove"
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("url", ["/admin/", "/admin/users", "/admin/organisation"])
def test_dispatcher_is_refused_administration(client, auth, world, url):
    auth.login_as(Role.DISPATCHER)
    assert client.get(url).status_code == 403


def test_menu_shows_volunteers_to_staff_and_my_profile_to_volunteers(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    page = client.get("/dispatch/volunteers").get_data(as_text=True)
    assert 'href="/dispatch/volunteers"' in page
    assert 'href="/admin/"' not in page
    auth.logout()
    auth.login_as(Role.VOLUNTEER)
    page = client.get("/me").get_data(as_text=True)
    assert 'href="/me"' in page
    assert 'href="/dispatch/volunteers"' not in page
