"""A person's double tap on "Enrol" (or back, then send again) enrols them once and shows
their place both times, instead of "you are already enrolled" without their private link."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Enrolment

from .builders import make_series


def _once(page: str) -> str:
    match = re.search(r'name="once" value="([^"]+)"', page)
    assert match is not None, "the enrolment form carries no one-use key"
    return match.group(1)


def test_the_same_enrolment_form_sent_twice_shows_the_same_place(app, client, world):
    with app.app_context():
        first = datetime.now(UTC) + timedelta(days=7)
        series_id = make_series(db.session, world, first=first).id
    form = client.get(f"/ask/workshop/{series_id}").get_data(as_text=True)
    answers = {"first_name": "Ana", "phone": "819 555-0111", "consent": "1", "once": _once(form)}
    joined = client.post(f"/ask/workshop/{series_id}", data=answers)
    again = client.post(f"/ask/workshop/{series_id}", data=answers)
    assert joined.status_code == again.status_code == 303
    assert again.headers["Location"] == joined.headers["Location"]
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "déjà été envoyé" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1
    # A new form (another person on the same computer, or the same person later) is
    # still told plainly that this phone number is already enrolled.
    other = client.get(f"/ask/workshop/{series_id}").get_data(as_text=True)
    refused = client.post(f"/ask/workshop/{series_id}", data={**answers, "once": _once(other)})
    assert refused.status_code == 400
    assert "déjà inscrit" in refused.get_data(as_text=True)


def test_a_too_long_name_is_asked_shorter_and_kept_as_typed(app, client, world):
    """Not "write your first name" to someone who wrote one: how long it may be, how long
    it is, with the whole of what was typed back in the field."""
    with app.app_context():
        first = datetime.now(UTC) + timedelta(days=7)
        series_id = make_series(db.session, world, first=first).id
    name = "Marie-" + "é" * 300
    answers = {"first_name": name, "phone": "819 555-0111", "consent": "1"}
    refused = client.post(f"/ask/workshop/{series_id}", data=answers)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Écrivez votre prénom" not in page
    assert "80 caractères ou moins (il en a 306)" in page
    assert f'value="{name}"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0
