"""A workshop cycle in headless Chromium on a 360-px phone: people join from the public
form's fourth choice until the series is full, the next one goes on the waiting list, the
dispatcher sees the list, the leader takes attendance on the phone and a participant
completes the cycle and is handed a refurbished computer with its receipt. axe-core checks
every page on the way.

The journey is split into steps (:func:`join`, :func:`take_attendance`…) so that a
later step (a device handed over on completion) can be added after :func:`complete_cycle`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import DeviceState
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from tests.workshops.builders import make_series

from .conftest import DESKTOP
from .conftest import PHONE
from .steps import sign_in
from .test_accessibility import Audit

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/escouade-workshops")


@dataclass
class Cycle:
    series_id: int
    session_id: int
    town_id: int


@pytest.fixture
def cycle(app, world) -> Cycle:
    """A 2-session programme, 2 seats, completed at half the sessions; the first session
    starts in half an hour (still open to enrolment, attendance already open)."""
    with app.app_context():
        series = make_series(
            db.session,
            world,
            capacity=2,
            sessions=2,
            share=0.5,
            first=datetime.now(UTC) + timedelta(minutes=30),
            title="Solidaires et Connectés",
            gives_device=True,
        )
        return Cycle(series.id, series.sessions[0].id, world.municipality_ids["Wickham"])


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def join(page: Any, audit: Audit, first_name: str, phone: str, *, full: bool) -> None:
    """From the first screen of the public form to the participant's private page."""
    page.goto("/")
    shot(page, "first-screen")
    page.get_by_role("link", name="Je veux participer à un atelier").click()
    expect(page.locator("h1")).to_have_text("Participer à un atelier")
    page.get_by_label("Où habitez-vous?").select_option(label="Wickham")
    page.get_by_role("button", name="Voir les ateliers près de chez moi").click()
    audit.check(page, "workshops near me")
    shot(page, "near-me-full" if full else "near-me")
    if full:
        expect(
            page.get_by_text("Complet : vous pouvez vous inscrire sur la liste d'attente.")
        ).to_be_visible()
        page.get_by_role("link", name="M'inscrire sur la liste d'attente").click()
    else:
        page.get_by_role("link", name="M'inscrire à cet atelier").click()
    audit.check(page, "enrol form")
    page.get_by_label("Votre prénom").fill(first_name)
    page.get_by_label("Votre numéro de téléphone").fill(phone)
    page.get_by_role("checkbox", name="J'accepte").check()
    page.get_by_role("button", name="M'inscrire").click()
    audit.check(page, "participant page")


def take_attendance(page: Any, audit: Audit, cycle: Cycle, present: list[str]) -> None:
    """The leader, on the phone, ticks who is here and saves."""
    page.goto("/me/workshops")
    audit.check(page, "my workshops")
    page.get_by_role("link", name="Solidaires et Connectés").first.click()
    audit.check(page, "attendance")
    for name in present:
        page.get_by_role("checkbox", name=name).check()
    shot(page, "attendance-phone")
    page.get_by_role("button", name="Enregistrer les présences").click()


def complete_cycle(page: Any, audit: Audit, cycle: Cycle, present: list[str]) -> None:
    take_attendance(page, audit, cycle, present)
    for name in present:
        expect(page.get_by_text(f"{name} a terminé le parcours.")).to_be_visible()
    audit.check(page, "attendance saved")


def hand_over_device(
    page: Any, audit: Audit, app: Any, world: Any, cycle: Cycle, name: str
) -> None:
    """The programme gives a refurbished computer on completion: the dispatcher hands one
    over from the series page and prints the receipt."""
    with app.app_context():
        device = add_device(
            db.session, world.org_id, kind=DeviceKind.LAPTOP, label="RECONDI-01", serial="PF1"
        )
        db.session.commit()
        device_id = device.id
    page.goto(f"/dispatch/workshops/series/{cycle.series_id}")
    page.get_by_role("link", name=f"Remettre un appareil {name}").click()
    audit.check(page, "device handover")
    page.get_by_label("Appareil").select_option(str(device_id))
    page.get_by_role("button", name="Remettre et imprimer le reçu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reçu de remise d’appareil")
    expect(page.get_by_text("RECONDI-01")).to_be_visible()
    audit.check(page, "device handover receipt")
    shot(page, "handover-receipt-phone")
    page.goto(f"/dispatch/workshops/series/{cycle.series_id}")
    expect(page.get_by_role("link", name="Appareil remis : reçu")).to_be_visible()
    with app.app_context():
        assert db.session.get(Device, device_id).state is DeviceState.GIVEN


