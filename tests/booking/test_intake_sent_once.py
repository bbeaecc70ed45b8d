"""The phone intake sent twice (a double click, back then send again) makes one request."""

from __future__ import annotations

import re

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import FormSubmission
from scheduler.models import Role

from .builders import all_requests
from .test_intake import intake_answers


def once_key(page: str) -> str:
    found = re.search(r'name="once" value="([^"]+)"', page)
    assert found, "the form carries a one-use key"
    return found.group(1)


def test_phone_intake_sent_twice_creates_one_request(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    key = once_key(client.get("/dispatch/intake").get_data(as_text=True))
    data = intake_answers(world, once=key)
    first = client.post("/dispatch/intake", data=data)
    assert first.status_code == 303
    [stored] = all_requests(app)
    again = client.post("/dispatch/intake", data=data)
    assert again.status_code == 303
    # Taken to the request the first sending made, told in words.
    assert again.headers["Location"].endswith(f"/dispatch/requests/{stored.id}")
    assert len(all_requests(app)) == 1
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Ce formulaire a déjà été envoyé" in page


def test_a_refused_intake_keeps_its_key_usable_once_corrected(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    key = once_key(client.get("/dispatch/intake").get_data(as_text=True))
    refused = client.post("/dispatch/intake", data=intake_answers(world, once=key, phone="12"))
    assert refused.status_code == 400
    # The page shown again carries a fresh key; the old one was not used up either.
    assert once_key(refused.get_data(as_text=True)) != key
    assert client.post("/dispatch/intake", data=intake_answers(world, once=key)).status_code == 303
    assert len(all_requests(app)) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(FormSubmission.id))) == 1


def test_a_forged_key_is_refused_without_creating(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    response = client.post("/dispatch/intake", data=intake_answers(world, once="<script>"))
    assert response.status_code == 400
    assert all_requests(app) == []
