"""What a repeat with an ``Idempotency-Key`` answers once things moved on since the first
call: a key kept from before bodies were compared, a request merged by a dispatcher into
the person's other request."""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import FormSubmission
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.requests.duplicates import merge_requests

from ..builders import make_request
from .builders import referral_body
from .builders import token_for


def _headers(secret: str, key: str, language: str = "en") -> dict[str, str]:
    return {
        "Authorization": f"Bearer {secret}",
        "Idempotency-Key": key,
        "Accept-Language": language,
    }


def _merge(app, world, duplicate_reference: str, keep_reference: str | None = None) -> str:
    """Merge the request ``duplicate_reference`` into ``keep_reference`` (or into a new
    request of the same person sent from the public form); the kept one's reference."""
    with app.app_context():
        session = db.session
        duplicate = session.scalar(
            sa.select(HelpRequest).where(HelpRequest.reference == duplicate_reference)
        )
        if keep_reference is None:
            org = session.get_one(Organisation, world.org_id)
            keep = make_request(session, org, beneficiary=duplicate.beneficiary)
        else:
            keep = session.scalar(
                sa.select(HelpRequest).where(HelpRequest.reference == keep_reference)
            )
        dispatcher = session.scalar(
            sa.select(User).where(User.email == world.email_for(Role.DISPATCHER))
        )
        merge_requests(session, keep, duplicate, user=dispatcher, now=utcnow())
        return keep.reference


def test_a_repeat_of_a_merged_referral_answers_with_the_request_it_lives_on_in(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    kept = client.post(
        "/api/v1/requests", json=referral_body(world), headers=_headers(secret, "kept-one")
    ).get_json()["reference"]
    body = referral_body(world, needs=["smartphone"])
    first = client.post("/api/v1/requests", json=body, headers=_headers(secret, "merged-one"))
    assert first.status_code == 201
    assert _merge(app, world, first.get_json()["reference"], kept) == kept

    again = client.post("/api/v1/requests", json=body, headers=_headers(secret, "merged-one"))
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["reference"] == kept
    assert again.headers["Location"].endswith(f"/api/v1/requests/{kept}")
    assert client.get(again.headers["Location"], headers=_headers(secret, "-")).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 2


def test_a_repeat_of_a_referral_merged_into_a_request_the_partner_cannot_see_says_so(
    app, client, world
):
    secret = token_for(app, world, partner_id=world.partner_id)
    body = referral_body(world)
    first = client.post("/api/v1/requests", json=body, headers=_headers(secret, "into-public"))
    reference = first.get_json()["reference"]
    public = _merge(app, world, reference)

    for language, words in (("en", "was merged"), ("fr", "fusionnée")):
        again = client.post(
            "/api/v1/requests", json=body, headers=_headers(secret, "into-public", language)
        )
        assert again.status_code == 410
        assert again.content_type == "application/problem+json"
        problem = again.get_json()
        assert problem["code"] == "merged"
        assert problem["type"].endswith("/gone")
        assert reference in problem["detail"] and words in problem["detail"]
        assert public not in again.get_data(as_text=True)  # another's request stays unseen
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 2


def test_a_key_kept_from_before_bodies_were_compared_is_answered_with_its_request(
    app, client, world
):
    """Such a key has no digest of its body: the repeat is answered as it was when the key
    was stored, with the first call's request, rather than refused or failing."""
    secret = token_for(app, world, partner_id=world.partner_id)
    body = referral_body(world)
    first = client.post("/api/v1/requests", json=body, headers=_headers(secret, "before-digests"))
    with app.app_context():
        db.session.execute(sa.update(FormSubmission).values(fingerprint=None))
        db.session.commit()
        [kept] = db.session.scalars(sa.select(FormSubmission)).all()
        assert kept.target == first.headers["Location"]

    again = client.post("/api/v1/requests", json=body, headers=_headers(secret, "before-digests"))
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["reference"] == first.get_json()["reference"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 1
