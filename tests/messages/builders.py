"""Test data for messages: a request with an appointment, in one call."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Beneficiary
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Volunteer

from ..builders import World
from ..builders import make_request


def booked(
    session: Session,
    world: World,
    *,
    starts: datetime,
    now: datetime,
    phone: str = "+18195550142",
    email: str | None = None,
    first_name: str = "Jeannine",
    **fields: Any,
) -> Appointment:
    """A home-visit request with a scheduled appointment given to the world's volunteer."""
    org = session.get_one(Organisation, world.org_id)
    beneficiary = Beneficiary(organisation=org, first_name=first_name, phone=phone, email=email)
    request = make_request(session, org, beneficiary=beneficiary, **fields)
    appointment = Appointment(
        organisation_id=org.id,
        kind=Mode.HOME,
        request=request,
        volunteer=session.get(Volunteer, world.volunteer_id),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        status=AppointmentStatus.SCHEDULED,
        created_at=now,
        updated_at=now,
    )
    session.add(appointment)
    session.commit()
    return appointment
