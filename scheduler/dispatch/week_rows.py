"""The rows one week is planned from: active volunteers and sites, open requests and the
appointments still to come, and where the week sits on the clock (see
:mod:`scheduler.dispatch.problem`, which builds the planning problem from them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import HelpRequest
from ..models import Organisation
from ..models import RequestStatus
from ..models import Site
from ..models import Volunteer
from .weeks import week_bounds
from .weeks import week_minute

ACTIVE = (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)
PLANNABLE = (
    RequestStatus.NEW,
    RequestStatus.TRIAGED,
    RequestStatus.PLANNED,
    RequestStatus.CONFIRMED,
)


@dataclass(frozen=True)
class WeekRows:
    """The rows one week is planned from, and where it sits on the clock."""

    monday: date
    zone: ZoneInfo
    now: datetime
    #: Minutes of the week already gone (0 when it has not begun).
    past: int
    volunteers: Sequence[Volunteer]
    sites: Sequence[Site]
    requests: Sequence[HelpRequest]
    #: Appointments still to come (scheduled or confirmed), in time order.
    appointments: Sequence[Appointment]

    @property
    def in_week(self) -> list[Appointment]:
        starts, ends = week_bounds(self.monday, self.zone)
        return [a for a in self.appointments if starts <= a.starts_at < ends]


def load_week(session: Session, organisation: Organisation, week: date, now: datetime) -> WeekRows:
    """Active volunteers and sites, open requests and coming appointments, by id."""
    zone = ZoneInfo(organisation.timezone)
    starts, _ends = week_bounds(week, zone)
    past = max(0, min(7 * 1440, week_minute(week, now, zone))) if now > starts else 0
    volunteers = session.scalars(
        sa.select(Volunteer)
        .where(Volunteer.organisation_id == organisation.id, Volunteer.active.is_(True))
        .options(selectinload(Volunteer.availability), selectinload(Volunteer.absences))
        .order_by(Volunteer.id)
    ).all()
    sites = session.scalars(
        sa.select(Site)
        .where(Site.organisation_id == organisation.id, Site.active.is_(True))
        .options(selectinload(Site.openings))
        .order_by(Site.id)
    ).all()
    requests = session.scalars(
        sa.select(HelpRequest)
        .where(
            HelpRequest.organisation_id == organisation.id,
            HelpRequest.status.in_(PLANNABLE),
            HelpRequest.merged_into_id.is_(None),
        )
        .options(selectinload(HelpRequest.municipality), selectinload(HelpRequest.series))
        .order_by(HelpRequest.id)
    ).all()
    appointments = session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.organisation_id == organisation.id,
            Appointment.status.in_(ACTIVE),
            Appointment.ends_at > now,
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    return WeekRows(week, zone, now, past, volunteers, sites, requests, appointments)
