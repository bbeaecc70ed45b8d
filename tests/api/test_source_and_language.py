"""A request created through the API with a staff token records where it came from, and
problem details speak the caller's Accept-Language (French or English), while ``title``
and ``type`` stay the same for programs."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import HelpRequest
from scheduler.models import Role
from scheduler.models import Source

from .builders import referral_body
from .builders import token_for


def _bearer(secret: str, language: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {secret}"}
    if language:
        headers["Accept-Language"] = language
    return headers


def test_a_staff_token_request_is_recorded_as_coming_from_the_api(app, client, auth, world):
    secret = token_for(app, world)
    created = client.post("/api/v1/requests", json=referral_body(world), headers=_bearer(secret))
    assert created.status_code == 201, created.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(sa.select(HelpRequest))
        assert stored.source is Source.API
        request_id = stored.id
    auth.login_as(Role.DISPATCHER)
    page = client.get(f"/dispatch/requests/{request_id}").get_data(as_text=True)
    assert "Logiciel de l&#39;organisme (API)" in page or "Logiciel de l'organisme (API)" in page


def test_a_partner_token_request_stays_a_partner_referral(app, client, world):
    secret = token_for(app, world, partner_id=world.partner_id)
    created = client.post("/api/v1/requests", json=referral_body(world), headers=_bearer(secret))
    assert created.status_code == 201
    with app.app_context():
        assert db.session.scalar(sa.select(HelpRequest.source)) is Source.PARTNER


@pytest.mark.parametrize(
    ("call", "status", "english", "french"),
    [
        (
            lambda c, h: c.get("/api/v1/requests/NOPE-1", headers=h),
            404,
            "No request of this reference.",
            "Aucune demande ne porte ce numéro.",
        ),
        (
            lambda c, h: c.post("/api/v1/requests", json={"mode": "phone"}, headers=h),
            422,
            "Some values are missing or not valid: see errors.",
            "Des valeurs manquent ou ne sont pas valides : voir errors.",
        ),
        (
            lambda c, h: c.get("/api/v1/nowhere", headers=h),
            404,
            "Nothing is found at this address.",
            "Rien ne se trouve à cette adresse.",
        ),
    ],
)
def test_problem_details_speak_the_accept_language(
    app, client, world, call, status, english, french
):
    secret = token_for(app, world)
    plain = call(client, _bearer(secret))
    assert plain.status_code == status and plain.get_json()["detail"] == english
    same = call(client, _bearer(secret, "en-CA,en;q=0.8"))
    assert same.get_json()["detail"] == english
    asked = call(client, _bearer(secret, "fr-CA,fr;q=0.9,en;q=0.5"))
    body = asked.get_json()
    assert asked.status_code == status and body["detail"] == french
    assert asked.headers["Content-Language"].startswith("fr")
    # What programs test does not move with the language.
    for key in ("type", "title", "status"):
        assert body[key] == plain.get_json()[key]


def test_a_missing_token_is_refused_in_french_when_asked(client):
    response = client.get("/api/v1/requests", headers={"Accept-Language": "fr"})
    body = response.get_json()
    assert response.status_code == 401 and body["title"] == "Unauthorized"
    assert body["detail"] == "Envoyez un jeton : Authorization: Bearer <jeton>."


@pytest.mark.parametrize(
    ("language", "required", "choice", "too_long", "unknown", "page"),
    [
        (
            "fr-CA,fr;q=0.9",
            "Ce champ est obligatoire.",
            "Doit être l'une de ces valeurs : ",
            "De 1 à 80 caractères ou éléments.",
            "Champ inconnu.",
            "Doit être entre 1 et 100000.",
        ),
        (
            "en",
            "This field is required.",
            "Must be one of: ",
            "From 1 to 80 characters or items.",
            "Unknown field.",
            "Must be from 1 to 100000.",
        ),
    ],
)
def test_each_fields_message_speaks_the_accept_language(
    app, client, world, language, required, choice, too_long, unknown, page
):
    """Not only ``detail``: each message of ``errors`` follows Accept-Language."""
    secret = token_for(app, world)
    body = referral_body(world, mode="teleport", first_name="x" * 81, surprise=1)
    del body["phone"]
    response = client.post("/api/v1/requests", json=body, headers=_bearer(secret, language))
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert errors["phone"] == [required]
    assert errors["mode"][0].startswith(choice) and "home" in errors["mode"][0]
    assert errors["first_name"] == [too_long]
    assert errors["surprise"] == [unknown]
    response = client.get("/api/v1/requests?page=0", headers=_bearer(secret, language))
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]["page"] == [page]
