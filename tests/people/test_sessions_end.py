"""A session cookie stops working once its user signs out, gets a new password or role, is
disabled, or is signed out everywhere: a copy of the cookie (a stolen one, a shared
computer) is worth nothing afterwards."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import AuditEntry
from scheduler.models import Role
from scheduler.models import User

from ..builders import PASSWORD


def _copy(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _signed_in(client, url="/me"):
    return client.get(url).status_code == 200


def _user_id(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


@pytest.fixture
def volunteer(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    thief = _copy(app, client)
    assert _signed_in(thief)
    return thief


def test_sign_out_ends_a_copied_session(client, auth, volunteer):
    response = auth.logout()
    assert response.status_code == 302
    response = volunteer.get("/me")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_password_reset_by_an_administrator_ends_the_users_sessions(app, world, volunteer):
    admin = app.test_client()
    admin.post("/auth/login", data={"email": "admin@example.org", "password": PASSWORD})
    user_id = _user_id(app, world.email_for(Role.VOLUNTEER))
    response = admin.post(f"/admin/users/{user_id}/password", data={"new_password": "x" * 12})
    assert response.status_code == 302
    assert not _signed_in(volunteer)


def test_a_role_change_ends_the_users_sessions(app, world, volunteer):
    admin = app.test_client()
    admin.post("/auth/login", data={"email": "admin@example.org", "password": PASSWORD})
    user_id = _user_id(app, world.email_for(Role.VOLUNTEER))
    admin.post(f"/admin/users/{user_id}/role", data={"role": "dispatcher"})
    assert not _signed_in(volunteer, "/dispatch/plans")


def test_disabling_ends_the_users_sessions(app, world, volunteer):
    admin = app.test_client()
    admin.post("/auth/login", data={"email": "admin@example.org", "password": PASSWORD})
    user_id = _user_id(app, world.email_for(Role.VOLUNTEER))
    admin.post(f"/admin/users/{user_id}/active", data={"active": "0"})
    assert not _signed_in(volunteer)


def test_sign_out_everywhere_ends_every_session_and_is_recorded(app, world, volunteer):
    admin = app.test_client()
    admin.post("/auth/login", data={"email": "admin@example.org", "password": PASSWORD})
    user_id = _user_id(app, world.email_for(Role.VOLUNTEER))
    page = admin.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert f"/admin/users/{user_id}/sign-out" in page
    response = admin.post(f"/admin/users/{user_id}/sign-out")
    assert response.status_code == 302
    assert not _signed_in(volunteer)
    # The administrator's own session is untouched.
    assert admin.get("/admin/users").status_code == 200
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "sign_out.everywhere")
        ).one()
        assert entry.target == f"user:{user_id}"
        assert entry.actor_label == "admin@example.org"


def test_signing_in_again_opens_a_new_session(client, auth, volunteer):
    auth.logout()
    auth.login_as(Role.VOLUNTEER)
    assert _signed_in(client)
    assert not _signed_in(volunteer)


def test_a_session_from_before_versions_is_refused(app, client, world):
    user_id = _user_id(app, world.email_for(Role.VOLUNTEER))
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)  # what a cookie held before versions
        session["_fresh"] = True
    assert not _signed_in(client)
