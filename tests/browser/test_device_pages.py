"""Devices and series proposals in headless Chromium on a 360-px phone: a dispatcher adds a
laptop, lends it to a family and prints the receipt, records its return; asks where and
when a programme should be held, reads why people are left out, publishes; and hands a
refurbished computer to a family that completed its cycle. axe-core on every page, and no
page wider than the screen. Screenshots go to build/screenshots/ and /tmp."""

from __future__ import annotations

import shutil
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.models import Beneficiary
from scheduler.models import DeviceKind
from scheduler.models import DeviceState
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import SeriesStatus
from scheduler.models import WorkshopSeries
from scheduler.workshops.programmes import create_programme
from tests.builders import org_today
from tests.workshops.builders import make_series

from .conftest import PHONE
from .conftest import screenshot
from .steps import sign_in
from .test_accessibility import Audit

pytestmark = pytest.mark.browser


def shot(page: Any, name: str) -> None:
    path = screenshot(page, name)
    shutil.copy(path, f"/tmp/{name}.png")


def test_a_laptop_is_added_lent_with_a_receipt_and_returned(app, open_page, world):
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto("/dispatch/devices/")
    audit.check(page, "devices, empty")
    page.get_by_role("button", name="Ajouter l’appareil").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "devices, refused empty")
    page.get_by_label("Étiquette").fill("PC-01")
    page.get_by_label("Numéro de série").fill("SN-0001")
    page.get_by_role("button", name="Ajouter l’appareil").click()
    expect(page.get_by_role("link", name="PC-01")).to_be_visible()
    audit.check(page, "devices, one laptop")
    page.get_by_role("link", name="PC-01").click()
    audit.check(page, "device")
    shot(page, "device-page-360")
    today = org_today(app, world.org_id)
    page.get_by_label("Ou une personne ou une famille").fill("Famille Tremblay")
    page.get_by_label("De", exact=True).fill(today.isoformat())
    page.get_by_label("Retour le").fill((today + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Prêter et imprimer le reçu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reçu de prêt d’appareil")
    audit.check(page, "loan receipt")
    shot(page, "device-receipt-360")
    page.get_by_role("link", name="Retour à l’appareil").click()
    page.get_by_role("button", name="Enregistrer le retour").click()
    expect(page.get_by_text("PC-01 est de retour en stock.")).to_be_visible()
    audit.check(page, "device, returned")
    # Lent again, and not back on time: the requests page (the dispatcher's home) says so.
    page.get_by_label("Ou une personne ou une famille").fill("Famille Roy")
    page.get_by_label("De", exact=True).fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("Retour le").fill((today - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Prêter et imprimer le reçu").click()
    page.goto("/dispatch/requests")
    expect(page.get_by_role("heading", name="1 appareil est en retard")).to_be_visible()
    audit.check(page, "requests, an overdue device")
    shot(page, "overdue-panel-360")
    page.get_by_role("button", name="Enregistrer le retour PC-01").click()
    expect(page.get_by_text("PC-01 est de retour en stock.")).to_be_visible()
    audit.assert_clean()


def _waiting(app, world) -> int:
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        programme = create_programme(
            db.session,
            org,
            title="Escouade numérique",
            sessions_count=2,
            capacity=3,
            laptops_per_session=2,
        )
        for n, town in enumerate(["Wickham"] * 4 + ["L'Avenir"]):
            person = Beneficiary(
                organisation_id=org.id, first_name=f"Personne{n}", phone=f"+1819555020{n}"
            )
            db.session.add(person)
            db.session.flush()
            db.session.add(
                Enrolment(
                    organisation_id=org.id,
                    programme_id=programme.id,
                    beneficiary_id=person.id,
                    municipality_id=world.municipality_ids[town],
                    availability=["tue-am"] if town == "Wickham" else ["sat-eve"],
                    status=EnrolmentStatus.WAITING,
                    waiting_position=n + 1,
                    access_token_hash=f"{n:064d}",
                )
            )
        for n in range(2):
            add_device(db.session, org.id, kind=DeviceKind.LAPTOP, label=f"PC-0{n + 1}")
        db.session.commit()
        return programme.id


def test_a_series_is_proposed_reviewed_and_published(app, open_page, world):
    programme_id = _waiting(app, world)
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto("/dispatch/workshops")
    page.get_by_role("link", name="Proposer où et quand").click()
    audit.check(page, "proposal, not asked yet")
    today = org_today(app, world.org_id)
    page.get_by_label("Première semaine").fill((today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Proposer", exact=True).click()
    expect(page.get_by_text("3 des 5 personnes en attente ont une place.")).to_be_visible()
    expect(page.get_by_text("Aucune personne responsable n’est libre")).to_be_visible()
    expect(page.get_by_text("complète")).to_be_visible()
    audit.check(page, "proposal, to review")
    shot(page, "proposal-360")
    page.get_by_role("button", name="Publier ces séries").click()
    expect(page.get_by_text("1 série(s) publiée(s)")).to_be_visible()
    with app.app_context():
        series = db.session.scalars(
            sa.select(WorkshopSeries).where(WorkshopSeries.programme_id == programme_id)
        ).one()
        assert series.status is SeriesStatus.PUBLISHED
    audit.assert_clean()


def test_a_family_completing_its_cycle_is_handed_a_refurbished_computer(app, open_page, world):
    with app.app_context():
        series = make_series(db.session, world, gives_device=True, title="Solidaires et Connectés")
        person = Beneficiary(
            organisation_id=world.org_id, first_name="Famille Dubois", phone="+33320000001"
        )
        db.session.add(person)
        db.session.flush()
        db.session.add(
            Enrolment(
                organisation_id=world.org_id,
                programme_id=series.programme_id,
                series_id=series.id,
                beneficiary_id=person.id,
                status=EnrolmentStatus.COMPLETED,
                access_token_hash="c" * 64,
            )
        )
        device = add_device(
            db.session, world.org_id, kind=DeviceKind.LAPTOP, label="RECONDI-07", serial="R7"
        )
        db.session.commit()
        series_id, device_id = series.id, device.id
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto(f"/dispatch/workshops/series/{series_id}")
    page.get_by_role("link", name="Remettre un appareil Famille Dubois").click()
    audit.check(page, "handover")
    page.get_by_role("button", name="Remettre et imprimer le reçu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reçu de remise d’appareil")
    expect(page.get_by_text("Famille Dubois")).to_be_visible()
    audit.check(page, "handover receipt")
    shot(page, "handover-receipt-360")
    page.goto(f"/dispatch/workshops/series/{series_id}")
    expect(page.get_by_role("link", name="Appareil remis : reçu")).to_be_visible()
    with app.app_context():
        from scheduler.models import Device

        assert db.session.get(Device, device_id).state is DeviceState.GIVEN
    audit.assert_clean()
