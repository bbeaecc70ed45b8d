"""The same referral sent again with its ``Idempotency-Key`` (a time-out then a retry, two
workers at once) creates one request and one confirmation to the person."""

from __future__ import annotations

import json
import threading
import urllib.request

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import HelpRequest
from scheduler.models import OutboxMessage

from .builders import referral_body
from .builders import token_for


def _headers(secret: str, key: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {secret}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return headers


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_a_referral_sent_twice_with_its_key_is_created_once(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    key = "5f0c6e0e-8a41-4a8e-9d0c-2b7f3c1d9e11"
    first, again = (
        client.post("/api/v1/requests", json=referral_body(world), headers=_headers(secret, key))
        for _ in range(2)
    )

    assert first.status_code == again.status_code == 201
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(app, HelpRequest) == 1
    assert _count(app, OutboxMessage) == 1


def test_each_token_has_its_own_keys(app, client, world):
    partner = token_for(app, world, partner_id=world.partner_id)
    staff = token_for(app, world)
    key = "same-key-from-two-programs"
    one = client.post("/api/v1/requests", json=referral_body(world), headers=_headers(partner, key))
    two = client.post("/api/v1/requests", json=referral_body(world), headers=_headers(staff, key))
    assert one.get_json()["reference"] != two.get_json()["reference"]
    assert _count(app, HelpRequest) == 2


def test_a_refused_body_leaves_its_key_free_for_the_corrected_one(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    key = "retry-after-fixing-the-town"
    refused = client.post(
        "/api/v1/requests",
        json=referral_body(world, availability=["never"]),
        headers=_headers(secret, key),
    )
    assert refused.status_code == 422
    corrected = client.post(
        "/api/v1/requests", json=referral_body(world), headers=_headers(secret, key)
    )
    assert corrected.status_code == 201
    assert "Idempotent-Replayed" not in corrected.headers
    assert _count(app, HelpRequest) == 1


def test_a_malformed_key_is_a_problem_naming_the_header(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    for key in ("", "x" * 256, "clé avec espaces"):
        response = client.post(
            "/api/v1/requests",
            json=referral_body(world),
            headers={**_headers(secret, key), "Accept-Language": "fr"},
        )
        assert response.status_code == 422, key
        assert response.content_type == "application/problem+json"
        body = response.get_json()
        assert body["code"] == "idempotency_key"
        assert "Idempotency-Key" in body["errors"]["header"]
        assert "caractères" in body["detail"]
    assert _count(app, HelpRequest) == 0


def test_two_workers_sending_the_same_key_at_once_create_one_request(
    app, world, live_server, monkeypatch
):
    """Both calls are held until each has reached the key: they truly race for it."""
    from routes.api import idempotency

    secret = token_for(app, world, partner_id=world.partner_id)
    both_there = threading.Barrier(2, timeout=10)
    original = idempotency.submissions.claim

    def claim_together(*args, **kwargs):
        both_there.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(idempotency.submissions, "claim", claim_together)
    answers: list[tuple[int, str]] = []

    def send() -> None:
        call = urllib.request.Request(
            f"{live_server}/api/v1/requests",
            data=json.dumps(referral_body(world)).encode(),
            headers={**_headers(secret, "two-workers-one-key"), "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(call, timeout=30) as answer:
                answers.append((answer.status, json.load(answer)["reference"]))
        except urllib.error.HTTPError as refused:
            answers.append((refused.code, json.load(refused).get("code", "")))

    workers = [threading.Thread(target=send) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=40)

    assert _count(app, HelpRequest) == 1
    statuses = sorted(status for status, _ in answers)
    # The loser either waited for the winner's answer or was told it is still being made.
    assert statuses in ([201, 201], [201, 409]), answers


def test_a_key_sent_again_with_another_body_is_refused_in_the_callers_language(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    key = "one-key-two-people"
    first = client.post(
        "/api/v1/requests", json=referral_body(world), headers=_headers(secret, key)
    )
    assert first.status_code == 201
    for language, words in (("fr", "déjà"), ("en", "already used")):
        other = client.post(
            "/api/v1/requests",
            json=referral_body(world, first_name="Someone Else"),
            headers={**_headers(secret, key), "Accept-Language": language},
        )
        assert other.status_code == 422
        assert other.content_type == "application/problem+json"
        body = other.get_json()
        assert body["code"] == "idempotency_key_reused"
        assert "Idempotency-Key" in body["errors"]["header"]
        assert words in body["detail"]
        assert "Idempotent-Replayed" not in other.headers
    assert _count(app, HelpRequest) == 1


def test_the_same_body_in_another_key_order_is_still_a_repeat(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    key = "same-answers-other-order"
    body = referral_body(world)
    first = client.post("/api/v1/requests", json=body, headers=_headers(secret, key))
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = client.post(
        "/api/v1/requests",
        data=reordered,
        content_type="application/json",
        headers=_headers(secret, key),
    )
    assert again.status_code == 201
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert again.headers["Idempotent-Replayed"] == "true"
