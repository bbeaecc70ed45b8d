"""The raw rows the figures are made of, read in a few plain queries.

One :class:`RequestRow` per request received in the scope, carrying what statistics need
and nothing that identifies the person (no name, phone, address or free text): these
fields are exactly those the retention purge keeps, so figures stay the same after
personal data is erased. Aggregates are computed in Python over these rows
(:mod:`.figures`), which keeps SQLite and PostgreSQL giving the same answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import PlanUnassigned
from scheduler.models import RequestStatus
from scheduler.models import Site
from scheduler.models import Volunteer

from .scope import Scope


@dataclass(frozen=True, slots=True)
class RequestRow:
    """One request, anonymous: what was asked, where, in which language, what became of it."""

    id: int
    reference: str
    received_at: datetime
    #: Local date the request arrived.
    received_on: date
    municipality_id: int
    municipality: str
    mode: Mode
    needs: tuple[str, ...]
    languages: tuple[str, ...]
    status: RequestStatus
    site_id: int | None
    duration_min: int
    source: str
    referral: str | None
    #: Start of the earliest appointment not cancelled, if any.
    first_appointment_at: datetime | None = None
    #: The reason the latest published plan that left it out gave, if any.
    left_out_reason: str | None = None
    left_out_detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AppointmentRow:
    """One appointment of a request, for the exports' one-row-per-appointment shape."""

    id: int
    request_id: int
    kind: Mode
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    volunteer_id: int | None
    site_id: int | None
    travel_km: float | None


def zone_of(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.timezone)


def _request_filter(organisation: Organisation, scope: Scope) -> list[Any]:
    starts, ends = scope.bounds(zone_of(organisation))
    conditions: list[Any] = [
        HelpRequest.organisation_id == organisation.id,
        HelpRequest.created_at >= starts,
        HelpRequest.created_at < ends,
        # A merged duplicate is the same person asking twice: count the request it joined.
        HelpRequest.merged_into_id.is_(None),
    ]
    if scope.municipality_id is not None:
        conditions.append(HelpRequest.municipality_id == scope.municipality_id)
    if scope.site_id is not None:
        conditions.append(HelpRequest.site_id == scope.site_id)
    return conditions


def load_requests(session: Session, organisation: Organisation, scope: Scope) -> list[RequestRow]:
    """Every request received in the scope, oldest first, with its first appointment and
    the reason it was last left out."""
    return [row for row, _ in iter_request_lines(session, organisation, scope)]


#: Rows read from the database at a time: an export's memory stays the same whatever the
#: period (a server-side cursor on PostgreSQL, ``fetchmany`` on SQLite).
BATCH = 1000


