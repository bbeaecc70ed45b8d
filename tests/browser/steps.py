"""What people do in the browser, shared by the journeys and the accessibility checks.

Controls are found by role and label, the way a screen-reader user finds them, in French
(the organisation's language). The public form asks one question per screen; the
``*_any_language`` helpers find the same controls by their form names, for the journeys
in Arabic, Spanish and the other languages.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.builders import PASSWORD


def next_screen(page: Any) -> None:
    """Press the screen's one button (« Continuer ») and wait for the next screen: each
    screen is a round trip to the server."""
    with page.expect_navigation():
        page.locator("form[data-booking-form] button[type=submit]").click()


def fill_home_visit(page: Any, *, first_name: str = "Ginette", consent: bool = True) -> None:
    """Answer the five screens of the public form for a home visit in Wickham; the last
    screen is answered but not yet left."""
    page.get_by_role("radio", name="Quelqu'un vient chez moi").check()
    next_screen(page)
    page.get_by_role("checkbox", name="Courriels").check()
    next_screen(page)
    page.get_by_label("Votre municipalité").select_option(label="Wickham")
    page.get_by_label("Votre adresse").fill("850, rue Principale")
    next_screen(page)
    page.get_by_role("checkbox", name="Mardi matin").check()
    page.get_by_role("checkbox", name="Jeudi après-midi").check()
    next_screen(page)
    page.get_by_label("Votre prénom").fill(first_name)
    page.get_by_label("Votre numéro de téléphone").fill("819 555-0142")
    languages = page.get_by_role("group", name="Quelles langues parlez-vous?")
    expect(languages.get_by_role("checkbox", name="Français")).to_be_checked()
    if consent:
        page.get_by_role("checkbox", name="J'accepte").check()


def send_request(page: Any) -> None:
    """From the last question, go to the check page and send."""
    next_screen(page)
    expect(page.locator("h1")).to_have_text("Vérifiez vos réponses")
    page.get_by_role("button", name="Envoyer ma demande").click()


def home_visit_any_language(page: Any, town_id: int, check: Any = None) -> None:
    """The five screens for a home visit, whatever the page's language; ``check(page)``
    runs on each screen before it is left, and on the check page."""
    page.locator("input[name=mode][value=home]").check()
    _leave(page, check)
    page.locator("input[name=needs][value=email]").check()
    _leave(page, check)
    page.locator("select[name=municipality]").select_option(str(town_id))
    page.locator("input[name=address]").fill("850, rue Principale")
    _leave(page, check)
    page.locator("input[name=availability][value=tue-am]").check()
    _leave(page, check)
    page.locator("input[name=first_name]").fill("Amina")
    page.locator("input[name=phone]").fill("819 555-0142")
    page.locator("input[name=consent]").check()
    _leave(page, check)
    if check is not None:
        check(page)
    with page.expect_navigation():
        page.locator("form[action$='/ask/check'] button[type=submit]").click()


def _leave(page: Any, check: Any) -> None:
    if check is not None:
        check(page)
    next_screen(page)


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/auth/login")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
