"""A volunteer changes their own week, days off and limits, and nobody else's."""

from __future__ import annotations

import re
from datetime import date
from datetime import time
from datetime import timedelta

from scheduler.core.extensions import db
from scheduler.models import Role
from scheduler.models import Volunteer

from .factories import text_of
from .factories import week_form
from .factories import windows_of


def _me(app, world) -> Volunteer:
    return db.session.get(Volunteer, world.volunteer_id)


def test_volunteer_saves_several_time_slots_on_the_same_day(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post(
        "/me/availability",
        data=week_form(
            (0, "09:00", "12:00"),
            (0, "13:00", "16:00"),
            (2, "9:30", "11:00"),
            (4, "", ""),  # a blank row is ignored
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me")
    with app.app_context():
        assert windows_of(_me(app, world)) == [
            (0, time(9), time(12)),
            (0, time(13), time(16)),
            (2, time(9, 30), time(11)),
        ]
    page = client.get("/me").get_data(as_text=True)
    assert "Lundi 9 h à 12 h, 13 h à 16 h" in text_of(page)
    assert "En tout : 7,5 h par semaine." in page


def test_week_editor_shows_saved_slots_and_a_blank_row_under_every_day(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    page = client.get("/me/availability").get_data(as_text=True)
    # Tuesday 9:00–12:00 from the world, then one blank row per day.
    assert 'name="windows-0-starts" step="300" type="time" value="09:00"' in page
    assert len(re.findall(r'name="windows-\d+-weekday"', page)) == 8
    for day in ("Lundi", "Mardi", "Dimanche"):
        assert f'<legend class="day__name">{day}</legend>' in page


def test_end_before_start_is_refused_beside_the_row_and_every_row_is_kept(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post(
        "/me/availability",
        data=week_form((0, "09:00", "12:00"), (3, "16:00", "14:00"), (3, "", "")),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<p class="field__error" id="windows-1-error">' in page
    assert "La fin doit être après le début." in page
    assert 'aria-describedby="windows-1-error"' in page
    assert 'href="#windows-1-starts">Jeudi, plage 1' in page  # the error summary
    assert 'value="16:00"' in page and 'value="14:00"' in page and 'value="12:00"' in page
    with app.app_context():
        assert windows_of(_me(app, world)) == [(1, time(9), time(12))]  # unchanged


def test_overlapping_slots_are_refused_naming_the_other_slot(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post(
        "/me/availability",
        data=week_form((1, "09:00", "12:00"), (1, "11:00", "13:00")),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="windows-1-error">(.*?)</p>', page, re.S).group(1)
    assert "chevauche" in error and "(9 h à 12 h)" in text_of(error)
    assert 'id="windows-0-error"' not in page
    with app.app_context():
        assert windows_of(_me(app, world)) == [(1, time(9), time(12))]


def test_touching_slots_are_not_an_overlap(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post(
        "/me/availability", data=week_form((1, "09:00", "12:00"), (1, "12:00", "13:00"))
    )
    assert response.status_code == 302


def test_a_slot_with_only_one_time_is_refused(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post("/me/availability", data=week_form((1, "09:00", "")))
    assert response.status_code == 400
    assert "Entrez une heure de début et une heure de fin." in response.get_data(as_text=True)


def test_add_a_row_shows_one_more_row_for_that_day_without_saving(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    data = week_form((1, "09:00", "12:00"), (1, "13:00", "15:00"))
    data["add_row"] = "1"
    response = client.post("/me/availability", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="windows-2-weekday" type="hidden" value="1"' in page
    assert 'value="13:00"' in page and 'value="15:00"' in page  # typed rows kept
    with app.app_context():
        assert windows_of(_me(app, world)) == [(1, time(9), time(12))]  # nothing saved yet


def test_add_a_row_refuses_an_unknown_day(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    assert client.post("/me/availability", data={"add_row": "9"}).status_code == 400


def test_ticking_remove_deletes_the_slot(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    data = week_form((1, "09:00", "12:00", "remove"), (4, "10:00", "11:00"))
    assert client.post("/me/availability", data=data).status_code == 302
    with app.app_context():
        assert windows_of(_me(app, world)) == [(4, time(10), time(11))]


def test_a_tampered_weekday_is_refused(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post("/me/availability", data=week_form((8, "09:00", "10:00")))
    assert response.status_code == 400


def test_volunteer_adds_and_removes_their_days_off(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    first = date.today() + timedelta(days=10)
    last = first + timedelta(days=4)
    response = client.post(
        "/me/absences",
        data={"first_day": first.isoformat(), "last_day": last.isoformat(), "note": "Voyage"},
    )
    assert response.status_code == 302
    with app.app_context():
        absences = _me(app, world).absences
        assert [(a.first_day, a.last_day, a.note) for a in absences] == [(first, last, "Voyage")]
        absence_id = absences[0].id
    page = client.get("/me/absences").get_data(as_text=True)
    assert "Voyage" in page
    assert client.post(f"/me/absences/{absence_id}/remove").status_code == 302
    with app.app_context():
        assert _me(app, world).absences == []


def test_a_single_day_off_needs_no_last_day(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    day = date.today() + timedelta(days=3)
    client.post("/me/absences", data={"first_day": day.isoformat()})
    with app.app_context():
        assert [(a.first_day, a.last_day) for a in _me(app, world).absences] == [(day, day)]


def test_days_off_in_the_wrong_order_are_refused_and_kept(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    first = date.today() + timedelta(days=10)
    response = client.post(
        "/me/absences",
        data={
            "first_day": first.isoformat(),
            "last_day": (first - timedelta(days=2)).isoformat(),
            "note": "Chalet",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Le dernier jour ne peut pas précéder le premier." in page
    assert f'value="{first.isoformat()}"' in page and 'value="Chalet"' in page
    with app.app_context():
        assert _me(app, world).absences == []


def test_days_off_already_over_are_refused(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    past = date.today() - timedelta(days=30)
    response = client.post("/me/absences", data={"first_day": past.isoformat()})
    assert response.status_code == 400
    assert "Ces jours sont déjà passés." in response.get_data(as_text=True)


def test_past_days_off_are_folded_away(app, client, auth, world):
    from scheduler.models import Absence

    with app.app_context():
        volunteer = _me(app, world)
        volunteer.absences = [
            Absence(first_day=date(2020, 5, 1), last_day=date(2020, 5, 3), note="Ancien"),
            Absence(
                first_day=date.today() + timedelta(days=60),
                last_day=date.today() + timedelta(days=61),
                note="Bientôt",
            ),
        ]
        db.session.commit()
    auth.login_as(Role.VOLUNTEER)
    page = client.get("/me/absences").get_data(as_text=True)
    details = page[page.index('<details class="past-absences">') :]
    assert "1 absence passée" in details and "Ancien" in details
    assert "Bientôt" in page[: page.index('<details class="past-absences">')]
    assert "Ancien" not in client.get("/me").get_data(as_text=True)


def test_volunteer_sets_their_limits_and_languages(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post(
        "/me/limits",
        data={
            "has_car": "no",
            "walking_km": "2,5",
            "max_km_per_day": "",
            "max_road_min_per_day": "90",
            "max_visits_per_day": "3",
            "max_visits_per_week": "6",
            "max_work_hours_per_week": "7.5",
            "languages": ["fr", "es"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        v = _me(app, world)
        assert (v.has_car, v.walking_km, v.max_km_per_day, v.max_road_min_per_day) == (
            False,
            2.5,
            None,
            90,
        )
        assert (v.max_visits_per_day, v.max_visits_per_week, v.max_work_min_per_week) == (
            3,
            6,
            450,
        )
        assert v.languages == ["fr", "es"]
    page = client.get("/me").get_data(as_text=True)
    assert "Au plus 3 visites par jour." in page
    assert "Au plus 7,5 h d'aide par semaine." in page
    assert "Espagnol" in page


def test_limits_out_of_range_are_refused_beside_the_field_and_kept(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post(
        "/me/limits",
        data={
            "has_car": "yes",
            "walking_km": "-1",
            "max_km_per_day": "5000",
            "max_visits_per_day": "deux",
            "languages": ["fr"],
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="walking_km-error"' in page and 'id="max_km_per_day-error"' in page
    assert 'id="max_visits_per_day-error"' in page
    assert 'value="-1"' in page and 'value="5000"' in page and 'value="deux"' in page
    with app.app_context():
        assert _me(app, world).max_km_per_day is None


def test_more_visits_a_day_than_a_week_is_refused(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post(
        "/me/limits",
        data={
            "has_car": "yes",
            "walking_km": "2",
            "max_visits_per_day": "5",
            "max_visits_per_week": "3",
            "languages": ["fr"],
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="max_visits_per_week-error"' in page


def test_a_volunteer_needs_at_least_one_language(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    response = client.post("/me/limits", data={"has_car": "yes", "walking_km": "2"})
    assert response.status_code == 400
    assert "Choisissez au moins une langue." in response.get_data(as_text=True)


def test_self_service_changes_only_the_signed_in_volunteer(app, client, auth, world):
    with app.app_context():
        other_before = windows_of(db.session.get(Volunteer, world.other_volunteer_id))
    auth.login_as(Role.VOLUNTEER)
    client.post("/me/availability", data=week_form((6, "10:00", "11:00")))
    client.post("/me/limits", data={"has_car": "no", "walking_km": "1", "languages": ["en"]})
    with app.app_context():
        other = db.session.get(Volunteer, world.other_volunteer_id)
        assert windows_of(other) == other_before
        assert other.languages == ["ar", "fr"]
        assert windows_of(_me(app, world)) == [(6, time(10), time(11))]


def test_removing_time_slots_over_planned_visits_warns_and_asks_to_confirm(
    app, client, auth, world
):
    from datetime import UTC
    from datetime import datetime

    from scheduler.models import utcnow

    from ..messages.builders import booked

    now = utcnow()
    # A visit next Tuesday at 14:00 UTC: 9:00 or 10:00 in Drummondville, for an hour and a
    # half, inside the volunteer's Tuesday 9-12 in winter and in summer.
    days = (1 - now.weekday()) % 7 or 7
    tuesday = datetime.combine(now.date() + timedelta(days=days), time(14), UTC)
    with app.app_context():
        booked(db.session, world, starts=tuesday, now=now)
        before = windows_of(_me(app, world))
    assert (1, time(9), time(12)) in before
    auth.login_as(Role.VOLUNTEER)
    week = week_form((1, "09:00", "12:00", "remove"), (3, "09:00", "12:00"))

    warned = client.post("/me/availability", data=week)
    text = text_of(warned.get_data(as_text=True))
    assert warned.status_code == 200
    assert "1 visite prévue" in text and "quelqu'un d'autre" in text
    with app.app_context():
        assert windows_of(_me(app, world)) == before  # nothing saved yet
    confirm = re.search(r'name="confirm"[^>]*value="([^"]*)"', warned.get_data(as_text=True))
    assert confirm and confirm.group(1)

    saved = client.post("/me/availability", data={**week, "confirm": confirm.group(1)})
    assert saved.status_code == 302
    with app.app_context():
        assert windows_of(_me(app, world)) == [(3, time(9), time(12))]
