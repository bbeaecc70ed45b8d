"""A staff form sent after its token expired (4 hours, in an 8-hour session) comes back
with what was typed, a fresh token and a word saying so; nothing of that post is saved.

A dispatcher who starts a volunteer's file before lunch and sends it after used to land
on "page expired" with everything typed lost.
"""

from __future__ import annotations

import re
import time

import flask_wtf.csrf
import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from scheduler.core.extensions import db
from scheduler.models import Plan
from scheduler.models import User
from scheduler.models import Volunteer
from tests.builders import PASSWORD
from tests.builders import build_world
from tests.builders import org_today

from .people.factories import week_form
from .people.factories import windows_of
from .people.test_dispatcher_volunteers import full_profile

EXPIRED_FR = "Cette page est restée ouverte longtemps"
EXPIRED_EN = "This page stayed open a long time"


class _FiveHoursAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 5 * 3600


class _OldTokens(URLSafeTimedSerializer):
    """Form tokens signed five hours ago (the session keeps its real time)."""

    default_signer = _FiveHoursAgo


def _token(page: str) -> str:
    found = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    found += re.findall(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no form token on the page"
    return found[-1]


def _opened_five_hours_ago(client, monkeypatch, url: str) -> str:
    with monkeypatch.context() as patched:
        patched.setattr(flask_wtf.csrf, "URLSafeTimedSerializer", _OldTokens)
        return str(client.get(url).get_data(as_text=True))


@pytest.fixture
def app(make_app):
    """The application as it runs: form tokens checked, for 4 hours."""
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def world(app):
    with app.app_context():
        return build_world(db.session)


def _sign_in(client, email: str) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": _token(page)}
    )
    assert response.status_code == 302, response.status_code


def _volunteer(app, world) -> Volunteer:
    with app.app_context():
        return db.session.get_one(Volunteer, world.volunteer_id)


def _week(app, world) -> list[tuple]:
    with app.app_context():
        return windows_of(db.session.get_one(Volunteer, world.volunteer_id))


def test_a_volunteers_file_sent_after_its_token_expired_comes_back_as_typed(
    app, client, world, monkeypatch
):
    _sign_in(client, "dispatch@example.org")
    url = f"/dispatch/volunteers/{world.volunteer_id}/edit"
    old_page = _opened_five_hours_ago(client, monkeypatch, url)
    old_token = _token(old_page)
    typed = full_profile(
        world, first_name="Sylvie-Anne", notes="Rappeler après 14 h & pas le lundi <svp>"
    )

    response = client.post(url, data={**typed, "csrf_token": old_token})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert EXPIRED_FR in page
    assert 'value="Sylvie-Anne"' in page
    assert "Rappeler après 14 h &amp; pas le lundi &lt;svp&gt;" in page
    fresh = _token(page)
    assert fresh != old_token
    assert _volunteer(app, world).first_name == "Sylvie"  # nothing saved

    # Sent again with the page's new token, it is saved.
    again = client.post(url, data={**typed, "csrf_token": fresh})
    assert again.status_code in (302, 303)
    assert _volunteer(app, world).first_name == "Sylvie-Anne"


def test_a_volunteers_week_sent_late_keeps_its_rows_in_english(app, client, world, monkeypatch):
    _sign_in(client, "sylvie@example.org")
    client.get("/language/en?next=/me")
    old_page = _opened_five_hours_ago(client, monkeypatch, "/me/availability")
    before = _week(app, world)
    data = {**week_form((2, "13:15", "16:45")), "csrf_token": _token(old_page)}

    response = client.post("/me/availability", data=data)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert EXPIRED_EN in page
    assert 'value="13:15"' in page and 'value="16:45"' in page
    assert _week(app, world) == before


def test_planning_a_week_sent_late_plans_nothing(app, client, world, monkeypatch):
    _sign_in(client, "dispatch@example.org")
    old_page = _opened_five_hours_ago(client, monkeypatch, "/dispatch/plans/")
    monday = org_today(app, world.org_id)
    response = client.post(
        "/dispatch/plans/solve",
        data={"week": monday.isoformat(), "csrf_token": _token(old_page)},
        follow_redirects=True,
    )
    assert EXPIRED_FR in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 0


def test_a_button_sent_late_changes_nothing_and_says_the_page_expired(
    app, client, world, monkeypatch
):
    """A switch has no form to show again: its post meets a refused commit instead."""
    _sign_in(client, "admin@example.org")
    with app.app_context():
        user_id = db.session.scalars(
            sa.select(User.id).where(User.email == "dispatch@example.org")
        ).one()
    old_page = _opened_five_hours_ago(client, monkeypatch, f"/admin/users/{user_id}")
    response = client.post(
        f"/admin/users/{user_id}/active", data={"active": "0", "csrf_token": _token(old_page)}
    )
    assert response.status_code == 400
    assert "La page a expiré" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get_one(User, user_id).active is True


def test_a_token_from_another_session_is_still_refused_outright(app, client, world, monkeypatch):
    other = app.test_client()
    _sign_in(other, "admin@example.org")
    stolen = _token(_opened_five_hours_ago(other, monkeypatch, "/dispatch/volunteers/new"))
    _sign_in(client, "dispatch@example.org")
    url = f"/dispatch/volunteers/{world.volunteer_id}/edit"
    response = client.post(
        url, data={**full_profile(world, first_name="Intrus"), "csrf_token": stolen}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "La page a expiré" in page and "Intrus" not in page
    assert _volunteer(app, world).first_name == "Sylvie"
