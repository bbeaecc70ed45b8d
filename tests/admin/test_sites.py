"""An administrator manages sites and their weekly drop-in opening hours."""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Role
from scheduler.models import Site

from ..people.factories import build_other_organisation
from ..people.factories import text_of


def site_form(world, *openings: tuple, **overrides: str) -> dict[str, str]:
    data = {
        "name": "Bibliothèque Côme-Saint-Germain",
        "address": "425, rue des Forges",
        "municipality_id": str(world.municipality_ids["Drummondville"]),
        "lat": "45.8821",
        "lon": "-72.4842",
        "workstations": "4",
        "access_notes": "Ascenseur à droite",
        "active": "y",
    }
    for index, row in enumerate(openings):
        for key, value in zip(
            ("weekday", "starts", "ends", "volunteers_needed", "visitors_per_hour", "remove"),
            row,
            strict=False,
        ):
            data[f"openings-{index}-{key}"] = str(value)
    data.update(overrides)
    return data


def _site(name: str) -> Site:
    return db.session.scalars(sa.select(Site).where(Site.name == name)).one()


def test_administrator_adds_a_site_with_its_opening_hours(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    assert client.get("/admin/sites/new").status_code == 200
    response = client.post(
        "/admin/sites/new",
        data=site_form(
            world, (1, "9:00", "10:00", 2, 3), (3, "13:30", "15:30", 1, ""), (0, "", "", "", "")
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        site = _site("Bibliothèque Côme-Saint-Germain")
        assert (site.lat, site.lon, site.workstations, site.access_notes) == (
            45.8821,
            -72.4842,
            4,
            "Ascenseur à droite",
        )
        assert [
            (o.weekday, o.starts, o.ends, o.volunteers_needed, o.visitors_per_hour)
            for o in site.openings
        ] == [(1, time(9), time(10), 2, 3), (3, time(13, 30), time(15, 30), 1, None)]
    page = client.get("/admin/sites").get_data(as_text=True)
    assert "Mardi 9 h à 10 h · 2 bénévoles" in text_of(page)


def test_site_without_coordinates_uses_the_municipality_centre(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    data = site_form(world, lat="", lon="")
    assert client.post("/admin/sites/new", data=data).status_code == 302
    with app.app_context():
        site = _site("Bibliothèque Côme-Saint-Germain")
        assert (site.lat, site.lon) == (45.8833, -72.4833)
    data = site_form(world, lat="", lon="", municipality_id="", name="Nulle part")
    response = client.post("/admin/sites/new", data=data)
    assert response.status_code == 400
    assert "Entrez les coordonnées ou choisissez une municipalité." in response.get_data(
        as_text=True
    )


def test_overlapping_openings_are_refused_beside_the_row(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    response = client.post(
        f"/admin/sites/{world.site_id}",
        data=site_form(world, (1, "9:00", "11:00", 2, 3), (1, "10:00", "12:00", 1, 3)),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="openings-1-error"' in page and "chevauche" in page
    assert 'value="Bibliothèque Côme-Saint-Germain"' in page  # what was typed is kept
    with app.app_context():
        site = db.session.get(Site, world.site_id)
        assert site.name == "Local Brock" and len(site.openings) == 1


def test_an_opening_needs_at_least_one_volunteer(client, auth, world):
    auth.login_as(Role.ADMIN)
    response = client.post(
        f"/admin/sites/{world.site_id}", data=site_form(world, (2, "9:00", "10:00", 0, 3))
    )
    assert response.status_code == 400
    assert "Entrez le nombre de bénévoles requis, de 1 à 20." in response.get_data(as_text=True)


def test_administrator_edits_a_site_and_removes_an_opening(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    page = client.get(f"/admin/sites/{world.site_id}").get_data(as_text=True)
    assert 'value="Local Brock"' in page and 'value="09:00"' in page
    response = client.post(
        f"/admin/sites/{world.site_id}",
        data=site_form(
            world, (1, "9:00", "10:00", 2, "", "y"), (4, "18:00", "20:00", 3, 6), active=""
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        site = db.session.get(Site, world.site_id)
        assert not site.active
        assert [(o.weekday, o.starts, o.volunteers_needed) for o in site.openings] == [
            (4, time(18), 3)
        ]


def test_add_rows_keeps_what_was_typed_and_saves_nothing(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    data = site_form(world, (5, "10:00", "12:00", 2, 4))
    data["add_rows"] = "1"
    response = client.post(f"/admin/sites/{world.site_id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="openings-2-starts"' in page and 'value="10:00"' in page
    with app.app_context():
        assert db.session.get(Site, world.site_id).name == "Local Brock"


def test_a_site_of_another_organisation_is_not_found(app, client, auth, world):
    with app.app_context():
        other = build_other_organisation(db.session)
    auth.login_as(Role.ADMIN)
    assert client.get(f"/admin/sites/{other.site_id}").status_code == 404
    assert client.post(f"/admin/sites/{other.site_id}", data=site_form(world)).status_code == 404
    assert "Local Lyon" not in client.get("/admin/sites").get_data(as_text=True)
