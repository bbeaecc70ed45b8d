"""Appointments and feed links for calendar tests, on top of ``tests.builders``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.calendars import tokens
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Beneficiary
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import RequestStatus
from scheduler.models import Site
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.models import utcnow

from ..builders import World
from ..builders import make_request

#: The tests' SECRET_KEY (tests/conftest.py), from which links are sealed.
SEAL_KEY = tokens.key_from_secret("test-secret")


def local(day: date, hour: int, minute: int = 0, zone: str = "America/Toronto") -> datetime:
    """An aware UTC instant for a local wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local_today(zone: str = "America/Toronto") -> date:
    return utcnow().astimezone(ZoneInfo(zone)).date()


def make_appointment(
    session: Session,
    org: Organisation,
    *,
    starts_at: datetime,
    minutes: int = 60,
    **fields: Any,
) -> Appointment:
    """A confirmed appointment; give ``request``, ``site`` and ``volunteer`` as needed."""
    request = fields.get("request")
    fields.setdefault("kind", request.mode if request is not None else Mode.DROPIN)
    fields.setdefault("status", AppointmentStatus.CONFIRMED)
    appointment = Appointment(
        organisation=org,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        **fields,
    )
    if request is not None:
        request.status = RequestStatus.CONFIRMED
    session.add(appointment)
    session.flush()
    return appointment


def make_visit(
    session: Session,
    org: Organisation,
    volunteer: Volunteer,
    starts_at: datetime,
    *,
    first_name: str = "Jeannine",
    phone: str = "+18195550142",
    minutes: int = 90,
    travel_min: int | None = 20,
    travel_km: float | None = 15.5,
    request_fields: dict[str, Any] | None = None,
    beneficiary_fields: dict[str, Any] | None = None,
) -> Appointment:
    """A home visit for a new beneficiary; the request's secret is on ``.request.token``."""
    beneficiary = Beneficiary(
        organisation=org, first_name=first_name, phone=phone, **(beneficiary_fields or {})
    )
    request_fields = dict(request_fields or {})
    request_fields.setdefault("mode", Mode.HOME)
    request_fields.setdefault("needs", ["email", "video_calls"])
    request_fields.setdefault("need_details", "Parler en vidéo avec mes petits-enfants.")
    request_fields.setdefault("lat", 45.75)
    request_fields.setdefault("lon", -72.5)
    request_fields.setdefault("location_approximate", False)
    request = make_request(session, org, beneficiary=beneficiary, **request_fields)
    return make_appointment(
        session,
        org,
        starts_at=starts_at,
        minutes=minutes,
        request=request,
        volunteer=volunteer,
        travel_min_before=travel_min if request.mode is not Mode.PHONE else None,
        travel_km_before=travel_km if request.mode is not Mode.PHONE else None,
    )


def make_call(
    session: Session,
    org: Organisation,
    volunteer: Volunteer,
    starts_at: datetime,
    **kwargs: Any,
) -> Appointment:
    request_fields = dict(kwargs.pop("request_fields", None) or {})
    request_fields.setdefault("mode", Mode.PHONE)
    request_fields.setdefault("address", None)
    request_fields.setdefault("needs", ["email"])
    request_fields.setdefault("need_details", "Je ne reçois plus mes courriels.")
    kwargs.setdefault("minutes", 30)
    return make_visit(session, org, volunteer, starts_at, request_fields=request_fields, **kwargs)


def make_duty(
    session: Session, org: Organisation, volunteer: Volunteer, site: Site, starts_at: datetime
) -> Appointment:
    return make_appointment(
        session,
        org,
        starts_at=starts_at,
        minutes=60,
        kind=Mode.DROPIN,
        site=site,
        volunteer=volunteer,
    )


@dataclass
class Loaded:
    """The rows of a World, loaded in the current session."""

    org: Organisation
    site: Site
    volunteer: Volunteer
    other: Volunteer

    @classmethod
    def of(cls, session: Session, world: World) -> Loaded:
        return cls(
            org=session.get(Organisation, world.org_id),
            site=session.get(Site, world.site_id),
            volunteer=session.get(Volunteer, world.volunteer_id),
            other=session.get(Volunteer, world.other_volunteer_id),
        )


def volunteer_link(session: Session, volunteer: Volunteer) -> str:
    """A fresh feed path for the volunteer."""
    token = tokens.issue_volunteer_token(session, volunteer, now=utcnow(), key=SEAL_KEY)
    return f"/feeds/volunteer/{token}.ics"


def team_link(session: Session, email: str) -> str:
    user = session.scalars(sa.select(User).where(User.email == email)).one()
    token = tokens.issue_team_token(session, user, now=utcnow(), key=SEAL_KEY)
    return f"/feeds/team/{token}.ics"
