"""The demo's confirmed appointments this week and next, so calendars show something at once."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import HelpRequest
from ..models import Mode
from ..models import Organisation
from ..models import RequestStatus
from ..models import Site
from ..models import Volunteer
from .territory import TIMEZONE


def make_appointments(
    session: Session,
    org: Organisation,
    site: Site,
    volunteers: list[Volunteer],
    requests: list[HelpRequest],
    now: datetime,
) -> None:
    """A few confirmed appointments this week and next, so every feed shows something."""
    zone = ZoneInfo(TIMEZONE)
    this_monday = monday_of(now.astimezone(zone).date())
    by_name = {v.first_name: v for v in volunteers}
    homes = [r for r in requests if r.mode is Mode.HOME]
    phones = [r for r in requests if r.mode is Mode.PHONE]

    def at(week: int, weekday: int, hh: int, mm: int = 0) -> datetime:
        day = this_monday + timedelta(days=7 * week + weekday)
        return datetime.combine(day, time(hh, mm), tzinfo=zone)

    plan = [
        (by_name["Sylvie"], homes[0], at(0, 2, 10), 90, 18, 14.2),
        (by_name["Sylvie"], phones[0], at(0, 2, 13, 30), 30, None, None),
        (by_name["Sylvie"], homes[1], at(1, 0, 9, 30), 90, 22, 19.5),
        (by_name["Sylvie"], phones[1], at(1, 0, 14), 30, None, None),
        (by_name["Fatima"], phones[2], at(1, 3, 14), 30, None, None),
        (by_name["Marc"], homes[2], at(1, 1, 10), 90, 25, 21.0),
    ]
    for volunteer, request, start, minutes, travel_min, travel_km in plan:
        request.status = RequestStatus.CONFIRMED
        session.add(
            Appointment(
                organisation=org,
                kind=request.mode,
                request=request,
                volunteer=volunteer,
                starts_at=start.astimezone(ZoneInfo("UTC")),
                ends_at=(start + timedelta(minutes=minutes)).astimezone(ZoneInfo("UTC")),
                status=AppointmentStatus.CONFIRMED,
                travel_min_before=travel_min,
                travel_km_before=travel_km,
            )
        )
    for week in (0, 1):
        for volunteer in (by_name["Fatima"], by_name["Ana Sofia"]):
            start = at(week, 1, 9)
            session.add(
                Appointment(
                    organisation=org,
                    kind=Mode.DROPIN,
                    site=site,
                    volunteer=volunteer,
                    starts_at=start.astimezone(ZoneInfo("UTC")),
                    ends_at=(start + timedelta(hours=1)).astimezone(ZoneInfo("UTC")),
                    status=AppointmentStatus.CONFIRMED,
                )
            )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
