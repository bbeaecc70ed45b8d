"""Messages to the people helped: their booking, their appointment, its changes, a reminder.

Each function only queues; delivery happens elsewhere, never in a web request. Keys
name the event (the appointment and its SEQUENCE, which goes up on every move), so a
page calling after its commit and the timed sweep calling again queue one message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import MessageKind
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import Source

from . import words
from .settings import MessageSettings
from .to_beneficiary import Values
from .to_beneficiary import queue_to_beneficiary

ACTIVE = (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)
#: Appointments changed longer ago than this are history: a new release or a restart
#: never wakes old news.
NEWS_WINDOW = timedelta(days=2)
#: Kinds that tell a person about an appointment (a cancellation is only told after one).
TOLD = (MessageKind.APPOINTMENT, MessageKind.MOVED, MessageKind.REMINDER)


def _send(
    session: Session,
    request: HelpRequest,
    kind: MessageKind,
    key: str,
    values: Values,
    now: datetime,
    settings: MessageSettings,
    appointment: Appointment | None = None,
) -> OutboxMessage | None:
    """Queue one message of ``kind`` to the request's beneficiary, in their language."""
    if request.beneficiary is None:
        return None

    def filled(language: str, locale: str) -> dict[str, object]:
        return {"reference": request.reference, **values(language, locale)}

    return queue_to_beneficiary(
        session,
        request.organisation,
        request.beneficiary,
        kind,
        key=key,
        locale=request.locale,
        now=now,
        sms=settings.sms_available,
        values=filled,
        # A booking taken on the phone: the dispatcher already gave the reference.
        call_needed=not (kind is MessageKind.BOOKING and request.source is Source.PHONE),
        request_id=request.id,
        appointment_id=appointment.id if appointment else None,
    )


def queue_booking_confirmation(
    session: Session,
    request: HelpRequest,
    *,
    link: str,
    now: datetime,
    settings: MessageSettings,
) -> OutboxMessage | None:
    """Queue the person's reference and private link, right after their request is kept.

    The link's secret exists only at that moment (the database keeps its hash), so the
    page that made the request calls this; commits.
    """
    key = f"booking:{request.id}"
    message = _send(
        session, request, MessageKind.BOOKING, key, lambda *_: {"link": link}, now, settings
    )
    session.commit()
    return message


def _appointment_values(
    request: HelpRequest, appointment: Appointment, settings: MessageSettings
) -> Values:
    """When and what of ``appointment``, in the language and locale of the message."""
    organisation = request.organisation

    def values(language: str, locale: str) -> dict[str, object]:
        return {
            "when": words.when(appointment.starts_at, organisation, locale),
            "details": words.details(
                request, appointment, language, locale, settings.arrival_window_min
            ),
        }

    return values


def _told(session: Session, *, request_id: int, appointment_id: int | None = None) -> bool:
    query = sa.select(OutboxMessage.id).where(
        OutboxMessage.request_id == request_id,
        OutboxMessage.recipient_kind == RecipientKind.BENEFICIARY,
        OutboxMessage.kind.in_(TOLD),
    )
    if appointment_id is not None:
        query = query.where(OutboxMessage.appointment_id == appointment_id)
    return session.scalar(query.limit(1)) is not None


def appointment_news(
    session: Session,
    appointment: Appointment,
    *,
    now: datetime,
    settings: MessageSettings,
) -> OutboxMessage | None:
    """Tell the beneficiary what became of one appointment: new, moved or cancelled."""
    request = appointment.request
    if request is None or appointment.starts_at <= now:
        return None
    if appointment.status in ACTIVE:
        # Told before about this appointment, or about one it replaces (given to another
        # volunteer: the old one was cancelled and this one made): for the person, a change.
        told = _told(session, request_id=request.id, appointment_id=appointment.id)
        told = told or _told(session, request_id=request.id)
        kind = MessageKind.MOVED if told else MessageKind.APPOINTMENT
        key = f"appointment:{appointment.id}:{appointment.sequence}"
        values = _appointment_values(request, appointment, settings)
        return _send(session, request, kind, key, values, now, settings, appointment)
    if appointment.status is AppointmentStatus.CANCELLED:
        if not _told(session, request_id=request.id, appointment_id=appointment.id):
            return None
        replaced = session.scalar(
            sa.select(Appointment.id).where(
                Appointment.request_id == request.id,
                Appointment.status.in_(ACTIVE),
                Appointment.starts_at > now,
            )
        )
        if replaced is not None:
            return None
        values = _appointment_values(request, appointment, settings)
        key = f"appointment:{appointment.id}:cancelled"
        return _send(
            session, request, MessageKind.CANCELLED, key, values, now, settings, appointment
        )
    return None


def changed_appointments(
    session: Session, now: datetime, organisation_id: int | None = None
) -> Iterable[Appointment]:
    """Appointments still to come that changed lately, oldest change first."""
    query = sa.select(Appointment).where(
        Appointment.starts_at > now,
        Appointment.updated_at >= now - NEWS_WINDOW,
    )
    if organisation_id is not None:
        query = query.where(Appointment.organisation_id == organisation_id)
    return session.scalars(query.order_by(Appointment.updated_at, Appointment.id)).all()


def queue_reminders(session: Session, now: datetime, settings: MessageSettings) -> int:
    """Queue tomorrow's reminders once the organisation's reminder hour has come.

    Run as often as wanted: one reminder per appointment and day, whatever the number
    of runs; a run missed at the hour is caught up by the next one the same day.
    """
    queued = 0
    for organisation in session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        zone = ZoneInfo(organisation.timezone)
        local_now = now.astimezone(zone)
        if local_now.hour < settings.reminder_hour:
            continue
        tomorrow = local_now.date() + timedelta(days=1)
        starts = datetime.combine(tomorrow, datetime.min.time(), tzinfo=zone)
        ends = starts + timedelta(days=1)
        for appointment in session.scalars(
            sa.select(Appointment)
            .where(
                Appointment.organisation_id == organisation.id,
                Appointment.request_id.is_not(None),
                Appointment.status.in_(ACTIVE),
                Appointment.starts_at >= starts,
                Appointment.starts_at < ends,
            )
            .order_by(Appointment.starts_at, Appointment.id)
        ):
            request = appointment.request
            assert request is not None
            values = _appointment_values(request, appointment, settings)
            key = f"reminder:{appointment.id}:{tomorrow.isoformat()}"
            if _send(
                session, request, MessageKind.REMINDER, key, values, now, settings, appointment
            ):
                queued += 1
    return queued
