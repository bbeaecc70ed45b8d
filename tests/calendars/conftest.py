"""A small organisation with appointments of every kind, and links to its feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.models import Beneficiary
from scheduler.models import Mode

from ..builders import make_request
from .builders import Loaded
from .builders import local
from .builders import local_today
from .builders import make_appointment
from .builders import make_call
from .builders import make_duty
from .builders import make_visit
from .builders import volunteer_link


@dataclass
class Scenario:
    """Ids and links of the appointments made for a test (rows are reloaded per session)."""

    visit_id: int
    call_id: int
    duty_id: int
    other_duty_id: int
    booking_id: int
    other_visit_id: int
    link: str
    other_link: str
    visit_request_token: str


@pytest.fixture
def scenario(app, world) -> Scenario:
    """Sylvie: a home visit and a call the day after tomorrow, a drop-in duty next week
    shared with Omar, where a beneficiary is booked. Omar also has a home visit of his own."""
    with app.app_context():
        rows = Loaded.of(db.session, world)
        day = local_today() + timedelta(days=2)
        duty_day = local_today() + timedelta(days=8)
        visit = make_visit(
            db.session,
            rows.org,
            rows.volunteer,
            local(day, 10),
            beneficiary_fields={
                "email": "jeannine.secret@example.org",
                "accessibility_notes": "Sonner deux fois.",
            },
            request_fields={"internal_notes": "Note interne: ne pas montrer."},
        )
        visit_request_token = visit.request.token
        call = make_call(db.session, rows.org, rows.volunteer, local(day, 14), first_name="Omer")
        duty = make_duty(db.session, rows.org, rows.volunteer, rows.site, local(duty_day, 9))
        other_duty = make_duty(db.session, rows.org, rows.other, rows.site, local(duty_day, 9))
        visitor = Beneficiary(organisation=rows.org, first_name="Layla", phone="+18195550199")
        booking_request = make_request(
            db.session,
            rows.org,
            beneficiary=visitor,
            mode=Mode.DROPIN,
            site=rows.site,
            address=None,
            languages=["ar", "fr"],
        )
        booking = make_appointment(
            db.session,
            rows.org,
            starts_at=local(duty_day, 9, 15),
            minutes=30,
            request=booking_request,
            site=rows.site,
        )
        other_visit = make_visit(
            db.session,
            rows.org,
            rows.other,
            local(day, 10),
            first_name="Rachid",
            phone="+18195550111",
        )
        db.session.commit()
        scenario = Scenario(
            visit_id=visit.id,
            call_id=call.id,
            duty_id=duty.id,
            other_duty_id=other_duty.id,
            booking_id=booking.id,
            other_visit_id=other_visit.id,
            link=volunteer_link(db.session, rows.volunteer),
            other_link=volunteer_link(db.session, rows.other),
            visit_request_token=visit_request_token,
        )
    return scenario
