"""A post with no rows at all (a forged form, a broken proxy) is refused: it never reads
as "no time free this week", which would erase every time slot."""

from __future__ import annotations

import pytest

from scheduler.core.extensions import db
from scheduler.models import Role
from scheduler.models import Volunteer

from .factories import text_of
from .factories import week_form
from .factories import windows_of


@pytest.mark.parametrize("data", [{}, {"csrf_token": "x"}, {"windows": ""}, {"add_row": ""}])
def test_a_bare_post_keeps_every_time_slot(app, client, auth, world, data):
    with app.app_context():
        before = windows_of(db.session.get(Volunteer, world.volunteer_id))
    assert before
    auth.login_as(Role.VOLUNTEER)
    response = client.post("/me/availability", data=data)
    assert response.status_code == 400
    assert "rien n'a été changé" in text_of(response.get_data(as_text=True))
    with app.app_context():
        assert windows_of(db.session.get(Volunteer, world.volunteer_id)) == before


def test_a_dispatchers_bare_post_keeps_every_time_slot(app, client, auth, world):
    with app.app_context():
        before = windows_of(db.session.get(Volunteer, world.volunteer_id))
    auth.login_as(Role.DISPATCHER)
    response = client.post(f"/dispatch/volunteers/{world.volunteer_id}/availability", data={})
    assert response.status_code == 400
    with app.app_context():
        assert windows_of(db.session.get(Volunteer, world.volunteer_id)) == before


def test_blank_rows_still_clear_the_week_on_purpose(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post("/me/availability", data=week_form((1, "09:00", "12:00", "remove")))
    assert response.status_code == 302
    with app.app_context():
        assert windows_of(db.session.get(Volunteer, world.volunteer_id)) == []


@pytest.mark.parametrize(
    ("weekday", "french"),
    [("9", "Le nombre doit être compris entre 0 et 6."), ("", "Ce champ est requis.")],
)
def test_a_tampered_weekday_is_refused_in_the_pages_language(
    app, client, auth, world, weekday, french
):
    auth.login_as(Role.VOLUNTEER)
    data = week_form((1, "09:00", "12:00"))
    data["windows-0-weekday"] = weekday
    response = client.post("/me/availability", data=data)
    text = text_of(response.get_data(as_text=True))
    assert response.status_code == 400
    assert french in text
    assert "Number must be between" not in text
    assert "This field is required." not in text
