"""The public form, one question per screen, in a real Chromium on a 360-px phone.

A person books in Arabic (right to left, nothing wider than the screen), in Spanish
without JavaScript, goes back from the check page without losing an answer, and books a
phone call with the keyboard alone; axe-core checks every screen in every language the
organisation offers.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.models import HelpRequest
from tests.booking.builders import all_requests

from .conftest import PHONE
from .conftest import screenshot
from .steps import fill_home_visit
from .steps import home_visit_any_language
from .steps import next_screen
from .test_accessibility import Audit

pytestmark = pytest.mark.browser

#: What a browser set to each language says it prefers (Accept-Language).
BROWSER_LOCALES = {"fr": "fr-CA", "en": "en-CA", "ar": "ar", "es": "es-ES", "pt": "pt-BR"}


def fits_the_screen(page: Any) -> None:
    """Nothing is wider than the phone: no sideways scrolling, on any screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_home_visit_booked_in_arabic_reads_right_to_left_and_fits_a_phone(app, open_page, world):
    page = open_page(viewport=PHONE, locale="ar")  # the browser prefers Arabic
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", re.compile("^ar"))
    expect(page.get_by_text("السؤال 1 من 6")).to_be_visible()

    # Mirrored: each choice's box sits on the right of its words, and the question
    # lines up on the right edge.
    option = page.locator(".option--mode").first
    radio = option.locator("input").bounding_box()
    words = option.locator(".option__label").bounding_box()
    assert radio["x"] > words["x"] + words["width"] - 1
    title = page.locator("h2.question").bounding_box()
    assert title["x"] + title["width"] > PHONE["width"] - 40

    seen: list[str] = []

    def each_screen(current: Any) -> None:
        expect(current.locator("html")).to_have_attribute("dir", "rtl")
        fits_the_screen(current)
        seen.append(current.url)

    home_visit_any_language(page, world.municipality_ids["Wickham"], check=each_screen)
    expect(page.get_by_role("heading", level=1)).to_have_text("أُرسل طلبك")
    fits_the_screen(page)
    screenshot(page, "booking-arabic-confirmation")
    assert [u.rsplit("/", 1)[-1] for u in seen] == ["", "what", "where", "when", "contact", "check"]

    [stored] = all_requests(app)
    assert stored.locale.startswith("ar")
    assert stored.address == "850, rue Principale"

    # The private link, opened later in a fresh browser that prefers French, still
    # speaks the request's language.
    link = page.locator("#private-link").input_value()
    later = open_page(viewport=PHONE, locale="fr-CA")
    later.goto(link)
    expect(later.locator("html")).to_have_attribute("dir", "rtl")
    expect(later.get_by_role("heading", level=1)).to_contain_text("طلبك")
    fits_the_screen(later)
    # …unless the visitor chooses another language.
    later.get_by_role("link", name="Français").click()
    expect(later.get_by_role("heading", level=1)).to_contain_text("Votre demande")
    expect(later.locator("html")).to_have_attribute("dir", "ltr")


def test_a_home_visit_booked_in_spanish_without_javascript(app, open_page, world):
    page = open_page(viewport=PHONE, locale="es-ES", java_script_enabled=False)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^es"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pida ayuda gratis con computadoras y teléfonos"
    )
    next_screen(page)  # nothing chosen: the server says so, in Spanish
    expect(page.get_by_role("alert")).to_contain_text("Elija cómo quiere recibir ayuda.")

    home_visit_any_language(page, world.municipality_ids["Wickham"], check=fits_the_screen)
    expect(page.get_by_role("heading", level=1)).to_have_text("Su solicitud está enviada")
    [stored] = all_requests(app)
    assert stored.locale.startswith("es")
    assert stored.mode.value == "home"


