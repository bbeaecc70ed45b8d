"""An administrator manages the territory: add, paste several, edit, stop serving."""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Municipality
from scheduler.models import Role
from scheduler.models import Volunteer

from ..people.factories import build_other_organisation


def _names(org_id: int) -> list[str]:
    return sorted(
        db.session.scalars(
            sa.select(Municipality.name).where(Municipality.organisation_id == org_id)
        )
    )


def test_administrator_adds_one_municipality(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    response = client.post(
        "/admin/territory",
        data={"name": "Durham-Sud", "region": "QC", "lat": "45,6333", "lon": "-72.3333"},
    )
    assert response.status_code == 302
    with app.app_context():
        town = db.session.scalars(
            sa.select(Municipality).where(Municipality.name == "Durham-Sud")
        ).one()
        assert (town.region, town.lat, town.lon, town.active) == ("QC", 45.6333, -72.3333, True)
    assert "Durham-Sud" in client.get("/admin/territory").get_data(as_text=True)


def test_a_municipality_already_in_the_territory_or_off_the_map_is_refused(
    app, client, auth, world
):
    auth.login_as(Role.ADMIN)
    duplicate = client.post(
        "/admin/territory", data={"name": "wickham", "region": "QC", "lat": "45", "lon": "-72"}
    )
    assert duplicate.status_code == 400
    assert "Cette municipalité fait déjà partie du territoire." in duplicate.get_data(as_text=True)
    off_map = client.post(
        "/admin/territory", data={"name": "Nulle part", "region": "", "lat": "91", "lon": "-72"}
    )
    page = off_map.get_data(as_text=True)
    assert off_map.status_code == 400
    assert 'id="lat-error"' in page and 'value="Nulle part"' in page
    with app.app_context():
        assert len(_names(world.org_id)) == 3


def test_pasted_lines_add_several_municipalities(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    response = client.post(
        "/admin/territory/import",
        data={
            "lines": "name,region,lat,lon\r\n"
            "Durham-Sud,QC,45.6333,-72.3333\r\n"
            '"Saint-Lucien, village",QC,45.8667,-72.2667\r\n'
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert "Durham-Sud" in _names(world.org_id)
        assert "Saint-Lucien, village" in _names(world.org_id)
    page = client.get("/admin/territory").get_data(as_text=True)
    assert "2 municipalités ajoutées." in page


def test_a_bad_pasted_line_is_reported_by_its_number_and_nothing_is_added(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    lines = (
        "Durham-Sud,QC,45.6333,-72.3333\nLefebvre,QC,quarante-cinq,-72.4\nWickham,QC,45.75,-72.5"
    )
    response = client.post("/admin/territory/import", data={"lines": lines})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ligne 2 (Lefebvre,QC,quarante-cinq,-72.4) : la latitude doit être un nombre" in page
    assert "Ligne 3 (Wickham,QC,45.75,-72.5) : cette municipalité fait déjà partie" in page
    assert "Ligne 1" not in page
    assert "Durham-Sud,QC,45.6333,-72.3333" in page  # the paste is kept to correct it
    with app.app_context():
        assert "Durham-Sud" not in _names(world.org_id)


def test_stopping_to_serve_a_municipality_keeps_it_and_its_links(app, client, auth, world):
    wickham = world.municipality_ids["Wickham"]
    with app.app_context():
        db.session.get(Volunteer, world.volunteer_id).home_municipality_id = wickham
        db.session.commit()
    auth.login_as(Role.ADMIN)
    response = client.post(f"/admin/territory/{wickham}/active", data={"active": "0"})
    assert response.status_code == 302
    with app.app_context():
        town = db.session.get(Municipality, wickham)
        assert town is not None and not town.active
        assert db.session.get(Volunteer, world.volunteer_id).home_municipality_id == wickham
    # It is no longer offered for a new volunteer, but stays on the one who lives there.
    new_page = client.get("/dispatch/volunteers/new").get_data(as_text=True)
    assert f'<option value="{wickham}">' not in new_page
    edit_page = client.get(f"/dispatch/volunteers/{world.volunteer_id}/edit").get_data(as_text=True)
    assert f'value="{wickham}"' in edit_page
    client.post(f"/admin/territory/{wickham}/active", data={"active": "1"})
    with app.app_context():
        assert db.session.get(Municipality, wickham).active


def test_administrator_edits_a_municipality(app, client, auth, world):
    town_id = world.municipality_ids["L'Avenir"]
    auth.login_as(Role.ADMIN)
    assert "L&#39;Avenir" in client.get(f"/admin/territory/{town_id}").get_data(as_text=True)
    response = client.post(
        f"/admin/territory/{town_id}",
        data={
            "name": "L'Avenir",
            "region": "Centre-du-Québec",
            "lat": "45.77",
            "lon": "-72.3",
            "active": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Municipality, town_id).region == "Centre-du-Québec"
    taken = client.post(
        f"/admin/territory/{town_id}",
        data={"name": "Wickham", "lat": "45.77", "lon": "-72.3", "active": "y"},
    )
    assert taken.status_code == 400


def test_another_organisations_municipality_is_not_found(app, client, auth, world):
    with app.app_context():
        other = build_other_organisation(db.session)
    auth.login_as(Role.ADMIN)
    assert client.get(f"/admin/territory/{other.municipality_id}").status_code == 404
    response = client.post(f"/admin/territory/{other.municipality_id}/active", data={"active": "0"})
    assert response.status_code == 404
    assert "Lyon" not in client.get("/admin/territory").get_data(as_text=True)


def test_the_same_municipality_added_twice_at_once_is_refused_in_words(
    app, client, auth, world, monkeypatch
):
    """A double click on Add or Import: both requests find the name free, and the second
    insert meets the first one's row. It says the municipality is already there."""
    from scheduler.organisation import territory

    real = territory._existing_names
    calls: list[int] = []

    def blind_first(*args, **kwargs):
        calls.append(1)
        return set() if len(calls) == 1 else real(*args, **kwargs)

    auth.login_as(Role.ADMIN)
    monkeypatch.setattr(territory, "_existing_names", blind_first)
    again = client.post(
        "/admin/territory", data={"name": "Wickham", "region": "QC", "lat": "45.75", "lon": "-72.5"}
    )
    assert again.status_code == 400
    assert "Cette municipalité fait déjà partie du territoire." in again.get_data(as_text=True)
    calls.clear()
    pasted = client.post("/admin/territory/import", data={"lines": "Wickham,QC,45.75,-72.5"})
    assert pasted.status_code == 400
    assert "Ligne 1 (Wickham,QC,45.75,-72.5) : cette municipalité fait déjà partie" in (
        pasted.get_data(as_text=True)
    )
    with app.app_context():
        assert len(_names(world.org_id)) == 3
