"""An administrator gives a municipality its inhabitants and their source; the change is
audited, the observatory divides by it and prints the source beside its map."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import AuditEntry
from scheduler.models import Municipality
from scheduler.models import Role


def _form(town: Municipality, **changes: str) -> dict[str, str]:
    data = {
        "name": town.name,
        "region": town.region or "",
        "lat": str(town.lat),
        "lon": str(town.lon),
        "active": "y",
        "population": "",
        "population_source": "",
    }
    data.update(changes)
    return data


def _town(app, town_id: int) -> Municipality:
    with app.app_context():
        town = db.session.get(Municipality, town_id)
        assert town is not None
        db.session.expunge(town)
        return town


def test_administrator_sets_the_population_and_its_source_and_it_is_audited(
    app, client, auth, world
):
    town_id = world.municipality_ids["Wickham"]
    auth.login_as(Role.ADMIN)
    source = "Statistique Canada, recensement 2021 <CC BY>"
    response = client.post(
        f"/admin/territory/{town_id}",
        data=_form(_town(app, town_id), population="2\u202f600", population_source=source),
    )
    assert response.status_code == 302
    with app.app_context():
        town = db.session.get(Municipality, town_id)
        assert (town.population, town.population_source) == (2600, source)
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "municipality.population")
        ).all()
        assert [(e.target, e.detail["before"], e.detail["after"]) for e in entries] == [
            (f"municipality:{town_id}", None, 2600)
        ]
        assert entries[0].actor_id is not None
    page = client.get(f"/admin/territory/{town_id}").get_data(as_text=True)
    assert 'value="2600"' in page
    assert "recensement 2021 &lt;CC BY&gt;" in page and "<CC BY>" not in page
    # Saving again without a change writes no second entry.
    client.post(
        f"/admin/territory/{town_id}",
        data=_form(_town(app, town_id), population="2600", population_source=source),
    )
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "municipality.population")
            )
            == 1
        )
    trail = client.get("/admin/audit").get_data(as_text=True)
    assert "Population d'une municipalité modifiée" in trail


@pytest.mark.parametrize(
    "typed",
    ["beaucoup", "12,5", "-3", "10000001", "99999999999999999999"],
)
def test_a_bad_population_is_explained_in_french_and_kept(app, client, auth, world, typed):
    town_id = world.municipality_ids["Wickham"]
    auth.login_as(Role.ADMIN)
    before = _town(app, town_id)
    response = client.post(
        f"/admin/territory/{town_id}",
        data=_form(before, population=typed, population_source="Recensement", region="Estrie"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Entrez un nombre entier d&#39;habitants, de 0 à 10 000 000." in page
    assert f'value="{typed}"' in page and 'value="Recensement"' in page
    assert 'value="Estrie"' in page
    after = _town(app, town_id)
    assert (after.population, after.population_source, after.region) == (
        before.population,
        before.population_source,
        before.region,
    )
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "municipality.population")
            )
            == 0
        )


def test_a_source_too_long_is_refused_and_kept(app, client, auth, world):
    town_id = world.municipality_ids["Wickham"]
    auth.login_as(Role.ADMIN)
    long_source = "x" * 201
    response = client.post(
        f"/admin/territory/{town_id}",
        data=_form(_town(app, town_id), population="2600", population_source=long_source),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Écrivez au plus 200 caractères." in page
    assert long_source in page
    assert _town(app, town_id).population is None


def test_an_empty_population_clears_it(app, client, auth, world):
    town_id = world.municipality_ids["Wickham"]
    with app.app_context():
        db.session.get(Municipality, town_id).population = 2600
        db.session.commit()
    auth.login_as(Role.ADMIN)
    response = client.post(f"/admin/territory/{town_id}", data=_form(_town(app, town_id)))
    assert response.status_code == 302
    assert _town(app, town_id).population is None


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.PARTNER, Role.DISPATCHER])
def test_only_an_administrator_changes_a_population(app, client, auth, world, role):
    town_id = world.municipality_ids["Wickham"]
    auth.login_as(role)
    assert client.get(f"/admin/territory/{town_id}").status_code == 403
    response = client.post(
        f"/admin/territory/{town_id}",
        data=_form(_town(app, town_id), population="5", population_source="moi"),
    )
    assert response.status_code in (400, 403)
    assert _town(app, town_id).population is None
