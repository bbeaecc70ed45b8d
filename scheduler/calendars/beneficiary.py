"""A beneficiary's own appointment as a one-event file to keep in their calendar.

Written for the person helped, in the language they booked in: who comes or
calls (the volunteer's first name only), where, their reference, and how to
change or cancel. No internal detail of the organisation.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.phones import display_phone

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import HelpRequest
from ..models import Mode
from ..models import RequestStatus
from .events import STATUS
from .feed import FeedEvent
from .feed import Reminder
from .settings import FeedSettings
from .texts import _
from .texts import map_link


def confirmed_appointment(
    session: Session, request: HelpRequest, *, now: datetime
) -> Appointment | None:
    """The request's next confirmed appointment, or its last one if all are past.

    Once a plan is published (the request is planned or confirmed), its scheduled
    appointment counts: the person's request page shows it, and the file follows.
    """
    statuses = [AppointmentStatus.CONFIRMED]
    if request.status in (RequestStatus.PLANNED, RequestStatus.CONFIRMED):
        statuses.append(AppointmentStatus.SCHEDULED)
    rows = session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.request_id == request.id,
            Appointment.status.in_(statuses),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    upcoming = [a for a in rows if a.ends_at > now]
    if upcoming:
        return upcoming[0]
    return rows[-1] if rows else None


def beneficiary_event(
    request: HelpRequest, appointment: Appointment, settings: FeedSettings
) -> FeedEvent:
    organisation = request.organisation
    country = organisation.country
    volunteer = appointment.volunteer
    helper = volunteer.first_name if volunteer is not None else None
    lines: list[str] = []
    location = None
    geo = None
    url = None

    if appointment.kind is Mode.HOME:
        summary = _("Digital help at home: %(organisation)s", organisation=organisation.name)
        town = request.municipality.name
        location = ", ".join(p for p in (request.address, town) if p)
        if helper:
            lines.append(_("%(name)s, a volunteer, will come to your home.", name=helper))
        else:
            lines.append(_("A volunteer will come to your home."))
    elif appointment.kind is Mode.PHONE:
        summary = _("Phone call from %(organisation)s", organisation=organisation.name)
        beneficiary = request.beneficiary
        phone = display_phone(beneficiary.phone if beneficiary else None, country)
        if helper and phone:
            lines.append(
                _("%(name)s, a volunteer, will call you at %(phone)s.", name=helper, phone=phone)
            )
        elif phone:
            lines.append(_("A volunteer will call you at %(phone)s.", phone=phone))
        else:
            lines.append(_("A volunteer will call you."))
    else:
        site = appointment.site or request.site
        site_name = site.name if site is not None else organisation.name
        summary = _("Digital help drop-in: %(site)s", site=site_name)
        if site is not None:
            location = ", ".join(p for p in (site.name, site.address) if p)
            geo = (site.lat, site.lon)
            url = map_link(
                settings.map_url,
                settings.map_search_url,
                lat=site.lat,
                lon=site.lon,
                address=location,
            )
            lines.append(_("Come to %(place)s.", place=location))
            if site.access_notes:
                lines.append(_("Access: %(notes)s", notes=site.access_notes))
        if helper:
            lines.append(_("%(name)s, a volunteer, will welcome you.", name=helper))

    lines.append(_("Your reference: %(reference)s", reference=request.reference))
    contact = display_phone(organisation.contact_phone, country) or organisation.contact_email
    if contact:
        lines.append(_("To change or cancel, contact us: %(contact)s", contact=contact))
    if url:
        lines.append(_("Map: %(url)s", url=url))

    stamps = [appointment.created_at, appointment.updated_at, request.updated_at]
    return FeedEvent(
        uid=appointment.uid,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        summary=summary,
        last_modified=max(s for s in stamps if s is not None),
        sequence=appointment.sequence,
        status=STATUS[appointment.status],
        created_at=appointment.created_at,
        location=location,
        geo=geo,
        description="\n".join(lines),
        url=url,
        reminders=tuple(Reminder(m, summary) for m in settings.beneficiary_reminders_min),
    )


def file_name(request: HelpRequest) -> str:
    return f"{request.reference.lower()}.ics"
