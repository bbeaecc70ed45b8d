"""A beneficiary asks for help from a phone, and a dispatcher finds the request.

Everything goes through the real form in headless Chromium, found by role and label
the way a screen-reader user finds it, in French (the organisation's language).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP
from .conftest import PHONE
from .conftest import screenshot
from .steps import fill_home_visit
from .steps import next_screen
from .steps import send_request
from .steps import sign_in

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"^ESC-[0-9A-Z]{4}$")


def test_beneficiary_books_a_home_visit_and_the_dispatcher_finds_it(open_page, world):
    page = open_page(viewport=PHONE)
    page.goto("/")
    expect(page).to_have_title(re.compile("Comment voulez-vous être aidé"))
    fill_home_visit(page)
    send_request(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    expect(page.get_by_role("status")).to_contain_text("Merci, Ginette.")
    private_link = page.get_by_label("Votre lien privé").input_value()
    screenshot(page, "journey-confirmation")

    page.get_by_role("link", name="Voir ma demande").click()
    expect(page).to_have_url(private_link)
    expect(page.get_by_text(reference)).to_be_visible()

    # The dispatcher works in another browser: nothing is shared with the beneficiary's.
    desk = open_page(viewport=DESKTOP)
    sign_in(desk, "dispatch@example.org")
    desk.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Demandes"
    ).click()
    filters = desk.get_by_role("search", name="Filtrer les demandes")
    filters.get_by_label("Référence, prénom ou téléphone").fill(reference)
    filters.get_by_role("button", name="Appliquer").click()

    expect(desk.get_by_role("status").filter(has_text="demande")).to_have_text("1 demande")
    table = desk.get_by_role("table")
    row = table.get_by_role("row").filter(has=desk.get_by_role("link", name=reference))
    expect(row).to_contain_text("Ginette")
    expect(row).to_contain_text("Wickham")
    expect(row).to_contain_text("Courriels")
    screenshot(desk, "journey-inbox")

    row.get_by_role("link", name=reference).click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(desk.get_by_text("850, rue Principale")).to_be_visible()
    expect(desk.get_by_role("definition").filter(has_text="Formulaire en ligne")).to_be_visible()


def test_missing_consent_is_summarised_linked_to_the_box_and_keeps_the_answers(open_page, world):
    page = open_page(viewport=PHONE)
    page.goto("/")
    fill_home_visit(page, first_name="Réjean", consent=False)
    next_screen(page)

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Erreur"))
    link = summary.get_by_role("link", name="Cochez cette case")
    link.click()
    consent = page.get_by_role("checkbox", name="J'accepte")
    expect(consent).to_be_focused()
    expect(consent).not_to_be_checked()
    assert "consent-error" in consent.get_attribute("aria-describedby")
    screenshot(page, "journey-missing-consent")

    # What was typed on this screen is still there.
    expect(page.get_by_label("Votre prénom")).to_have_value("Réjean")
    expect(page.get_by_label("Votre numéro de téléphone")).to_have_value("819 555-0142")

    # Ticking the box is then enough.
    consent.check()
    send_request(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    expect(page.get_by_role("status")).to_contain_text("Merci, Réjean.")
