from __future__ import annotations

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Role
from scheduler.models import User


def test_login_page_is_in_french_by_default(client, world):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="fr-CA" dir="ltr">' in page
    assert "Se connecter" in page
    assert "Courriel" in page


def test_right_password_signs_in_and_records_the_time(app, auth, world):
    response = auth.login("dispatch@example.org")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.role == Role.DISPATCHER)).one()
        assert user.last_login_at is not None


def test_wrong_password_is_refused_with_a_message_and_keeps_the_email(auth, world):
    response = auth.login("dispatch@example.org", "not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Le courriel ou le mot de passe n&#39;est pas bon." in page
    assert 'value="dispatch@example.org"' in page
    assert "not the password" not in page


def test_unknown_email_gets_the_same_message_as_a_wrong_password(auth, world):
    page = auth.login("nobody@example.org").get_data(as_text=True)
    assert "Le courriel ou le mot de passe n&#39;est pas bon." in page


def test_disabled_account_cannot_sign_in(app, auth, world):
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.role == Role.DISPATCHER)).one()
        user.active = False
        db.session.commit()
    assert auth.login("dispatch@example.org").status_code == 400


def test_sign_out_needs_a_post_and_ends_the_session(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    assert client.get("/auth/logout").status_code == 405
    assert auth.logout().status_code == 302
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Se déconnecter" not in page


def test_next_parameter_cannot_send_people_to_another_site(client, world):
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"email": "dispatch@example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_login_is_rate_limited_per_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    # A new e-mail each time: the per-account throttle is not what is tested here.
    codes = [
        client.post(
            "/auth/login", data={"email": f"x{n}@example.org", "password": "nope"}
        ).status_code
        for n in range(12)
    ]
    assert codes[:10] == [400] * 10
    assert codes[-1] == 429
