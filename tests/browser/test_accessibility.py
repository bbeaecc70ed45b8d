"""axe-core in headless Chromium on every kind of page.

Every page is checked on a 360-px phone, where layouts are tightest; the staff pages,
whose tables and side columns change shape on a wide screen, on a desktop too. Serious
and critical violations fail the test; minor and moderate ones are printed (``pytest -s``
shows them) so they can be fixed without blocking anyone. A page wider than the screen
fails as well: axe does not check reflow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User
from tests.builders import make_request

from .conftest import DESKTOP
from .conftest import PHONE
from .conftest import axe_violations
from .conftest import describe
from .steps import fill_home_visit
from .steps import send_request
from .steps import sign_in

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def staff_viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return request.param  # type: ignore[no-any-return]


@dataclass
class Ids:
    request_id: int
    token: str
    user_id: int
    town_id: int
    site_id: int


@pytest.fixture
def ids(app, world) -> Ids:
    """A request waiting in the inbox, and the ids the admin pages need."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(
            db.session,
            org,
            needs=["email", "public_services"],
            availability=["tue-am", "thu-pm"],
        )
        db.session.commit()
        user_id = db.session.scalar(
            sa.select(User.id).where(User.email == world.email_for(Role.VOLUNTEER))
        )
        return Ids(
            request_id=request.id,
            token=request.token,
            user_id=user_id,
            town_id=world.municipality_ids["Wickham"],
            site_id=world.site_id,
        )


class Audit:
    """Runs axe on page after page; remembers the blocking violations of each."""

    def __init__(self, viewport: dict[str, int]) -> None:
        self.size = "phone" if viewport == PHONE else "desktop"
        self.width = viewport["width"]
        self.blocking: dict[str, list[dict]] = {}
        self.too_wide: dict[str, int] = {}

    def check(self, page: Any, name: str) -> None:
        # WCAG 1.4.10 (reflow): the page fits the screen's width; only a wide table
        # scrolls, inside its own box.
        # After a click the next page may still be loading its style sheets (a loaded
        # machine): measure the page as it is shown, not half-styled.
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > self.width:
            self.too_wide[f"{name} ({page.url})"] = width
        found = axe_violations(page, impacts=EVERY_IMPACT)
        for v in found:
            print(f"[{self.size}] {name}: {v['impact']} {v['id']} ×{len(v['nodes'])}: {v['help']}")
        blocking = [v for v in found if v["impact"] in BLOCKING]
        if blocking:
            self.blocking[f"{name} ({page.url})"] = blocking

    def visit(self, page: Any, paths: dict[str, str]) -> None:
        for name, path in paths.items():
            response = page.goto(path)
            assert response is not None and response.ok, f"{name}: {path} answered {response}"
            self.check(page, name)

    def assert_clean(self) -> None:
        report = "\n".join(f"{name}:\n{describe(v)}" for name, v in self.blocking.items())
        report += "".join(
            f"\n{name}: {width} px wide on a {self.width}-px screen"
            for name, width in self.too_wide.items()
        )
        assert not self.blocking and not self.too_wide, report


OpenPage = Callable[..., Any]


def test_booking_pages(open_page: OpenPage, world, ids: Ids):
    """The pages around the form; every screen of the form itself, in every language, is
    checked in test_booking_steps.py."""
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    page.goto("/")
    fill_home_visit(page)
    send_request(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    audit.check(page, "confirmation")

    audit.visit(
        page,
        {
            "private request page": f"/request/{ids.token}",
            "cancel page": f"/request/{ids.token}/cancel",
            "privacy notice": "/privacy",
        },
    )
    audit.assert_clean()


def test_dispatcher_pages(open_page: OpenPage, world, ids: Ids, staff_viewport):
    audit = Audit(staff_viewport)
    page = open_page(viewport=staff_viewport, bypass_csp=True)
    sign_in(page, world.email_for(Role.DISPATCHER))
    audit.visit(
        page,
        {
            "inbox": "/dispatch/requests",
            "inbox, filtered": "/dispatch/requests?status=all&mode=home&sort=oldest",
            "request": f"/dispatch/requests/{ids.request_id}",
            "phone intake": "/dispatch/intake",
            "volunteers": "/dispatch/volunteers",
            "volunteer": f"/dispatch/volunteers/{world.volunteer_id}",
            "team calendar": "/dispatch/calendar",
        },
    )
    page.goto("/dispatch/intake")
    page.get_by_role("button", name="Enregistrer la demande").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "phone intake, refused empty")

    page.goto("/dispatch/plans")
    audit.check(page, "planning, no plan yet")
    page.get_by_role("button", name="Planifier cette semaine").click()
    expect(page.get_by_role("button", name="Publier")).to_be_visible()
    audit.check(page, "planning, a draft")
    audit.assert_clean()


def test_volunteer_pages(open_page: OpenPage, world):
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.VOLUNTEER))
    audit.visit(
        page,
        {
            "my profile": "/me",
            "my availability": "/me/availability",
            "my absences": "/me/absences",
            "my limits": "/me/limits",
            "my calendar": "/me/calendar",
        },
    )
    audit.assert_clean()


def test_admin_pages(open_page: OpenPage, world, ids: Ids, staff_viewport):
    audit = Audit(staff_viewport)
    page = open_page(viewport=staff_viewport, bypass_csp=True)
    sign_in(page, world.email_for(Role.ADMIN))
    audit.visit(
        page,
        {
            "administration": "/admin/",
            "organisation": "/admin/organisation",
            "sites": "/admin/sites",
            "new site": "/admin/sites/new",
            "site": f"/admin/sites/{ids.site_id}",
            "territory": "/admin/territory",
            "municipality": f"/admin/territory/{ids.town_id}",
            "users": "/admin/users",
            "user": f"/admin/users/{ids.user_id}",
            "audit trail": "/admin/audit",
            "API tokens": "/admin/api-tokens",
        },
    )
    page.goto("/admin/api-tokens")
    page.get_by_label("Nom").fill("Logiciel du CCAS")
    page.get_by_label("Utilisé par").select_option(label="CCAS de Test")
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_label("Jeton", exact=True)).to_have_value(re.compile(r"^esc_"))
    audit.check(page, "API tokens, a token just created")
    page.screenshot(path="/tmp/escouade-api-tokens.png", full_page=True)
    audit.assert_clean()