def test_a_workshop_fills_waits_and_completes_on_a_phone(open_page, app, world, cycle):
    audit = Audit(PHONE)
    ana = open_page(viewport=PHONE, bypass_csp=True)
    join(ana, audit, "Ana", "819 555-0111", full=False)
    expect(ana.get_by_text("Vous êtes inscrit.")).to_be_visible()
    shot(ana, "participant-phone")
    calendar = ana.get_by_role("link", name="Ajouter à mon calendrier")
    with ana.expect_download() as download:
        calendar.click()
    assert b"BEGIN:VEVENT" in Path(download.value.path()).read_bytes()

    bea = open_page(viewport=PHONE, bypass_csp=True)
    join(bea, audit, "Béatrice", "819 555-0112", full=False)
    expect(bea.get_by_text("Vous êtes inscrit.")).to_be_visible()

    carla = open_page(viewport=PHONE, bypass_csp=True)
    join(carla, audit, "Carla", "819 555-0113", full=True)
    expect(carla.get_by_text("Vous êtes sur la liste d'attente.")).to_be_visible()
    expect(carla.get_by_text("Votre rang sur la liste : 1.")).to_be_visible()
    shot(carla, "waiting-phone")

    desk = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(desk, world.email_for("dispatcher"))
    desk.goto(f"/dispatch/workshops/series/{cycle.series_id}")
    audit.check(desk, "series page")
    waiting = desk.locator("#waiting + ol")
    expect(waiting).to_contain_text("Carla")
    shot(desk, "series-phone")
    for path, name in (
        ("/dispatch/workshops", "workshops index"),
        ("/dispatch/workshops/programmes/new", "programme form"),
        ("/dispatch/workshops/series/new", "series form"),
    ):
        desk.goto(path)
        audit.check(desk, name)
        shot(desk, name.replace(" ", "-"))

    leader = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(leader, world.email_for("volunteer"))
    complete_cycle(leader, audit, cycle, ["Ana", "Béatrice"])
    with app.app_context():
        statuses = {
            e.beneficiary.first_name: e.status
            for e in db.session.scalars(
                sa.select(Enrolment).where(Enrolment.series_id == cycle.series_id)
            )
        }
    assert statuses == {
        "Ana": EnrolmentStatus.COMPLETED,
        "Béatrice": EnrolmentStatus.COMPLETED,
        "Carla": EnrolmentStatus.WAITING,
    }
    hand_over_device(desk, audit, app, world, cycle, "Ana")
    public = open_page(viewport=PHONE, bypass_csp=True)
    public.goto("/workshops")
    audit.check(public, "public workshops")
    audit.assert_clean()


def test_the_staff_workshop_pages_on_a_desktop(open_page, world, cycle):
    """The dispatcher's pages change shape on a wide screen: axe checks them there too."""
    audit = Audit(DESKTOP)
    page = open_page(viewport=DESKTOP, bypass_csp=True)
    sign_in(page, world.email_for("dispatcher"))
    audit.visit(
        page,
        {
            "workshops index": "/dispatch/workshops",
            "series page": f"/dispatch/workshops/series/{cycle.series_id}",
            "programme form": "/dispatch/workshops/programmes/new",
            "series form": "/dispatch/workshops/series/new",
            "attendance (staff)": f"/me/workshops/sessions/{cycle.session_id}",
        },
    )
    audit.assert_clean()
