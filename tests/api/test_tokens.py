"""Who may call what: unknown, revoked and expired tokens get 401, missing scopes 403,
bad input 422, each as an RFC 9457 problem; calls are limited per token."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from scheduler.api.tokens import revoke_token
from scheduler.core.extensions import db
from scheduler.models import ApiToken
from scheduler.models import AuditEntry
from scheduler.models import HelpRequest
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow

from .builders import age_token
from .builders import referral_body
from .builders import token_for

PROBLEM = "application/problem+json"


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["type"].startswith("/api/v1/problems/")
    assert body["title"]
    return body


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer esc_nothing-of-the-kind-at-all", "Basic dXNlcjpwYXNz", "Bearer \x7f"],
)
def test_no_valid_token_gets_401(app, client, world, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/referrals", headers=headers)
    _is_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_gets_401(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    assert client.get("/api/v1/referrals", headers=_bearer(secret)).status_code == 200
    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.email == world.email_for(Role.ADMIN)))
        token = db.session.scalar(sa.select(ApiToken))
        revoke_token(db.session, actor=admin, token_id=token.id, now=utcnow())
        assert db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "api_token.revoke")
        )
    _is_problem(client.get("/api/v1/referrals", headers=_bearer(secret)), 401)
    _is_problem(
        client.post("/api/v1/requests", json=referral_body(world), headers=_bearer(secret)), 401
    )


def test_an_expired_token_gets_401(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    age_token(app, secret, days=1)
    _is_problem(client.get("/api/v1/referrals", headers=_bearer(secret)), 401)


def test_a_token_without_the_scope_gets_403(app, client, world):
    secret = token_for(app, world, scopes=("requests:read",))
    body = _is_problem(
        client.post("/api/v1/requests", json=referral_body(world), headers=_bearer(secret)), 403
    )
    assert body["code"] == "scope"
    _is_problem(client.get("/api/v1/appointments?week=2026-W49", headers=_bearer(secret)), 403)


@pytest.mark.parametrize(
    "url", ["/api/v1/requests", "/api/v1/appointments?week=2026-W49", "/api/v1/plans/2026-W49"]
)
def test_a_partner_token_cannot_read_staff_operations(app, client, world, url):
    secret = token_for(
        app, world, partner_id=world.partner_id, scopes=("requests:create", "requests:read")
    )
    _is_problem(client.get(url, headers=_bearer(secret)), 403)


def test_a_partner_token_cannot_be_given_staff_scopes(app, world):
    from scheduler.core.validation import InputRefused

    with pytest.raises(InputRefused):
        token_for(app, world, partner_id=world.partner_id, scopes=("plans:read",))


def test_the_secret_is_not_stored(app, world):
    secret = token_for(app, world)
    with app.app_context():
        token = db.session.scalar(sa.select(ApiToken))
        assert secret not in (token.token_hash, token.prefix)
        assert secret.startswith(token.prefix)


def test_invalid_body_is_a_422_problem_naming_the_fields(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    response = client.post(
        "/api/v1/requests",
        json=referral_body(world, mode="teleport", consent=False, surprise=1),
        headers=_bearer(secret),
    )
    body = _is_problem(response, 422)
    assert {"mode", "consent", "surprise"} <= set(body["errors"]["json"])


def test_the_intake_rules_are_the_forms(app, client, world):
    """A home visit without an address, and a town outside the territory, refused by the
    booking form's service with the form's words."""
    secret = token_for(app, world)
    body = _is_problem(
        client.post(
            "/api/v1/requests",
            json=referral_body(world, mode="home"),
            headers=_bearer(secret),
        ),
        422,
    )
    assert "address" in body["errors"]["json"]
    body = _is_problem(
        client.post(
            "/api/v1/requests",
            json=referral_body(world, municipality_id=999999),
            headers=_bearer(secret),
        ),
        422,
    )
    assert "municipality_id" in body["errors"]["json"]
    body = _is_problem(
        client.post(
            "/api/v1/requests", json=referral_body(world, phone="12"), headers=_bearer(secret)
        ),
        422,
    )
    assert "phone" in body["errors"]["json"]


def test_a_body_that_is_not_json_is_refused(app, client, world):
    secret = token_for(app, world)
    response = client.post(
        "/api/v1/requests",
        data="{not json",
        headers={**_bearer(secret), "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.content_type == PROBLEM


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"municipality_id": 1' + "0" * 5000 + "}"],
    ids=["nested-too-deep", "number-too-long"],
)
def test_json_the_parser_cannot_read_is_refused_as_invalid(app, client, world, body):
    """Valid JSON in form that Python's reader gives up on (nesting past its recursion
    limit, an integer of thousands of digits) is a 400 problem, not a 500."""
    secret = token_for(app, world)
    response = client.post(
        "/api/v1/requests",
        data=body,
        headers={**_bearer(secret), "Content-Type": "application/json"},
    )
    problem = _is_problem(response, 400)
    assert problem["code"] == "invalid_json"
    assert list(problem["errors"]) == ["json"]


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "UTF-8"), ("en", "UTF-8"), ("fr", "corps"), ("en", "body")]
)
@pytest.mark.parametrize(
    "body", [b'{"first_name": "J\xe9r\xf4me"}', b'{"first_name": '], ids=["latin-1", "cut"]
)
def test_an_unreadable_body_is_said_to_be_unreadable_not_missing_values(
    app, client, world, body, language, words
):
    secret = token_for(app, world)
    response = client.post(
        "/api/v1/requests",
        data=body,
        headers={
            **_bearer(secret),
            "Content-Type": "application/json",
            "Accept-Language": language,
        },
    )
    problem = _is_problem(response, 400)
    assert problem["code"] == "invalid_json"
    assert words in problem["detail"]
    assert "missing" not in problem["detail"] and "manqu" not in problem["detail"]


@pytest.mark.parametrize(
    "query", ["week=0001-W01", "week=9999-W52", "week=2026-W60", "week=", "week=2026W49x"]
)
def test_weeks_are_checked_like_the_plan_page(app, client, world, query):
    secret = token_for(app, world)
    body = _is_problem(client.get(f"/api/v1/appointments?{query}", headers=_bearer(secret)), 422)
    assert body["errors"]


@pytest.mark.parametrize("query", ["per_page=0", "per_page=101", "page=0", "page=x"])
def test_page_sizes_are_checked(app, client, world, query):
    secret = token_for(app, world)
    _is_problem(client.get(f"/api/v1/requests?{query}", headers=_bearer(secret)), 422)


def test_unknown_paths_and_methods_are_problems(app, client, world):
    _is_problem(client.get("/api/v1/nowhere"), 404)
    _is_problem(client.put("/api/v1/requests"), 405)


def test_calls_are_limited_per_token(make_app):
    app = make_app(RATELIMIT_ENABLED=True, API={"rate_limit": "3 per minute"})
    from tests.builders import build_world

    with app.app_context():
        world = build_world(db.session)
    first = token_for(app, world)
    second = token_for(app, world)
    client = app.test_client()
    urls = ["/api/v1/requests", "/api/v1/requests/ESC-0000", "/api/v1/plans/2026-W49"]
    codes = [client.get(url, headers=_bearer(first)).status_code for url in urls]
    assert 429 not in codes
    # One budget per token for the whole API, whichever operations it calls.
    assert client.get("/api/v1/requests", headers=_bearer(first)).status_code == 429
    refused = client.get("/api/v1/requests", headers=_bearer(first))
    _is_problem(refused, 429)
    # How long to back off, as RFC 9110 says: until the minute's budget is renewed (the
    # limiter keeps whole seconds, so the end of the window may be a second further).
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    for language in ("fr", "en"):
        detail = client.get(
            "/api/v1/requests", headers={**_bearer(first), "Accept-Language": language}
        ).get_json()["detail"]
        # In the caller's language, without the limiter's English "3 per 1 minute".
        assert " per " not in detail
        assert ("appels" in detail) == (language == "fr")
    assert client.get("/api/v1/requests", headers=_bearer(second)).status_code == 200


def test_typed_text_is_cleaned_as_the_form_cleans_it(app, client, world):
    """NUL (which PostgreSQL refuses), lone surrogates and bidi overrides are taken out,
    as the booking form takes them out; the request is stored (this runs on PostgreSQL
    too)."""
    secret = token_for(app, world, partner_id=world.partner_id)
    response = client.post(
        "/api/v1/requests",
        data=(
            '{"mode": "phone", "needs": ["email"], "municipality_id": MUNICIPALITY,'
            ' "availability": ["tue-am"], "first_name": "Jean\\u0000ne\\u202e\\ud800",'
            ' "phone": "819 555 0142", "languages": ["fr"], "consent": true,'
            ' "note": "ligne 1\\r\\nligne\\u0000 2"}'
        ).replace("MUNICIPALITY", str(world.municipality_ids["Wickham"])),
        headers={**_bearer(secret), "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["first_name"] == "Jeanne"
    with app.app_context():
        from scheduler.models import HelpRequest

        stored = db.session.scalar(sa.select(HelpRequest))
        assert stored.internal_notes == "ligne 1\nligne 2"


@pytest.mark.parametrize("value", ["true", "yes", "1", 1, 0, None, [], {"a": True}])
def test_a_boolean_is_json_true_or_false_and_nothing_else(app, client, world, value):
    """``"consent": "true"`` or ``"any_time": "yes"`` would be read as booleans by the
    schema library; they are refused with a 400 naming the field, and nothing is stored."""
    secret = token_for(app, world)
    for field in ("consent", "any_time"):
        response = client.post(
            "/api/v1/requests",
            json=referral_body(world, **{field: value}),
            headers={**_bearer(secret), "Accept-Language": "fr"},
        )
        body = _is_problem(response, 400)
        assert list(body["errors"]["json"]) == [field]
        assert field in body["detail"] and "true" in body["detail"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 0


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Must be true: the person's consent is needed."), ("fr", "consentement")],
)
def test_consent_false_is_refused_in_json_words(app, client, world, language, words):
    """The message names JSON's ``true``, not the schema library's Python ``True``."""
    secret = token_for(app, world)
    response = client.post(
        "/api/v1/requests",
        json=referral_body(world, consent=False),
        headers={**_bearer(secret), "Accept-Language": language},
    )
    [message] = _is_problem(response, 422)["errors"]["json"]["consent"]
    assert words in message
    assert "True" not in message


def test_json_booleans_are_accepted(app, client, world):
    secret = token_for(app, world)
    response = client.post(
        "/api/v1/requests",
        json=referral_body(world, consent=True, any_time=False),
        headers=_bearer(secret),
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", None),
        ("application/x-www-form-urlencoded", "mode=phone&consent=true"),
        ("application/xml", "<request/>"),
    ],
)
def test_a_body_that_is_not_json_gets_415_not_a_list_of_missing_fields(
    app, client, world, content_type, data
):
    """A JSON body labelled text/plain (or a form) was read as no body at all, and the
    caller was told that every field was missing."""
    import json

    secret = token_for(app, world)
    response = client.post(
        "/api/v1/requests",
        data=data if data is not None else json.dumps(referral_body(world)),
        headers={**_bearer(secret), "Content-Type": content_type, "Accept-Language": "en"},
    )
    body = _is_problem(response, 415)
    assert "application/json" in body["detail"]
    assert "errors" not in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 0


@pytest.mark.parametrize(
    ("week", "accepted"),
    [
        ("NEXT-W1", True),
        ("NEXTw49", True),
        ("2026-W60", False),
        ("2026W49x", False),
        ("W49", False),
    ],
)
def test_plans_and_appointments_read_a_week_alike(app, client, world, week, accepted):
    """The same parsing for the path and the query: the same week is accepted by both,
    or both refuse it with the same problem."""
    week = week.replace("NEXT", str(date.today().year + 1))  # within the weeks one may read
    secret = token_for(app, world)
    plan = client.get(f"/api/v1/plans/{week}", headers=_bearer(secret))
    listed = client.get(f"/api/v1/appointments?week={week}", headers=_bearer(secret))
    if accepted:
        assert plan.status_code in (200, 404)
        assert listed.status_code == 200
        return
    assert plan.status_code == listed.status_code == 422
    assert plan.get_json()["code"] == listed.get_json()["code"] == "week"
    assert plan.get_json()["detail"] == listed.get_json()["detail"]
    assert plan.get_json()["errors"] == {"path": {"week": [plan.get_json()["detail"]]}}
    assert listed.get_json()["errors"] == {"query": {"week": [listed.get_json()["detail"]]}}