def iter_request_lines(
    session: Session, organisation: Organisation, scope: Scope
) -> Iterator[tuple[RequestRow, list[AppointmentRow]]]:
    """Each request received in the scope, oldest first, with its appointments in time
    order, one at a time.

    One query reads the requests joined with their appointments in batches of
    :data:`BATCH`; the latest published reason a request was left out is ranked first by
    the database (a window over the plans that left it out). Nothing of the period is
    held beyond one request, so an export of years of requests takes the memory of one of
    days.
    """
    zone = zone_of(organisation)
    conditions = _request_filter(organisation, scope)
    order = (HelpRequest.created_at, HelpRequest.id)
    # The reasons requests were left out, in the same order as the requests (and by
    # week within one): read beside them, the latest one of each is kept.
    reasons = iter(
        session.execute(
            sa.select(
                HelpRequest.created_at,
                HelpRequest.id,
                PlanUnassigned.reason,
                PlanUnassigned.detail,
            )
            .join(PlanUnassigned, PlanUnassigned.request_id == HelpRequest.id)
            .join(Plan, Plan.id == PlanUnassigned.plan_id)
            .where(
                *conditions,
                Plan.organisation_id == organisation.id,
                Plan.status == PlanStatus.PUBLISHED,
            )
            .order_by(*order, Plan.week_start, PlanUnassigned.id)
            .execution_options(yield_per=BATCH)
        )
    )
    pending: Any = next(reasons, None)

    def latest_reason(key: tuple[datetime, int]) -> tuple[str | None, Any]:
        """The latest reason of the request ``key`` (received at, id), if any."""
        nonlocal pending
        found: tuple[str | None, Any] = (None, None)
        while pending is not None and (pending.created_at, pending.id) <= key:
            if (pending.created_at, pending.id) == key:
                found = (pending.reason, pending.detail)
            pending = next(reasons, None)
        return found

    query = (
        sa.select(
            HelpRequest.id,
            HelpRequest.reference,
            HelpRequest.created_at,
            HelpRequest.municipality_id,
            Municipality.name.label("town"),
            HelpRequest.mode,
            HelpRequest.needs,
            HelpRequest.languages,
            HelpRequest.status,
            HelpRequest.site_id,
            HelpRequest.duration_min,
            HelpRequest.source,
            HelpRequest.referral,
            Appointment.id.label("appointment_id"),
            Appointment.kind,
            Appointment.starts_at,
            Appointment.ends_at,
            Appointment.status.label("appointment_status"),
            Appointment.volunteer_id,
            Appointment.site_id.label("appointment_site_id"),
            Appointment.travel_km_before,
        )
        .join(Municipality, Municipality.id == HelpRequest.municipality_id)
        # By the request alone: an appointment belongs to its request's organisation, and
        # naming the organisation here leads SQLite to scan all its appointments per row.
        .outerjoin(Appointment, Appointment.request_id == HelpRequest.id)
        .where(*conditions)
        .order_by(*order, Appointment.starts_at, Appointment.id)
        .execution_options(yield_per=BATCH)
    )
    current: Any = None
    held: list[AppointmentRow] = []
    for r in session.execute(query):
        if current is not None and r.id != current.id:
            yield _request_row(current, held, zone, latest_reason(key(current))), held
            held = []
        current = r
        if r.appointment_id is not None:
            held.append(
                AppointmentRow(
                    id=r.appointment_id,
                    request_id=r.id,
                    kind=r.kind,
                    starts_at=r.starts_at,
                    ends_at=r.ends_at,
                    status=r.appointment_status,
                    volunteer_id=r.volunteer_id,
                    site_id=r.appointment_site_id,
                    travel_km=r.travel_km_before,
                )
            )
    if current is not None:
        yield _request_row(current, held, zone, latest_reason(key(current))), held


def key(r: Any) -> tuple[datetime, int]:
    return (r.created_at, r.id)


def _request_row(
    r: Any, held: list[AppointmentRow], zone: ZoneInfo, left_out: tuple[str | None, Any]
) -> RequestRow:
    reason, detail = left_out
    first = next((a.starts_at for a in held if a.status is not AppointmentStatus.CANCELLED), None)
    return RequestRow(
        id=r.id,
        reference=r.reference,
        received_at=r.created_at,
        received_on=r.created_at.astimezone(zone).date(),
        municipality_id=r.municipality_id,
        municipality=r.town,
        mode=r.mode,
        needs=tuple(r.needs or ()),
        languages=tuple(r.languages or ()),
        status=r.status,
        site_id=r.site_id,
        duration_min=r.duration_min,
        source=r.source.value,
        referral=r.referral.value if r.referral is not None else None,
        first_appointment_at=first,
        left_out_reason=reason,
        left_out_detail=dict(detail or {}) if reason is not None else {},
    )


@dataclass(frozen=True, slots=True)
class Place:
    """A municipality of the territory as the map and the tables need it."""

    id: int
    name: str
    lat: float
    lon: float
    population: int | None
    #: Where the population comes from: the attribution printed beside the map.
    population_source: str | None = None


def territory(session: Session, organisation: Organisation) -> list[Place]:
    """Every municipality of the organisation, served or no longer, by name."""
    return [
        Place(m.id, m.name, m.lat, m.lon, m.population, m.population_source)
        for m in session.scalars(
            sa.select(Municipality)
            .where(Municipality.organisation_id == organisation.id)
            .order_by(Municipality.name)
        )
    ]


def site_names(session: Session, organisation: Organisation) -> dict[int, str]:
    return dict(
        session.execute(
            sa.select(Site.id, Site.name)
            .where(Site.organisation_id == organisation.id)
            .order_by(Site.name)
        ).all()
    )


def volunteer_names(session: Session, organisation: Organisation) -> dict[int, str]:
    """Volunteer id → full name, for staff pages and staff exports only."""
    return {
        v.id: v.full_name
        for v in session.scalars(
            sa.select(Volunteer).where(Volunteer.organisation_id == organisation.id)
        )
    }
