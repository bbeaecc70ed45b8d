"""An administrator manages logins: create, change role, disable, reset; never the last admin."""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User

from ..builders import make_user
from ..people.factories import build_other_organisation


def _user(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _user_id(app, email: str) -> int:
    with app.app_context():
        return _user(email).id


def test_administrator_lists_users(client, auth, world):
    auth.login_as(Role.ADMIN)
    page = client.get("/admin/users").get_data(as_text=True)
    for email in ("admin@example.org", "dispatch@example.org", "sylvie@example.org"):
        assert email in page
    assert "Répartition" in page and "Bénévole" in page


def test_administrator_creates_a_dispatcher_who_can_sign_in(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    response = client.post(
        "/admin/users",
        data={
            "email": "Chantal@Example.org",
            "display_name": "Chantal",
            "role": "dispatcher",
            "password": "dix caractères ou plus",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = _user("chantal@example.org")
        assert (user.role, user.display_name, user.active) == (Role.DISPATCHER, "Chantal", True)
    auth.logout()
    assert auth.login("chantal@example.org", "dix caractères ou plus").status_code == 302


def test_new_user_needs_a_long_password_a_free_email_and_a_known_role(app, client, auth, world):
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(User.id)))
    auth.login_as(Role.ADMIN)
    short = client.post(
        "/admin/users",
        data={"email": "a@example.org", "role": "dispatcher", "password": "court"},
    )
    assert short.status_code == 400
    assert "Le mot de passe doit compter au moins 10 caractères." in short.get_data(as_text=True)
    assert 'value="a@example.org"' in short.get_data(as_text=True)
    taken = client.post(
        "/admin/users",
        data={"email": "dispatch@example.org", "role": "admin", "password": "assez long oui"},
    )
    assert taken.status_code == 400
    assert 'id="email-error"' in taken.get_data(as_text=True)
    unknown = client.post(
        "/admin/users",
        data={"email": "b@example.org", "role": "superuser", "password": "assez long oui"},
    )
    assert unknown.status_code == 400
    partner = client.post(
        "/admin/users",
        data={"email": "c@example.org", "role": "partner", "password": "assez long oui"},
    )
    assert partner.status_code == 400  # partner staff are invited from their partner's page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == before


def test_administrator_changes_a_role(app, client, auth, world):
    user_id = _user_id(app, "dispatch@example.org")
    auth.login_as(Role.ADMIN)
    response = client.post(f"/admin/users/{user_id}/role", data={"role": "admin"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).role is Role.ADMIN


def test_disabled_user_cannot_sign_in_and_can_be_enabled_again(app, client, auth, world):
    user_id = _user_id(app, "dispatch@example.org")
    auth.login_as(Role.ADMIN)
    assert client.post(f"/admin/users/{user_id}/active", data={"active": "0"}).status_code == 302
    auth.logout()
    assert auth.login("dispatch@example.org").status_code == 400
    auth.login_as(Role.ADMIN)
    client.post(f"/admin/users/{user_id}/active", data={"active": "1"})
    auth.logout()
    assert auth.login("dispatch@example.org").status_code == 302


def test_disabling_a_signed_in_user_ends_their_session(app, world):
    app_client = app.test_client()
    other = app.test_client()
    other.post(
        "/auth/login", data={"email": "dispatch@example.org", "password": "correct horse battery"}
    )
    assert other.get("/dispatch/volunteers").status_code == 200
    app_client.post(
        "/auth/login", data={"email": "admin@example.org", "password": "correct horse battery"}
    )
    user_id = _user_id(app, "dispatch@example.org")
    app_client.post(f"/admin/users/{user_id}/active", data={"active": "0"})
    assert other.get("/dispatch/volunteers").status_code == 302


def test_administrator_resets_a_password(app, client, auth, world):
    user_id = _user_id(app, "sylvie@example.org")
    auth.login_as(Role.ADMIN)
    short = client.post(f"/admin/users/{user_id}/password", data={"new_password": "court"})
    assert short.status_code == 400
    assert 'id="new_password-error"' in short.get_data(as_text=True)
    ok = client.post(
        f"/admin/users/{user_id}/password", data={"new_password": "nouveau mot de passe"}
    )
    assert ok.status_code == 302
    auth.logout()
    assert auth.login("sylvie@example.org").status_code == 400
    assert auth.login("sylvie@example.org", "nouveau mot de passe").status_code == 302


def test_the_last_active_administrator_cannot_demote_or_disable_themselves(
    app, client, auth, world
):
    admin_id = _user_id(app, "admin@example.org")
    auth.login_as(Role.ADMIN)
    demote = client.post(f"/admin/users/{admin_id}/role", data={"role": "dispatcher"})
    assert demote.status_code == 400
    assert "Il doit rester au moins une personne active à l&#39;administration" in demote.get_data(
        as_text=True
    )
    disable = client.post(f"/admin/users/{admin_id}/active", data={"active": "0"})
    assert disable.status_code == 302
    assert "Il doit rester au moins" in client.get(disable.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        admin = db.session.get(User, admin_id)
        assert (admin.role, admin.active) == (Role.ADMIN, True)


def test_with_another_active_administrator_one_may_step_down(app, client, auth, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        make_user(db.session, org, Role.ADMIN, "admin2@example.org")
        db.session.commit()
    admin_id = _user_id(app, "admin@example.org")
    auth.login_as(Role.ADMIN)
    response = client.post(f"/admin/users/{admin_id}/role", data={"role": "dispatcher"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, admin_id).role is Role.DISPATCHER
    # A new role ends every session: the same person is shut out of administration at
    # once and signs in again as a dispatcher.
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.login("admin@example.org")
    assert client.get("/admin/users").status_code == 403


def test_a_disabled_administrator_does_not_count_as_the_remaining_one(app, client, auth, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        second = make_user(db.session, org, Role.ADMIN, "admin2@example.org")
        second.active = False
        db.session.commit()
    admin_id = _user_id(app, "admin@example.org")
    auth.login_as(Role.ADMIN)
    response = client.post(f"/admin/users/{admin_id}/role", data={"role": "volunteer"})
    assert response.status_code == 400


def test_another_organisations_user_is_not_found(app, client, auth, world):
    with app.app_context():
        other = build_other_organisation(db.session)
    auth.login_as(Role.ADMIN)
    assert client.get(f"/admin/users/{other.user_id}").status_code == 404
    response = client.post(f"/admin/users/{other.user_id}/active", data={"active": "0"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(User, other.user_id).active


def test_the_same_login_created_twice_at_once_is_refused_in_words(
    app, client, auth, world, monkeypatch
):
    """A double click, or two administrators: both requests find the address free, and
    the second one's insert meets the first one's row. It says the address is taken."""
    from scheduler.people import accounts

    auth.login_as(Role.ADMIN)
    monkeypatch.setattr(accounts, "find_user", lambda session, email: None)
    second = client.post(
        "/admin/users",
        data={"email": "dispatch@example.org", "role": "admin", "password": "assez long oui"},
    )
    assert second.status_code == 400
    page = second.get_data(as_text=True)
    assert 'id="email-error"' in page
    assert 'value="dispatch@example.org"' in page
    with app.app_context():
        assert _user("dispatch@example.org").role is Role.DISPATCHER
