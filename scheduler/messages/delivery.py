"""Sending one queued message and recording what happened.

:func:`deliver` is the only place a message leaves Escouade. It is called by the task
queue's workers (the ``send_message`` run of :mod:`.background`), never by a web request.
A temporary failure leaves the message queued with its next try further away (the waits
of ``retry_delays_s``); a permanent one, or the last try, marks it failed with the
provider's reason. A beneficiary whose SMS or e-mail failed for good is put on the
call list, so that nobody is left unaware.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.calendars.beneficiary import beneficiary_event
from scheduler.calendars.beneficiary import file_name
from scheduler.calendars.feed import FeedCalendar
from scheduler.calendars.feed import build_feed
from scheduler.calendars.settings import FeedSettings
from scheduler.calendars.texts import in_language
from scheduler.models import Appointment
from scheduler.models import MessageChannel
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind

from .backends import Attachment
from .backends import Backend
from .backends import DeliveryFailure
from .backends import OutboxOnly
from .backends import Outgoing
from .backends import PermanentFailure
from .backends import SmtpBackend
from .outbox import Route
from .outbox import opted_out
from .outbox import queue
from .settings import MessageSettings
from .sms import OvhSms
from .sms import TwilioSms

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backends:
    """The backend of each channel that leaves Escouade."""

    email: Backend = field(default_factory=OutboxOnly)
    sms: Backend = field(default_factory=OutboxOnly)

    @classmethod
    def from_settings(cls, settings: MessageSettings) -> Backends:
        if settings.backend == "outbox":
            return cls()
        sms: Backend = OutboxOnly()
        if settings.sms_provider == "ovh":
            sms = OvhSms(settings)
        elif settings.sms_provider == "twilio":
            sms = TwilioSms(settings)
        return cls(email=SmtpBackend(settings), sms=sms)

    def of(self, channel: MessageChannel) -> Backend:
        return self.email if channel is MessageChannel.EMAIL else self.sms


@dataclass(frozen=True, slots=True)
class Outcome:
    status: MessageStatus
    #: When to try again, for a message left queued after a temporary failure.
    retry_at: datetime | None = None


def ics_attachment(
    session: Session, message: OutboxMessage, feeds: FeedSettings
) -> Attachment | None:
    """The appointment as it stands now, as the one-event file a beneficiary keeps."""
    if message.appointment_id is None:
        return None
    appointment = session.get(Appointment, message.appointment_id)
    if appointment is None or appointment.request is None:
        return None
    request = appointment.request
    organisation = request.organisation
    with in_language(request.locale or organisation.locale):
        event = beneficiary_event(request, appointment, feeds)
    day = appointment.starts_at.date()
    calendar = FeedCalendar(timezone=organisation.timezone, covers=(day, day))
    return Attachment(file_name(request), build_feed([event], calendar))


def deliver(
    session: Session,
    message_id: int,
    *,
    now: datetime,
    settings: MessageSettings,
    feeds: FeedSettings,
    backends: Backends | None = None,
) -> Outcome:
    """Try to send one message now and record the outcome; commits.

    A message that is not queued (already sent, failed, cancelled, or a call) is left
    as it is: running this twice for one message never sends it twice.
    """
    message = session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None:
        return Outcome(MessageStatus.CANCELLED)
    if message.status is not MessageStatus.QUEUED or message.channel is MessageChannel.CALL:
        return Outcome(message.status)
    if opted_out(session, message.organisation_id, message.address):
        message.status = MessageStatus.CANCELLED
        message.reason = "opted out"
        message.updated_at = now
        session.commit()
        return Outcome(message.status)
    backend = (backends or Backends.from_settings(settings)).of(message.channel)
    attachments: tuple[Attachment, ...] = ()
    if message.attach_ics:
        attachment = ics_attachment(session, message, feeds)
        attachments = (attachment,) if attachment else ()
    outgoing = Outgoing(
        to=message.address,
        subject=message.subject,
        body=message.body,
        language=message.language,
        attachments=attachments,
    )
    message.attempts += 1
    message.provider = backend.name
    message.updated_at = now
    try:
        provider_id = backend.send(outgoing)
    except DeliveryFailure as failure:
        message.reason = failure.reason
        last = isinstance(failure, PermanentFailure) or message.attempts >= settings.max_attempts
        if last:
            message.status = MessageStatus.FAILED
            message.next_attempt_at = None
            _fall_back_to_a_call(session, message, now)
            session.commit()
            log.warning(
                "message %d failed for good after %d tries (%s)",
                message.id,
                message.attempts,
                backend.name,
            )
            return Outcome(MessageStatus.FAILED)
        retry_at = now + timedelta(seconds=settings.retry_delay_s(message.attempts))
        message.next_attempt_at = retry_at
        session.commit()
        log.info("message %d: try %d failed, next at %s", message.id, message.attempts, retry_at)
        return Outcome(MessageStatus.QUEUED, retry_at)
    message.status = MessageStatus.SENT
    message.provider_id = provider_id
    message.reason = None
    message.sent_at = now
    message.next_attempt_at = None
    session.commit()
    log.info("message %d sent by %s", message.id, backend.name)
    return Outcome(MessageStatus.SENT)


def _fall_back_to_a_call(session: Session, message: OutboxMessage, now: datetime) -> None:
    """A beneficiary unreachable by SMS or e-mail goes on the call list."""
    if message.recipient_kind is not RecipientKind.BENEFICIARY:
        return
    key = message.idempotency_key.rsplit(":", 1)[0]
    queue(
        session,
        organisation_id=message.organisation_id,
        kind=message.kind,
        recipient_kind=message.recipient_kind,
        route=Route(MessageChannel.CALL, message.address),
        key=key,
        language=message.language,
        subject=message.subject,
        body=message.body,
        now=now,
        recipient_name=message.recipient_name,
        request_id=message.request_id,
        appointment_id=message.appointment_id,
    )


def due_messages(
    session: Session, now: datetime, limit: int = 200, organisation_id: int | None = None
) -> list[int]:
    """Queued messages whose time to try has come, oldest first."""
    query = sa.select(OutboxMessage.id)
    if organisation_id is not None:
        query = query.where(OutboxMessage.organisation_id == organisation_id)
    return list(
        session.scalars(
            query.where(
                OutboxMessage.status == MessageStatus.QUEUED,
                OutboxMessage.channel != MessageChannel.CALL,
                sa.or_(
                    OutboxMessage.next_attempt_at.is_(None),
                    OutboxMessage.next_attempt_at <= now,
                ),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def deliver_due(
    session: Session,
    now: datetime,
    *,
    settings: MessageSettings,
    feeds: FeedSettings,
    backends: Backends | None = None,
) -> int:
    """Try every message that is due; how many were sent."""
    backends = backends or Backends.from_settings(settings)
    sent = 0
    for message_id in due_messages(session, now):
        outcome = deliver(
            session, message_id, now=now, settings=settings, feeds=feeds, backends=backends
        )
        sent += outcome.status is MessageStatus.SENT
    return sent
