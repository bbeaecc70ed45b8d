"""A volunteer's week reads on a 360-px phone in every language: long time ranges
("9:00 a.m. to 12:00 p.m.") go under the day's name instead of past the screen's edge."""

from __future__ import annotations

from datetime import time

from scheduler.core.extensions import db
from scheduler.models import AvailabilityWindow
from scheduler.models import Volunteer

from .conftest import PHONE
from .steps import sign_in


def test_my_week_fits_a_phone_in_english(app, open_page, world):
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        for weekday in (0, 2):
            volunteer.availability.append(
                AvailabilityWindow(weekday=weekday, starts=time(9), ends=time(12))
            )
            volunteer.availability.append(
                AvailabilityWindow(weekday=weekday, starts=time(13), ends=time(16))
            )
        db.session.commit()
        email = volunteer.user.email if volunteer.user else None
    assert email
    page = open_page(viewport=PHONE, locale="en-CA")
    sign_in(page, email)
    page.goto("/language/en?next=/me")
    page.wait_for_load_state("load")
    assert "a.m." in page.inner_text("main")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"/me is {width} px wide on a {PHONE['width']}-px phone"
