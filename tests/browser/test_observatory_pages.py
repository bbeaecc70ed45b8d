"""The observatory in headless Chromium: axe-clean on a phone and a desktop, no wider than
the screen, and its charts drawn under the application's Content-Security-Policy."""

from __future__ import annotations

import pytest

from scheduler.models import Role
from tests.observatory.conftest import month  # noqa: F401  (the hand-built month)

from .conftest import DESKTOP
from .conftest import PHONE
from .steps import sign_in
from .test_accessibility import Audit

pytestmark = pytest.mark.browser

MARCH = "period=month&value=2026-03"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_dashboard_is_axe_clean_and_fits(open_page, world, month, viewport):  # noqa: F811
    audit = Audit(viewport)
    page = open_page(viewport=viewport, bypass_csp=True)
    sign_in(page, world.email_for(Role.DISPATCHER))
    audit.visit(
        page,
        {
            "observatory, a month": f"/observatory?{MARCH}",
            "observatory, a site": f"/observatory?{MARCH}&site={world.site_id}",
            "observatory, a municipality": (
                f"/observatory?{MARCH}&municipality={world.municipality_ids['Wickham']}"
            ),
        },
    )
    response = page.goto("/observatory?period=month&value=2026-13")
    assert response is not None and response.status == 400
    audit.check(page, "observatory, a bad period")
    audit.assert_clean()


def test_a_volunteers_year_is_axe_clean(open_page, world, month):  # noqa: F811
    audit = Audit(PHONE)
    page = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, world.email_for(Role.VOLUNTEER))
    audit.visit(page, {"my year": "/me/year?year=2026"})
    audit.assert_clean()


def test_charts_are_drawn_under_the_content_security_policy(open_page, world, month):  # noqa: F811
    page = open_page(viewport=DESKTOP)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto(f"/observatory?{MARCH}")
    sizes = page.eval_on_selector_all(
        "img.obs-chart", "imgs => imgs.map(i => [i.complete, i.naturalWidth])"
    )
    assert len(sizes) == 5
    assert all(done and width > 0 for done, width in sizes), sizes