def test_going_back_from_the_check_page_keeps_every_answer(app, open_page, world):
    page = open_page(viewport=PHONE)
    page.goto("/")
    page.get_by_role("radio", name="Quelqu'un vient chez moi").check()
    next_screen(page)
    page.get_by_role("checkbox", name="Courriels").check()
    page.get_by_role("checkbox", name="Autre chose").check()
    page.get_by_label("Dites-nous-en un peu plus").fill("Imprimer un billet d'avion")
    next_screen(page)
    page.get_by_label("Votre municipalité").select_option(label="Wickham")
    page.get_by_label("Votre adresse").fill("850, rue Principale, app. 2")
    next_screen(page)
    page.get_by_role("checkbox", name="Mardi matin").check()
    page.get_by_role("checkbox", name="Jeudi après-midi").check()
    page.locator("input[name=deadline]").fill("2027-01-15")
    next_screen(page)
    page.get_by_label("Votre prénom").fill("Ginette")
    page.get_by_label("Votre numéro de téléphone").fill("819 555-0142")
    page.get_by_label("Votre courriel").fill("ginette@example.org")
    page.get_by_role("checkbox", name="Español").check()
    page.get_by_label("Y a-t-il quelque chose à savoir").fill("Sonnez deux fois")
    page.get_by_role("checkbox", name="J'accepte").check()
    next_screen(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses")

    back = page.get_by_role("link", name="Retour")
    back.click()
    expect(page.get_by_label("Votre prénom")).to_have_value("Ginette")
    expect(page.get_by_label("Votre numéro de téléphone")).to_have_value("819 555-0142")
    expect(page.get_by_label("Votre courriel")).to_have_value("ginette@example.org")
    expect(page.get_by_role("checkbox", name="Français")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Español")).to_be_checked()
    expect(page.get_by_label("Y a-t-il quelque chose à savoir")).to_have_value("Sonnez deux fois")
    expect(page.get_by_role("checkbox", name="J'accepte")).to_be_checked()
    back.click()
    expect(page.get_by_role("checkbox", name="Mardi matin")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Jeudi après-midi")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Mardi après-midi")).not_to_be_checked()
    expect(page.locator("input[name=deadline]")).to_have_value("2027-01-15")
    back.click()
    expect(page.get_by_label("Votre municipalité")).to_have_value(
        str(world.municipality_ids["Wickham"])
    )
    expect(page.get_by_label("Votre adresse")).to_have_value("850, rue Principale, app. 2")
    back.click()
    expect(page.get_by_role("checkbox", name="Courriels")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Autre chose")).to_be_checked()
    expect(page.get_by_label("Dites-nous-en un peu plus")).to_have_value(
        "Imprimer un billet d'avion"
    )
    back.click()
    expect(page.get_by_role("radio", name="Quelqu'un vient chez moi")).to_be_checked()
    expect(page.get_by_role("link", name="Retour")).to_have_count(0)  # the first screen

    for _ in range(5):  # forward again, nothing to retype
        next_screen(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses")
    answers = page.locator(".summary-list--check")
    for text in (
        "Imprimer un billet d'avion",
        "850, rue Principale, app. 2",
        "Mardi matin",
        "ginette@example.org",
        "Español",
        "Sonnez deux fois",
    ):
        expect(answers).to_contain_text(text)

    # "Modifier" goes to the question, and back to the check page.
    page.locator(".summary-list__row").filter(has_text="Où").get_by_role("link").click()
    page.get_by_label("Votre adresse").fill("12, rue du Moulin")
    next_screen(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses")
    expect(answers).to_contain_text("12, rue du Moulin")
    assert all_requests(app) == []  # nothing is a request before it is sent
    page.get_by_role("button", name="Envoyer ma demande").click()
    [stored] = all_requests(app)
    assert stored.address == "12, rue du Moulin"
    assert stored.languages == ["fr", "es"]
    assert stored.need_details == "Imprimer un billet d'avion"


def _tab_to(page: Any, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus with Tab on {page.url}")


def _press_enter_and_wait(page: Any) -> None:
    """Enter on the focused button: the form goes to the server and the next screen loads."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_new_user_books_a_phone_call_with_the_keyboard_in_at_most_8_screens(
    app, open_page, world
):
    page = open_page(viewport=PHONE)
    screens: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and screens.append(frame.url))
    page.goto("/")

    _tab_to(page, "input[name=mode]")
    page.keyboard.press("ArrowDown")  # from "someone comes" to "someone calls me"
    expect(page.get_by_role("radio", name="On m'appelle")).to_be_checked()
    _tab_to(page, "form[data-booking-form] button")
    _press_enter_and_wait(page)

    _tab_to(page, "input[name=needs][value=smartphone]")
    page.keyboard.press("Space")
    _tab_to(page, "form[data-booking-form] button")
    _press_enter_and_wait(page)

    expect(page.locator("input[name=address]")).to_have_count(0)  # no address for a call
    _tab_to(page, "select[name=municipality]")
    page.keyboard.type("Wickham")
    expect(page.get_by_label("Votre municipalité")).to_have_value(
        str(world.municipality_ids["Wickham"])
    )
    _tab_to(page, "form[data-booking-form] button")
    _press_enter_and_wait(page)

    _tab_to(page, "input[name=any_time]")
    page.keyboard.press("Space")
    _tab_to(page, "form[data-booking-form] button")
    _press_enter_and_wait(page)

    _tab_to(page, "input[name=first_name]")
    page.keyboard.type("Lucien")
    _tab_to(page, "input[name=phone]")
    page.keyboard.type("819 555-0142")
    _tab_to(page, "input[name=consent]")
    page.keyboard.press("Space")
    _tab_to(page, "form[data-booking-form] button")
    _press_enter_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses")
    _tab_to(page, "form[action$='/ask/check'] button")
    _press_enter_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    assert len(screens) <= 8, screens
    [stored] = all_requests(app)
    assert stored.mode.value == "phone" and stored.any_time and stored.address is None


@pytest.mark.parametrize("language", ["fr", "en", "ar", "es", "pt"])
def test_every_screen_of_the_form_passes_axe_in_each_language(app, open_page, world, language):
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, locale=BROWSER_LOCALES[language], bypass_csp=True)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(f"^{language}"))
    audit.check(page, f"{language}: first screen")
    next_screen(page)
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, f"{language}: first screen, nothing chosen")
    names = iter(["how", "what", "where", "when", "contact", "check"])
    home_visit_any_language(
        page,
        world.municipality_ids["Wickham"],
        check=lambda current: audit.check(current, f"{language}: {next(names)}"),
    )
    audit.check(page, f"{language}: confirmation")
    link = page.locator("#private-link").input_value()
    with app.app_context():
        token = link.rsplit("/", 1)[-1]
        assert db.session.query(HelpRequest).count() == 1
    audit.visit(
        page,
        {
            f"{language}: request page": f"/request/{token}",
            f"{language}: cancel page": f"/request/{token}/cancel",
            f"{language}: privacy notice": "/privacy",
        },
    )
    audit.assert_clean()


def test_the_home_visit_journey_in_french_by_label(open_page, world):
    """The French journey, by role and label, as a screen-reader user reads it."""
    page = open_page(viewport=PHONE)
    page.goto("/")
    fill_home_visit(page)
    next_screen(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses")
    expect(page.get_by_text("Étape 6 sur 6 : la dernière")).to_be_visible()
