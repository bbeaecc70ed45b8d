"""A volunteer reads the route sheet's phone calls on a 360-px phone: each call keeps its
words whole (a first name is not spelled one letter a line) and the page stays on screen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import Beneficiary
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import utcnow
from tests.builders import make_request

from .conftest import PHONE
from .steps import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def coming_call(app, world) -> None:
    """A phone call of the volunteer tomorrow, with a need told in the person's words."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(
            db.session,
            org,
            mode=Mode.PHONE,
            beneficiary=Beneficiary(organisation=org, first_name="Micheline", phone="+18195558701"),
            need_details="Je ne reçois plus mes courriels sur ma tablette.",
        )
        starts = utcnow().replace(microsecond=0) + timedelta(hours=26)
        db.session.add(
            Appointment(
                organisation_id=org.id,
                kind=Mode.PHONE,
                request_id=request.id,
                volunteer_id=world.volunteer_id,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=30),
            )
        )
        db.session.commit()


def test_calls_on_my_route_sheet_keep_their_words_whole_on_a_phone(open_page, world, coming_call):
    page = open_page(viewport=PHONE)
    sign_in(page, world.email_for(Role.VOLUNTEER))
    page.goto("/me/sheet")
    calls = page.locator(".sheet__calls")
    assert "Micheline" in calls.inner_text()
    name = calls.locator("tbody td").first
    # One line of the name is as tall as the cell's font; a squeezed column stacks letters.
    sizes = name.evaluate(
        """cell => {
            const range = document.createRange();
            range.selectNodeContents(cell.firstChild);
            const box = range.getBoundingClientRect();
            return {height: box.height, line: parseFloat(getComputedStyle(cell).lineHeight)
                    || parseFloat(getComputedStyle(cell).fontSize) * 1.6};
        }"""
    )
    assert sizes["height"] <= sizes["line"] * 1.5, f"the first name wraps: {sizes}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"/me/sheet is {width} px wide on a {PHONE['width']}-px phone"
