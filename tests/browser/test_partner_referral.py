"""A partner refers a person in Chromium and, once the week is planned and published,
sees the appointment's date in its list; a partner's pages are axe-core clean and fit a
360-px phone.

The planning is the real engine on the test organisation (a short time limit): Sylvie,
free on Tuesday mornings with a car, can go to Wickham.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import AvailabilityWindow
from scheduler.models import HelpRequest
from scheduler.models import Volunteer

from .conftest import DESKTOP
from .conftest import PHONE
from .conftest import axe_violations
from .conftest import describe
from .steps import fill_home_visit
from .steps import next_screen
from .steps import sign_in

pytestmark = pytest.mark.browser

ZONE = ZoneInfo("America/Toronto")
SHOTS = Path("/tmp")


@pytest.fixture
def app(make_app):
    return make_app(PLANNING={"time_limit_s": 3.0})


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


def clean(page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_partner_refers_a_person_and_later_sees_the_appointment_date(app, world, open_page):
    with app.app_context():
        # Sylvie's Tuesday morning goes to the drop-in; she is free on Thursday afternoons.
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(13), ends=time(17)))
        db.session.commit()
    phone = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(phone, "partner@example.org")
    expect(phone.locator("h1")).to_have_text("Nos orientations")
    clean(phone)
    phone.get_by_role("link", name="Orienter une personne").first.click()
    fill_home_visit(phone, first_name="Gisèle")
    next_screen(phone)
    expect(phone.locator("h1")).to_have_text("Vérifiez vos réponses")
    expect(phone.get_by_role("heading", name="Orientée par CCAS de Test")).to_be_visible()
    clean(phone)
    fits_the_screen(phone)
    phone.screenshot(path=str(SHOTS / "partners-check-phone.png"), full_page=True)
    # Sending without the person's consent to the partner is refused, and says why.
    phone.get_by_label("Note pour la répartition").fill("Préfère le matin, parle fort.")
    phone.get_by_role("button", name="Envoyer l'orientation").click()
    expect(phone.locator(".error-summary")).to_contain_text("Cochez cette case")
    expect(phone.get_by_label("Note pour la répartition")).to_have_value(
        "Préfère le matin, parle fort."
    )
    phone.get_by_role("checkbox", name="La personne accepte").check()
    phone.get_by_role("button", name="Envoyer l'orientation").click()
    expect(phone.locator("h1")).to_have_text("Votre demande est envoyée")
    phone.get_by_role("link", name="Suivre cette orientation").click()
    expect(phone.locator(".tag")).to_have_text("Reçue")
    with app.app_context():
        request = db.session.scalar(sa.select(HelpRequest))
        assert request.partner_organisation_id == world.partner_id
        assert request.internal_notes == "Préfère le matin, parle fort."
        reference = request.reference

    # The dispatcher plans the coming week and publishes it.
    desk = open_page(viewport=DESKTOP)
    sign_in(desk, "dispatch@example.org")
    desk.goto("/dispatch/requests")
    expect(desk.get_by_role("table")).to_contain_text("CCAS de Test")
    desk.goto("/dispatch/plans")
    desk.get_by_role("button", name="Planifier cette semaine").click()
    expect(desk.locator(".plan-status")).to_contain_text("Brouillon", timeout=60_000)
    desk.get_by_role("button", name="Publier").click()
    expect(desk.locator(".plan-status")).to_contain_text("Publié")
    with app.app_context():
        appointment = db.session.scalar(
            sa.select(Appointment).where(Appointment.request_id == request.id)
        )
        assert appointment is not None, "the plan left the referral out"
        day = format_date(appointment.starts_at.astimezone(ZONE).date(), "full", locale="fr_CA")

    phone.goto("/partner/referrals")
    row = phone.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Planifiée")
    expect(row).to_contain_text(day)
    expect(row).not_to_contain_text("Sylvie")
    clean(phone)
    fits_the_screen(phone)
    phone.screenshot(path=str(SHOTS / "partners-referrals-phone.png"), full_page=True)


def test_the_partners_administration_is_clean_and_fits_a_phone(app, world, open_page):
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, "admin@example.org")
    page.goto("/admin/partners")
    clean(page)
    fits_the_screen(page)
    page.screenshot(path=str(SHOTS / "partners-admin-phone.png"), full_page=True)
    page.goto(f"/admin/partners/{world.partner_id}")
    page.get_by_label("Courriel", exact=True).fill("nadia@ccas.example")
    page.get_by_role("button", name="Inviter").click()
    expect(page.locator(".secret")).to_be_visible()
    clean(page)
    fits_the_screen(page)
    page.screenshot(path=str(SHOTS / "partners-invite-phone.png"), full_page=True)
