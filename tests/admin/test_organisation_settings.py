"""An administrator changes the organisation's settings; bad values are refused."""

from __future__ import annotations

import pytest

from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import Role


def settings(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Aide numérique Lyon",
        "timezone": "Europe/Paris",
        "locale": "fr_FR",
        "country": "FR",
        "contact_email": "contact@example.fr",
        "contact_phone": "04 72 00 00 00",
        "retention_days": "730",
    }
    data.update(overrides)
    return data


def test_administrator_sees_the_current_settings(client, auth, world):
    auth.login_as(Role.ADMIN)
    page = client.get("/admin/organisation").get_data(as_text=True)
    assert 'value="Aide numérique Test"' in page
    assert 'value="America/Toronto"' in page
    assert '<option selected value="fr_CA">' in page or 'value="fr_CA" selected' in page


def test_administrator_saves_the_settings(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    response = client.post("/admin/organisation", data=settings())
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        assert (org.name, org.timezone, org.locale, org.country) == (
            "Aide numérique Lyon",
            "Europe/Paris",
            "fr_FR",
            "FR",
        )
        assert (org.contact_email, org.contact_phone, org.retention_days) == (
            "contact@example.fr",
            "+33472000000",
            730,
        )
    # The interface now speaks France's French.
    page = client.get("/admin/organisation").get_data(as_text=True)
    assert '<html lang="fr-FR" dir="ltr">' in page
    assert "Adresse e-mail de contact" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timezone", "Mars/Olympus", "Choisissez un fuseau horaire de la liste"),
        ("timezone", "UTC+5", "Choisissez un fuseau horaire de la liste"),
        ("locale", "de_DE", ""),
        ("country", "XX", ""),
        ("retention_days", "5", "Entrez un nombre de jours entre 30 et 3650."),
        ("retention_days", "beaucoup", ""),
        ("contact_email", "pas un courriel", "Entrez un courriel"),
        ("contact_phone", "123", "Entrez un numéro de téléphone"),
        ("name", "", "Entrez le nom."),
    ],
)
def test_bad_settings_are_refused_beside_the_field_and_kept(
    app, client, auth, world, field, value, message
):
    auth.login_as(Role.ADMIN)
    response = client.post("/admin/organisation", data=settings(**{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert message in page
    assert 'value="Aide numérique Lyon"' in page or field == "name"
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        assert (org.name, org.timezone) == ("Aide numérique Test", "America/Toronto")


def test_dispatcher_cannot_change_the_settings(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    assert client.post("/admin/organisation", data=settings()).status_code == 403
    with app.app_context():
        assert db.session.get(Organisation, world.org_id).timezone == "America/Toronto"
