"""Administrators create and revoke API tokens; the secret shows once."""

from __future__ import annotations

import re

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import ApiToken
from scheduler.models import AuditEntry
from scheduler.models import Role


def _secret(page: str) -> str:
    found = re.search(r'value="(esc_[A-Za-z0-9_-]+)"', page)
    assert found, "no secret on the page"
    return found.group(1)


def test_admin_creates_a_partner_token_shown_once_and_revokes_it(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    page = client.get("/admin/api-tokens")
    assert page.status_code == 200
    assert "CCAS de Test" in page.get_data(as_text=True)

    created = client.post(
        "/admin/api-tokens",
        data={
            "name": "Logiciel du CCAS",
            "partner": str(world.partner_id),
            "scopes": ["requests:create", "requests:read"],
            "days": "90",
        },
    )
    assert created.status_code == 303
    secret = _secret(client.get(created.headers["Location"]).get_data(as_text=True))
    assert (
        client.get("/api/v1/referrals", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )

    again = client.get("/admin/api-tokens").get_data(as_text=True)
    assert secret not in again
    assert secret[:10] in again  # the prefix, to recognise it

    with app.app_context():
        token = db.session.scalar(sa.select(ApiToken))
        assert token.partner_organisation_id == world.partner_id
        token_id = token.id
    revoked = client.post(f"/admin/api-tokens/{token_id}/revoke")
    assert revoked.status_code == 302
    assert (
        client.get("/api/v1/referrals", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )
    with app.app_context():
        actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"api_token.create", "api_token.revoke"} <= actions


def test_a_partner_token_with_staff_scopes_is_refused_and_nothing_typed_is_lost(
    client, auth, world
):
    auth.login_as(Role.ADMIN)
    refused = client.post(
        "/admin/api-tokens",
        data={
            "name": "Logiciel de l'école",
            "partner": str(world.other_partner_id),
            "scopes": ["plans:read"],
            "days": "30",
        },
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "esc_" not in page
    assert "Logiciel de l&#39;école" in page or "Logiciel de l'école" in page
    assert "field__error" in page


def test_days_and_partner_are_checked(client, auth, world):
    auth.login_as(Role.ADMIN)
    for data in (
        {"name": "x", "partner": "", "scopes": ["plans:read"], "days": "0"},
        {"name": "x", "partner": "", "scopes": ["plans:read"], "days": "9999"},
        {"name": "x", "partner": "999999", "scopes": ["requests:read"], "days": "30"},
        {"name": "", "partner": "", "scopes": ["plans:read"], "days": "30"},
        {"name": "x", "partner": "", "scopes": [], "days": "30"},
    ):
        response = client.post("/admin/api-tokens", data=data)
        assert response.status_code == 400, data
        assert "esc_" not in response.get_data(as_text=True)


def test_another_organisations_token_cannot_be_revoked(client, auth, world):
    auth.login_as(Role.ADMIN)
    assert client.post("/admin/api-tokens/999/revoke").status_code == 404


def test_the_example_shown_with_a_team_token_answers(client, auth, world):
    """The curl line under a new token must work as pasted: a team token has no referrals
    (only a partner's does), so its example reads the requests instead."""
    auth.login_as(Role.ADMIN)
    created = client.post(
        "/admin/api-tokens",
        data={
            "name": "Outils de l'équipe",
            "partner": "",
            "scopes": ["requests:read"],
            "days": "30",
        },
    )
    assert created.status_code == 303
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    secret = _secret(page)
    example = re.search(r"Bearer " + re.escape(secret) + r'" http://[^/]+(/api/v1/[a-z]+)', page)
    assert example, "no curl example on the page"
    answer = client.get(example.group(1), headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200, answer.get_data(as_text=True)


def _new_token(client, key: str | None = None):
    data = {"name": "Outil du bureau", "partner": "", "scopes": ["requests:read"], "days": "30"}
    if key:
        data["once"] = key
    return client.post("/admin/api-tokens", data=data)


def _token_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(ApiToken.id)))


def test_refreshing_after_creating_a_token_creates_nothing_and_shows_no_secret(
    app, client, auth, world
):
    auth.login_as(Role.ADMIN)
    created = _new_token(client)
    # Post, redirect, get: what the browser reloads is the GET.
    assert created.status_code == 303
    assert created.headers["Location"].endswith("/admin/api-tokens")
    # Between the post and its one display, the (signed, not encrypted) session cookie
    # holds the secret sealed: a copy of the cookie does not reveal it.
    with client.session_transaction() as session:
        waiting = repr(dict(session))
    shown = client.get("/admin/api-tokens")
    assert shown.headers["Cache-Control"] == "no-store"
    secret = _secret(shown.get_data(as_text=True))
    assert secret not in waiting and secret.removeprefix("esc_") not in waiting
    reloaded = client.get("/admin/api-tokens").get_data(as_text=True)
    assert secret not in reloaded and "esc_" not in reloaded.split("<table")[0]
    assert _token_count(app) == 1
    # The secret left the session with its one display.
    with client.session_transaction() as session:
        assert secret not in repr(dict(session))


def test_the_token_form_sent_twice_creates_one_token(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    page = client.get("/admin/api-tokens").get_data(as_text=True)
    key = re.search(r'name="once" value="([^"]+)"', page).group(1)
    assert _new_token(client, key).status_code == 303
    again = _new_token(client, key)
    assert again.status_code == 303 and again.headers["Location"].endswith("/admin/api-tokens")
    assert _token_count(app) == 1
