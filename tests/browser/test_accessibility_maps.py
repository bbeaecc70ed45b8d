"""axe-core on the pages of maps, route sheets, placing and visit reports (phone and desk).

Same rules as ``test_accessibility.py``: serious and critical violations fail, and so does
a page wider than the screen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.models import utcnow
from tests.builders import make_request

from .conftest import DESKTOP
from .conftest import PHONE
from .steps import sign_in
from .test_accessibility import Audit

pytestmark = pytest.mark.browser


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def visits(app, world) -> dict[str, int]:
    """Home visits to plan, and a past and a coming appointment of the volunteer."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        for town in ("Wickham", "L'Avenir", "Drummondville"):
            make_request(
                db.session,
                org,
                municipality_id=world.municipality_ids[town],
                address="850, rue Principale",
                availability=["mon-am", "tue-am", "wed-am", "thu-am", "fri-am"],
                need_details="Apprendre à faire un appel vidéo.",
            )
        request = make_request(db.session, org, address="12, rang 10")
        now = utcnow().replace(microsecond=0)
        ids = {"request": request.id}
        for name, hours in (("past", -3), ("coming", 26)):
            row = Appointment(
                organisation_id=org.id,
                kind=Mode.HOME,
                request_id=request.id,
                volunteer_id=world.volunteer_id,
                starts_at=now + timedelta(hours=hours),
                ends_at=now + timedelta(hours=hours + 1),
                travel_min_before=15,
                travel_km_before=9.0,
            )
            db.session.add(row)
            db.session.flush()
            ids[name] = row.id
        # A volunteer without a login, whose link the dispatcher hands over.
        db.session.get(Volunteer, world.other_volunteer_id).user_id = None
        db.session.commit()
        return ids


def test_dispatcher_map_sheet_and_placing_pages(open_page, world, visits, viewport):
    audit = Audit(viewport)
    page = open_page(viewport=viewport, bypass_csp=True)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto("/dispatch/plans")
    page.get_by_role("button", name="Planifier cette semaine").click()
    expect(page.get_by_role("button", name="Publier")).to_be_visible()
    expect(page.locator(".route-map__svg").first).to_be_visible()
    audit.check(page, "planning with maps")
    page.locator("details.route-map__day summary").nth(1).click()
    audit.check(page, "planning, a volunteer-day's map open")
    sheet = page.get_by_role("link", name="Feuille de route", exact=True).first
    sheet.click()
    page.wait_for_load_state()
    expect(page.locator(".sheet").first).to_be_visible()
    audit.check(page, "route sheet of a volunteer-day")
    page.go_back()
    page.get_by_role("link", name="Feuilles de route de chaque jour").click()
    page.wait_for_load_state()
    audit.check(page, "route sheets of a day")
    audit.visit(
        page,
        {
            "placing a request": f"/dispatch/place/request/{visits['request']}",
            "placing a volunteer's home": f"/dispatch/place/volunteer/{world.volunteer_id}",
            "volunteer with the hand-over card": f"/dispatch/volunteers/{world.volunteer_id}",
            "coming route sheet of a volunteer": f"/dispatch/volunteers/{world.volunteer_id}/sheet",
        },
    )
    page.goto(f"/dispatch/place/request/{visits['request']}")
    page.get_by_role("button", name="Enregistrer cet emplacement").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "placing, refused empty")
    page.goto(f"/dispatch/volunteers/{world.other_volunteer_id}/calendar")
    page.get_by_role("button", name="Créer le lien du calendrier").click()
    audit.check(page, "calendar link made for hand-over")
    audit.assert_clean()


def test_volunteer_week_and_report_pages(open_page, world, visits):
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.VOLUNTEER))
    page.goto("/me")
    expect(page.get_by_role("heading", name="Mes prochaines visites et appels")).to_be_visible()
    page.locator("#my-visits details.route-map__day summary").first.click()
    audit.check(page, "my week with its map")
    audit.visit(
        page,
        {
            "report a visit": f"/me/visits/{visits['past']}/report",
            "my route sheet": "/me/sheet",
        },
    )
    page.goto(f"/me/visits/{visits['past']}/report")
    page.get_by_label("Temps passé à aider (minutes)").fill("")
    page.get_by_role("button", name="Enregistrer mon compte rendu").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "report, refused")
    page.get_by_role("radio", name="Faite : la visite a eu lieu").check()
    page.get_by_label("Temps passé à aider (minutes)").fill("50")
    page.get_by_role("button", name="Enregistrer mon compte rendu").click()
    expect(page.locator(".my-year")).to_contain_text("0,8 h")
    audit.check(page, "my week after a report")
    audit.assert_clean()
