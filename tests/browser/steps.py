"""What people do in the browser, shared by the journeys and the accessibility checks.

Controls are found by role and label, the way a screen-reader user finds them.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.builders import PASSWORD


def fill_home_visit(page: Any, *, first_name: str = "Ginette", consent: bool = True) -> None:
    """Answer every question of the public form for a home visit in Wickham."""
    page.get_by_role("radio", name="Quelqu'un vient chez moi").check()
    page.get_by_role("checkbox", name="Courriels").check()
    page.get_by_label("Votre municipalité").select_option(label="Wickham")
    page.get_by_label("Votre adresse").fill("850, rue Principale")
    page.get_by_role("checkbox", name="Mardi matin").check()
    page.get_by_role("checkbox", name="Jeudi après-midi").check()
    page.get_by_label("Votre prénom").fill(first_name)
    page.get_by_label("Votre numéro de téléphone").fill("819 555-0142")
    languages = page.get_by_role("group", name="Quelles langues parlez-vous?")
    expect(languages.get_by_role("checkbox", name="Français")).to_be_checked()
    if consent:
        page.get_by_role("checkbox", name="J'accepte que mes renseignements").check()


def send_request(page: Any) -> None:
    page.get_by_role("button", name="Envoyer ma demande").click()


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/auth/login")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
