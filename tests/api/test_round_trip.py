"""The API in plain HTTP against the application served for real (a werkzeug server on a
free port of 127.0.0.1): a token, a referral created, its status read back."""

from __future__ import annotations

import requests
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import AuditEntry
from scheduler.models import HelpRequest
from scheduler.models import Source

from .builders import referral_body
from .builders import token_for

PROBLEM = "application/problem+json"


def _headers(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_partner_refers_a_person_and_reads_the_status(app, world, live_server):
    secret = token_for(app, world, partner_id=world.partner_id)

    created = requests.post(
        f"{live_server}/api/v1/requests",
        json=referral_body(world),
        headers=_headers(secret),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    assert created.json()["status"] == "received"
    assert created.headers["Location"].endswith(f"/api/v1/requests/{reference}")

    status = requests.get(
        f"{live_server}/api/v1/requests/{reference}", headers=_headers(secret), timeout=10
    )
    assert status.status_code == 200
    assert status.json()["status"] == "received"
    assert status.json()["appointment_at"] is None

    listed = requests.get(f"{live_server}/api/v1/referrals", headers=_headers(secret), timeout=10)
    assert [r["reference"] for r in listed.json()["items"]] == [reference]

    with app.app_context():
        stored = db.session.scalar(sa.select(HelpRequest).where(HelpRequest.reference == reference))
        assert stored.partner_organisation_id == world.partner_id
        assert stored.source is Source.PARTNER
        assert stored.consent_to_partner_at is not None
        assert stored.internal_notes == "Prefers afternoons; hard of hearing."
        assert stored.beneficiary.phone == "+18195550142"
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "request.create")
        )
        assert entry.target == f"help_request:{stored.id}"


def test_another_partners_referral_is_not_found(app, world, live_server):
    mine = token_for(app, world, partner_id=world.partner_id)
    theirs = token_for(app, world, partner_id=world.other_partner_id)
    created = requests.post(
        f"{live_server}/api/v1/requests",
        json=referral_body(world),
        headers=_headers(mine),
        timeout=10,
    )
    reference = created.json()["reference"]

    other = requests.get(
        f"{live_server}/api/v1/requests/{reference}", headers=_headers(theirs), timeout=10
    )
    assert other.status_code == 404
    assert other.headers["Content-Type"] == PROBLEM
    listed = requests.get(f"{live_server}/api/v1/referrals", headers=_headers(theirs), timeout=10)
    assert listed.json()["items"] == []


def test_a_staff_token_creates_a_request_that_is_no_referral(app, world, live_server):
    secret = token_for(app, world)
    created = requests.post(
        f"{live_server}/api/v1/requests",
        json=referral_body(world),
        headers=_headers(secret),
        timeout=10,
    )
    assert created.status_code == 201
    listed = requests.get(
        f"{live_server}/api/v1/requests", headers=_headers(secret), timeout=10
    ).json()
    assert [r["reference"] for r in listed["items"]] == [created.json()["reference"]]
    assert listed["items"][0]["partner_organisation_id"] is None
