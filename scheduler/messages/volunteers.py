"""Messages to volunteers: their day, when it is published and each time it changes.

A day's message is keyed by a fingerprint of what the day holds (each appointment, its
SEQUENCE and status), so publishing again without change sends nothing, and any move,
addition or cancellation sends the day again, marked as a change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.phones import display_phone
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import MessageKind
from scheduler.models import Mode
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import Volunteer

from . import words
from .outbox import enabled
from .outbox import queue
from .outbox import setting
from .outbox import volunteer_route
from .texts import language_of
from .texts import phrase
from .texts import text_for

ACTIVE = (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    starts = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    return starts, starts + timedelta(days=1)


def _place(appointment: Appointment, language: str) -> str:
    """Where the volunteer goes, or whom they call and at which number.

    A call to make carries the number, as the calendar feed does: the message is the one
    thing a volunteer without a subscribed calendar has on the day. A cancelled call
    does not, so nobody dials a person who no longer expects it.
    """
    request = appointment.request
    if appointment.site is not None:
        return appointment.site.name
    if request is None:
        return ""
    town = request.municipality.name if request.municipality else ""
    if appointment.kind is Mode.HOME:
        return ", ".join(p for p in (request.address, town) if p)
    beneficiary = request.beneficiary
    first = beneficiary.first_name if beneficiary else request.reference
    who = f"{first} ({request.reference})"
    if appointment.kind is Mode.PHONE and appointment.status in ACTIVE:
        number = display_phone(
            beneficiary.phone if beneficiary else None, appointment.organisation.country
        )
        if number:
            return phrase(language, "call_place", who=who, phone=number)
    return who


def queue_volunteer_day(
    session: Session,
    volunteer: Volunteer,
    day: date,
    *,
    now: datetime,
    calendar_link: str = "",
    sms: bool = True,
) -> OutboxMessage | None:
    """Queue the volunteer's day as it now stands, unless they already have this version."""
    organisation = volunteer.organisation
    if not volunteer.active or not enabled(session, organisation.id, MessageKind.VOLUNTEER_DAY):
        return None
    zone = ZoneInfo(organisation.timezone)
    starts, ends = day_bounds(day, zone)
    appointments = session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.volunteer_id == volunteer.id,
            Appointment.starts_at >= starts,
            Appointment.starts_at < ends,
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    fingerprint = hashlib.sha256(
        ";".join(f"{a.id}.{a.sequence}.{a.status.value}" for a in appointments).encode()
    ).hexdigest()[:16]
    before = session.scalar(
        sa.select(sa.func.max(OutboxMessage.created_at)).where(
            OutboxMessage.volunteer_id == volunteer.id,
            OutboxMessage.kind == MessageKind.VOLUNTEER_DAY,
            OutboxMessage.idempotency_key.startswith(f"day:{volunteer.id}:{day.isoformat()}:"),
        )
    )
    active = [a for a in appointments if a.status in ACTIVE]
    if before is None and not active:
        return None
    route = volunteer_route(session, volunteer, sms=sms)
    if route is None:
        return None
    locale_code = (volunteer.user.locale if volunteer.user else None) or organisation.locale
    language = language_of(locale_code, organisation.language)
    locale = words.babel_locale(locale_code, language)
    # A change names what went away since the last message: "Changement" with one visit
    # fewer and no word of which left the volunteer to guess.
    dropped = [
        a
        for a in appointments
        if before is not None
        and a.status is AppointmentStatus.CANCELLED
        and a.cancelled_at is not None
        and a.cancelled_at > before
    ]
    lines = [
        phrase(
            language,
            "visit_line" if a.status in ACTIVE else "cancelled_line",
            time=words.clock(a.starts_at, organisation, locale),
            what=phrase(language, f"mode_{a.kind.value}"),
            place=_place(a, language),
        )
        for a in appointments
        if a.status in ACTIVE or a in dropped
    ]
    values = {
        "first_name": volunteer.first_name,
        "day": words.day(starts, organisation, locale),
        "change": phrase(language, "changed") if before is not None else "",
        "visits": "\n".join(lines) or "-",
        "calendar_link": calendar_link,
    }
    own = setting(session, organisation.id, MessageKind.VOLUNTEER_DAY)
    text = text_for(MessageKind.VOLUNTEER_DAY, language, values, own.texts if own else None)
    return queue(
        session,
        organisation_id=organisation.id,
        kind=MessageKind.VOLUNTEER_DAY,
        recipient_kind=RecipientKind.VOLUNTEER,
        route=route,
        key=f"day:{volunteer.id}:{day.isoformat()}:{fingerprint}",
        language=language,
        subject=text.subject,
        body=text.body,
        now=now,
        recipient_name=volunteer.first_name,
        volunteer_id=volunteer.id,
    )


def changed_days(appointments: Iterable[Appointment]) -> set[tuple[int, date]]:
    """(volunteer, local day) of each changed appointment that has a volunteer."""
    days = set()
    for appointment in appointments:
        if appointment.volunteer_id is None:
            continue
        zone = ZoneInfo(appointment.organisation.timezone)
        days.add((appointment.volunteer_id, appointment.starts_at.astimezone(zone).date()))
    return days
