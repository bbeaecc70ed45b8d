"""A dispatcher lists, adds and edits volunteers, their week, days off and login."""

from __future__ import annotations

import re
from datetime import date
from datetime import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer

from .factories import build_other_organisation
from .factories import text_of
from .factories import week_form
from .factories import windows_of


def full_profile(world, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Lucía",
        "last_name": "Hernández",
        "phone": "819 555-0123",
        "email": "lucia@example.org",
        "home_address": "12, rue des Érables",
        "home_municipality_id": str(world.municipality_ids["Wickham"]),
        "home_lat": "45,7512",
        "home_lon": "-72.5011",
        "starts_from_site_id": str(world.site_id),
        "languages": ["es", "fr"],
        "skills": ["email", "job_search"],
        "has_car": "yes",
        "walking_km": "1.5",
        "max_km_per_day": "50",
        "max_road_min_per_day": "90",
        "max_visits_per_day": "3",
        "max_visits_per_week": "6",
        "max_work_hours_per_week": "8",
        "notes": "Préfère les après-midi <b>surtout</b>",
        "active": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _by_name(first_name: str) -> Volunteer:
    return db.session.scalars(sa.select(Volunteer).where(Volunteer.first_name == first_name)).one()


def test_dispatcher_adds_a_volunteer_with_every_field(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    assert client.get("/dispatch/volunteers/new").status_code == 200
    response = client.post("/dispatch/volunteers/new", data=full_profile(world))
    assert response.status_code == 302
    with app.app_context():
        v = _by_name("Lucía")
        assert response.headers["Location"].endswith(f"/dispatch/volunteers/{v.id}/availability")
        assert (v.last_name, v.phone, v.email) == ("Hernández", "+18195550123", "lucia@example.org")
        assert v.home_address == "12, rue des Érables"
        assert v.home_municipality_id == world.municipality_ids["Wickham"]
        assert (v.home_lat, v.home_lon, v.home_approximate) == (45.7512, -72.5011, False)
        assert v.starts_from_site_id == world.site_id
        assert v.languages == ["es", "fr"] and v.skills == ["email", "job_search"]
        assert (v.has_car, v.walking_km, v.max_km_per_day, v.max_road_min_per_day) == (
            True,
            1.5,
            50,
            90,
        )
        assert (v.max_visits_per_day, v.max_visits_per_week, v.max_work_min_per_week) == (
            3,
            6,
            480,
        )
        assert v.notes == "Préfère les après-midi <b>surtout</b>" and v.active
        assert v.user is None and v.availability == []
        volunteer_id = v.id
    page = client.get(f"/dispatch/volunteers/{volunteer_id}").get_data(as_text=True)
    assert "&lt;b&gt;surtout&lt;/b&gt;" in page and "<b>surtout</b>" not in page
    assert "(819) 555-0123" in page
    assert "Au lieu : Local Brock" in page


def test_without_coordinates_the_home_is_the_municipality_centre_marked_approximate(
    app, client, auth, world
):
    auth.login_as(Role.DISPATCHER)
    data = full_profile(world, home_lat="", home_lon="", starts_from_site_id="")
    assert client.post("/dispatch/volunteers/new", data=data).status_code == 302
    with app.app_context():
        v = _by_name("Lucía")
        assert (v.home_lat, v.home_lon, v.home_approximate) == (45.75, -72.5, True)
        assert v.starts_from_site_id is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Entrez le prénom."),
        ({"phone": "12"}, "phone", "Entrez un numéro de téléphone qu&#39;on peut appeler."),
        ({"email": "pas-un-courriel"}, "email", "Entrez un courriel, par exemple"),
        ({"home_lat": "95"}, "home_lat", "Une latitude est comprise entre -90 et 90."),
        ({"home_lon": "-200"}, "home_lon", "Une longitude est comprise entre -180 et 180."),
        ({"home_lon": ""}, "home_lon", "Entrez la latitude et la longitude, ou aucune des deux."),
        ({"max_road_min_per_day": "-5"}, "max_road_min_per_day", "Entrez un nombre entier"),
        ({"max_work_hours_per_week": "200"}, "max_work_hours_per_week", "Entrez un nombre d"),
        ({"languages": ["xx"]}, "languages", ""),
        ({"skills": ["cooking"]}, "skills", ""),
        ({"home_municipality_id": "99999"}, "home_municipality_id", ""),
        ({"notes": "x" * 2001}, "notes", ""),
    ],
)
def test_invalid_profile_is_refused_beside_the_field_and_keeps_what_was_typed(
    app, client, auth, world, overrides, field, message
):
    auth.login_as(Role.DISPATCHER)
    response = client.post("/dispatch/volunteers/new", data=full_profile(world, **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert message in page
    assert 'value="Hernández"' in page and 'value="12, rue des Érables"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Volunteer.id))) == 2


def test_a_municipality_of_another_organisation_is_refused(app, client, auth, world):
    with app.app_context():
        other = build_other_organisation(db.session)
    auth.login_as(Role.DISPATCHER)
    data = full_profile(world, home_municipality_id=str(other.municipality_id))
    assert client.post("/dispatch/volunteers/new", data=data).status_code == 400
    data = full_profile(world, starts_from_site_id=str(other.site_id))
    assert client.post("/dispatch/volunteers/new", data=data).status_code == 400


def test_dispatcher_edits_a_profile_and_sees_it_prefilled(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    url = f"/dispatch/volunteers/{world.volunteer_id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Sylvie"' in page and 'value="Tremblay"' in page
    data = full_profile(world, first_name="Sylvie", last_name="Tremblay-Roy", active=None)
    response = client.post(url, data=data)
    assert response.status_code == 302
    with app.app_context():
        v = db.session.get(Volunteer, world.volunteer_id)
        assert v.last_name == "Tremblay-Roy" and not v.active
        assert v.languages == ["es", "fr"]
        assert v.user is not None  # the login stays


def test_list_shows_key_facts_per_volunteer(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    page = client.get("/dispatch/volunteers").get_data(as_text=True)
    row = re.search(r"<tr>\s*<th scope=\"row\">\s*<a [^>]*>Omar Haddad</a>.*?</tr>", page, re.S)
    assert row is not None
    assert "Arabe, Français" in row.group(0)
    assert "Sans auto (2 km)" in row.group(0)
    assert "3 h" in row.group(0)  # Tuesday 9:00–12:00
    assert "2 bénévoles" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Sylvie", "Omar"}),
        ("language=ar", {"Omar"}),
        ("car=yes", {"Sylvie"}),
        ("car=no", {"Omar"}),
        ("skill=email", {"Sylvie", "Omar"}),
        ("skill=job_search", set()),
        ("name=hadd", {"Omar"}),
        ("status=inactive", {"Inès"}),
        ("status=all", {"Sylvie", "Omar", "Inès"}),
        ("municipality={wickham}", {"Inès"} - {"Inès"}),  # Inès is inactive
        ("municipality={wickham}&status=all", {"Inès"}),
        ("language=zz&car=maybe", {"Sylvie", "Omar"}),  # unknown values mean "any"
    ],
)
def test_list_filters(app, client, auth, world, query, expected):
    from scheduler.models import Organisation

    from ..builders import make_volunteer

    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        make_volunteer(
            db.session,
            org,
            first_name="Inès",
            last_name="Roy",
            active=False,
            home_municipality_id=world.municipality_ids["Wickham"],
        )
        db.session.commit()
    auth.login_as(Role.DISPATCHER)
    query = query.format(wickham=world.municipality_ids["Wickham"])
    page = client.get(f"/dispatch/volunteers?{query}").get_data(as_text=True)
    shown = set(re.findall(r'/dispatch/volunteers/\d+">(\w+)', page))
    assert shown == expected


def test_dispatcher_edits_a_volunteers_week_with_the_same_rules(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    url = f"/dispatch/volunteers/{world.other_volunteer_id}/availability"
    assert client.get(url).status_code == 200
    bad = client.post(url, data=week_form((2, "13:00", "17:00"), (2, "14:00", "15:00")))
    assert bad.status_code == 400
    assert "chevauche" in bad.get_data(as_text=True)
    good = client.post(url, data=week_form((2, "13:00", "17:00"), (5, "9:00", "12:00")))
    assert good.status_code == 302
    with app.app_context():
        v = db.session.get(Volunteer, world.other_volunteer_id)
        assert windows_of(v) == [(2, time(13), time(17)), (5, time(9), time(12))]
    page = client.get(f"/dispatch/volunteers/{world.other_volunteer_id}").get_data(as_text=True)
    assert "Mercredi 13 h à 17 h" in text_of(page) and "Samedi 9 h à 12 h" in text_of(page)


def test_dispatcher_adds_and_removes_days_off(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    url = f"/dispatch/volunteers/{world.volunteer_id}/absences"
    first = date.today() + timedelta(days=7)
    assert (
        client.post(url, data={"first_day": first.isoformat(), "note": "Opération"}).status_code
        == 302
    )
    with app.app_context():
        absence = db.session.get(Volunteer, world.volunteer_id).absences[0]
        assert (absence.first_day, absence.last_day, absence.note) == (first, first, "Opération")
    assert "Opération" in client.get(f"/dispatch/volunteers/{world.volunteer_id}").get_data(
        as_text=True
    )
    assert client.post(f"{url}/{absence.id}/remove").status_code == 302
    with app.app_context():
        assert db.session.get(Volunteer, world.volunteer_id).absences == []


def _new_volunteer(app, world, **fields) -> int:
    from scheduler.models import Organisation

    from ..builders import make_volunteer

    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        volunteer = make_volunteer(
            db.session,
            org,
            first_name="Karine",
            last_name="Bergeron",
            email="karine@example.org",
            **fields,
        )
        db.session.commit()
        return volunteer.id


def test_temporary_password_is_shown_once_and_lets_the_volunteer_sign_in(app, client, auth, world):
    volunteer_id = _new_volunteer(app, world)
    auth.login_as(Role.DISPATCHER)
    response = client.post(
        f"/dispatch/volunteers/{volunteer_id}/login",
        data={"login_email": "Karine@Example.org", "password_choice": "temporary"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(r'<span class="secret">([^<]+)</span>', page).group(1)
    assert len(password) >= 10
    assert password not in client.get(f"/dispatch/volunteers/{volunteer_id}").get_data(as_text=True)
    with app.app_context():
        user = db.session.get(Volunteer, volunteer_id).user
        assert (user.email, user.role, user.active) == ("karine@example.org", Role.VOLUNTEER, True)
    auth.logout()
    response = auth.login("karine@example.org", password)
    assert response.headers["Location"].endswith("/me")
    assert "Bonjour Karine" in client.get("/me").get_data(as_text=True)


def test_dispatcher_may_set_the_password_and_it_must_be_long_enough(app, client, auth, world):
    volunteer_id = _new_volunteer(app, world)
    auth.login_as(Role.DISPATCHER)
    url = f"/dispatch/volunteers/{volunteer_id}/login"
    short = client.post(
        url,
        data={
            "login_email": "karine@example.org",
            "password_choice": "chosen",
            "password": "court",
        },
    )
    assert short.status_code == 400
    assert 'id="password-error"' in short.get_data(as_text=True)
    ok = client.post(
        url,
        data={
            "login_email": "karine@example.org",
            "password_choice": "chosen",
            "password": "un mot de passe assez long",
        },
    )
    assert ok.status_code == 302
    auth.logout()
    assert auth.login("karine@example.org", "un mot de passe assez long").status_code == 302


def test_a_login_e_mail_already_taken_is_refused(app, client, auth, world):
    volunteer_id = _new_volunteer(app, world)
    auth.login_as(Role.DISPATCHER)
    response = client.post(
        f"/dispatch/volunteers/{volunteer_id}/login",
        data={"login_email": "dispatch@example.org", "password_choice": "temporary"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="login_email-error"' in page and "Un autre compte utilise déjà ce courriel." in page
    assert 'value="dispatch@example.org"' in page


def test_dispatcher_disables_enables_resets_and_detaches_a_login(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    base = f"/dispatch/volunteers/{world.volunteer_id}/login"
    assert client.post(f"{base}/active", data={"active": "0"}).status_code == 302
    with app.app_context():
        assert not db.session.get(Volunteer, world.volunteer_id).user.active
    assert client.post(f"{base}/active", data={"active": "1"}).status_code == 302
    reset = client.post(f"{base}/password")
    password = re.search(r'<span class="secret">([^<]+)</span>', reset.get_data(as_text=True))
    assert reset.status_code == 200 and password
    assert client.post(f"{base}/unlink").status_code == 302
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        assert volunteer.user is None
        user = db.session.scalars(sa.select(User).where(User.email == "sylvie@example.org")).one()
        assert not user.active
    auth.logout()
    assert auth.login("sylvie@example.org", password.group(1)).status_code == 400
    # Giving a login again with the same e-mail re-attaches the old account.
    auth.login_as(Role.DISPATCHER)
    again = client.post(
        base, data={"login_email": "sylvie@example.org", "password_choice": "temporary"}
    )
    assert again.status_code == 200
    with app.app_context():
        assert db.session.get(Volunteer, world.volunteer_id).user.email == "sylvie@example.org"


def test_a_staff_login_linked_to_a_profile_is_left_to_administrators(app, client, auth, world):
    with app.app_context():
        admin_id = db.session.scalars(sa.select(User.id).where(User.role == Role.ADMIN)).one()
    volunteer_id = _new_volunteer(app, world, user_id=admin_id)
    auth.login_as(Role.DISPATCHER)
    response = client.post(
        f"/dispatch/volunteers/{volunteer_id}/login/active", data={"active": "0"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(User).where(User.role == Role.ADMIN)).one().active
    assert "l&#39;administration qui le gère" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
