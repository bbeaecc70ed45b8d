"""On a 360-px phone in headless Chromium: a phone intake sent by a double click makes
one request; a laptop promised to a coming
session is cancelled, not returned; a new API token's secret shows once and a reload
neither shows it nor creates another; a partner's activation posted without a choice
changes nothing. axe-core on each page; screenshots in build/screenshots/ and /tmp."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.devices import lend
from scheduler.models import ApiToken
from scheduler.models import DeviceKind
from scheduler.models import DeviceLoan
from scheduler.models import HelpRequest
from scheduler.models import PartnerOrganisation
from scheduler.models import Role
from scheduler.models import utcnow
from tests.builders import org_today

from .conftest import PHONE
from .conftest import screenshot
from .steps import sign_in
from .test_accessibility import Audit

pytestmark = pytest.mark.browser


def shot(page: Any, name: str) -> None:
    shutil.copy(screenshot(page, name), f"/tmp/{name}.png")


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_phone_intake_sent_by_a_double_click_makes_one_request(app, open_page, world):
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto("/dispatch/intake")
    page.locator("input[name=mode][value=phone]").check()
    page.locator("input[name=needs][value=email]").check()
    page.locator("select[name=municipality]").select_option(str(world.municipality_ids["Wickham"]))
    page.locator("input[name=availability][value=tue-am]").check()
    page.locator("input[name=first_name]").fill("Jeannine")
    page.locator("input[name=phone]").fill("819 555-0142")
    page.locator("input[name=consent]").check()
    # A double click on a slow line: the same page posted twice at once, with the
    # browser's cookies (a click alone may let Chromium cancel the first navigation).
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("form[data-booking-form]");
            const data = new FormData(form);
            const post = () => fetch(form.action, {method: "POST", body: data});
            return (await Promise.all([post(), post()])).map((r) => r.status);
        }"""
    )
    assert statuses == [200, 200]
    assert _count(app, HelpRequest) == 1
    page.get_by_role("button", name="Enregistrer la demande").click()
    expect(page.get_by_text("Ce formulaire a déjà été envoyé")).to_be_visible()
    assert _count(app, HelpRequest) == 1
    audit.check(page, "after an intake sent three times")
    shot(page, "leftovers-intake-sent-twice")
    audit.assert_clean()


def test_a_reserved_laptop_is_cancelled_from_its_page(app, open_page, world):
    with app.app_context():
        device = add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label="PC-04")
        starts = org_today(app, world.org_id) + timedelta(days=9)
        lend(
            db.session,
            device,
            starts_on=starts,
            due_on=starts + timedelta(days=1),
            today=org_today(app, world.org_id),
            actor=None,
            now=utcnow(),
            holder_name="Famille Diallo",
        )
        db.session.commit()
        device_id = device.id
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto(f"/dispatch/devices/{device_id}")
    expect(page.get_by_role("button", name="Enregistrer le retour")).to_have_count(0)
    audit.check(page, "device with a reservation")
    # The loans' table scrolls in its own box on a phone: show its last column.
    page.locator(".table-wrap").evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    shot(page, "leftovers-device-reserved")
    page.get_by_role("button", name="Annuler la réservation").click()
    expect(page.get_by_text("est annulée")).to_be_visible()
    audit.check(page, "device with a cancelled reservation")
    shot(page, "leftovers-device-reservation-cancelled")
    with app.app_context():
        loan = db.session.scalars(sa.select(DeviceLoan)).one()
        assert loan.cancelled_on == org_today(app, world.org_id) and loan.returned_on is None
    audit.assert_clean()


def test_a_new_tokens_secret_shows_once_and_a_reload_creates_nothing(app, open_page, world):
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.ADMIN))
    page.goto("/admin/api-tokens")
    page.get_by_label("Nom").fill("Outils du bureau")
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_label("Jeton", exact=True)).to_have_value(re.compile(r"^esc_"))
    audit.check(page, "API tokens, the secret shown once")
    shot(page, "leftovers-api-token-created")
    page.reload()
    expect(page.get_by_label("Jeton", exact=True)).to_have_count(0)
    assert _count(app, ApiToken) == 1
    audit.check(page, "API tokens, reloaded")
    shot(page, "leftovers-api-token-reloaded")
    audit.assert_clean()


def test_a_partner_activation_without_a_choice_is_refused_in_words(app, open_page, world):
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.ADMIN))
    page.goto(f"/admin/partners/{world.partner_id}")
    # An old or altered form: the choice is gone from what is posted.
    page.evaluate("document.querySelector('form[action$=\"/active\"] input[name=active]').remove()")
    page.get_by_role("button", name="Désactiver le partenaire").click()
    expect(page.get_by_text("Rien n'a été changé")).to_be_visible()
    audit.check(page, "partner, activation refused")
    shot(page, "leftovers-partner-active-refused")
    with app.app_context():
        assert db.session.get(PartnerOrganisation, world.partner_id).active
    audit.assert_clean()
