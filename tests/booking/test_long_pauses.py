"""A person who leaves a screen of the public form open for hours (a phone call, a nap, a
neighbour to ask) loses nothing they typed on it.

After 4 hours the screen's form token has expired, and after 2 the draft holding the
earlier screens' answers is erased (for their privacy, by design). Sending the screen
then shows it again with what was typed and a sentence saying so; sent again, its answers
are kept while the earlier questions are asked again.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import flask_wtf.csrf
import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from scheduler.core.extensions import db
from scheduler.models import BookingDraft
from scheduler.models import Enrolment
from scheduler.models import HelpRequest
from scheduler.models import Organisation

from ..builders import make_request
from ..workshops.builders import make_series
from ..workshops.test_pages import soon
from .builders import app_with_world
from .builders import input_value
from .builders import is_checked
from .builders import plain
from .builders import step_data
from .builders import walk

ADDRESS = "7, rang des Érables"
#: What the screen says when it comes back after its token expired, by language.
EXPIRED = {
    "fr": "Cette page est restée ouverte longtemps",
    "en": "This page stayed open a long time",
    "es": "Esta página estuvo abierta mucho tiempo",
    "pt": "Esta página ficou aberta muito tempo",
    "ar": "بقيت هذه الصفحة مفتوحة مدة طويلة",
}


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None, "no form token on the page"
    return found.group(1)


class _FiveHoursAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 5 * 3600


class _OldTokens(URLSafeTimedSerializer):
    """Form tokens signed five hours ago (the session cookie keeps the real time)."""

    default_signer = _FiveHoursAgo


def _open_then_leave(client, monkeypatch, url: str) -> str:
    """The page at ``url`` as opened five hours ago."""
    with monkeypatch.context() as patched:
        patched.setattr(flask_wtf.csrf, "URLSafeTimedSerializer", _OldTokens)
        return str(client.get(url).get_data(as_text=True))


def _age_drafts(app, hours: float) -> None:
    with app.app_context():
        for draft in db.session.scalars(sa.select(BookingDraft)):
            draft.updated_at = draft.updated_at - timedelta(hours=hours)
        db.session.commit()


def _walk_with_tokens(client, world, until: str, **changes) -> str:
    """As :func:`walk`, each screen sent with the token of its own page."""
    page = client.get("/").get_data(as_text=True)
    for step in ("how", "what", "where", "when", "contact"):
        if step == until:
            break
        data = {**step_data(world, step, **changes), "csrf_token": _token(page)}
        response = client.post(f"/ask/{step}", data=data)
        assert response.status_code == 303, step
        page = client.get(response.headers["Location"]).get_data(as_text=True)
    return page


@pytest.fixture
def guarded(make_app):
    """The application as it runs: form tokens checked, for 4 hours."""
    return app_with_world(make_app, WTF_CSRF_ENABLED=True)


@pytest.mark.parametrize("language", sorted(EXPIRED))
def test_a_screen_sent_after_its_token_expired_comes_back_with_what_was_typed(
    guarded, monkeypatch, language
):
    app, world = guarded
    client = app.test_client()
    client.get(f"/language/{language}?next=/")
    _walk_with_tokens(client, world, "what")
    # The "what" screen is opened, then left for five hours.
    old_page = _open_then_leave(client, monkeypatch, "/ask/what")
    _age_drafts(app, 5)

    details = "Mon petit-fils m'a créé un compte & je ne sais plus le mot de passe"
    response = client.post(
        "/ask/what",
        data={"needs": ["email"], "need_details": details, "csrf_token": _token(old_page)},
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert EXPIRED[language] in plain(page)
    assert details in plain(page)
    assert is_checked(page, "needs", "email")
    assert _token(page) != _token(old_page)


def test_a_screen_sent_again_after_the_draft_was_erased_keeps_its_answers(guarded, monkeypatch):
    """The draft is gone after the pause: the screen's answers start a new one, and the
    person is asked the earlier questions again, then finds the screen filled in."""
    app, world = guarded
    client = app.test_client()
    _walk_with_tokens(client, world, "where")
    old_page = _open_then_leave(client, monkeypatch, "/ask/where")
    _age_drafts(app, 5)
    typed = {**step_data(world, "where", address=ADDRESS)}

    again = client.post("/ask/where", data={**typed, "csrf_token": _token(old_page)})
    assert again.status_code == 400
    # The address is shown again even though the draft saying "at home" is gone.
    assert input_value(again.get_data(as_text=True), "address") == ADDRESS

    sent = client.post(
        "/ask/where", data={**typed, "csrf_token": _token(again.get_data(as_text=True))}
    )
    assert sent.status_code == 303
    first = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Ce que vous avez écrit sur la dernière page est gardé" in plain(first)
    page = _walk_with_tokens(client, world, "where")
    assert input_value(page, "address") == ADDRESS


def test_a_screen_sent_after_a_long_pause_keeps_its_answers_when_the_draft_is_gone(
    app, client, world
):
    """Three hours: the form token still holds, the draft does not. The screen's answers
    were dropped and the person sent back to the first question without a word."""
    walk(client, world, "where")
    _age_drafts(app, 3)

    response = client.post("/ask/where", data=step_data(world, "where", address=ADDRESS))

    assert response.status_code == 303
    first = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vos réponses ont été effacées après une longue pause" in plain(first)
    assert "Ce que vous avez écrit sur la dernière page est gardé" in plain(first)
    assert input_value(walk(client, world, "where"), "address") == ADDRESS


def test_a_workshop_enrolment_sent_after_its_token_expired_keeps_the_name_and_phone(guarded):
    app, world = guarded
    with app.app_context():
        series_id = make_series(db.session, world, first=soon()).id
    client = app.test_client()
    typed = {"first_name": "Rosalie", "phone": "819 555-0111", "consent": "1"}

    response = client.post(f"/ask/workshop/{series_id}", data={**typed, "csrf_token": "stale"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert EXPIRED["fr"] in plain(page)
    assert input_value(page, "first_name") == "Rosalie"
    assert input_value(page, "phone") == "819 555-0111"
    with app.app_context():
        assert db.session.scalars(sa.select(Enrolment)).first() is None


def test_a_cancellation_sent_after_its_token_expired_keeps_the_reason(guarded):
    app, world = guarded
    with app.app_context():
        request = make_request(db.session, db.session.get(Organisation, world.org_id))
        db.session.commit()
        token, request_id = request.token, request.id
    client = app.test_client()

    response = client.post(
        f"/request/{token}/cancel", data={"reason": "Ma fille m'a aidée", "csrf_token": "x"}
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ma fille m'a aidée" in plain(page)
    assert "expiré" in plain(page)
    with app.app_context():
        assert db.session.get(HelpRequest, request_id).is_open
