"""Signing in from a real browser, and the sign-in page's accessibility."""

from __future__ import annotations

from .conftest import PHONE
from .conftest import axe_violations
from .conftest import describe
from .conftest import screenshot


def test_dispatcher_signs_in_with_the_keyboard_on_a_phone(open_page, world):
    page = open_page(viewport=PHONE)
    page.goto("/auth/login")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_label("Courriel").fill("dispatch@example.org")
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_label("Mot de passe").press("Enter")
    page.wait_for_load_state()
    screenshot(page, "sign-in-done")
    assert page.get_by_role("button", name="Se déconnecter").is_visible()


def test_wrong_password_is_announced_beside_the_field(open_page, world):
    page = open_page(viewport=PHONE)
    page.goto("/auth/login")
    page.get_by_label("Courriel").fill("dispatch@example.org")
    page.get_by_label("Mot de passe").fill("wrong")
    page.get_by_role("button", name="Se connecter").click()
    summary = page.get_by_role("alert")
    assert "pas bon" in summary.inner_text()
    described = page.get_by_label("Mot de passe").get_attribute("aria-describedby")
    assert "password-error" in described
    assert page.get_by_label("Courriel").input_value() == "dispatch@example.org"


def test_sign_in_page_has_no_serious_accessibility_violations(open_page, world):
    page = open_page(viewport=PHONE, bypass_csp=True)
    page.goto("/auth/login")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
