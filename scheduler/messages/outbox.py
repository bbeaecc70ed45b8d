"""Putting messages in the outbox: once per event, recipient and channel, with consent.

:func:`queue` is the one way in. It refuses nothing loudly: a message already queued
for the same key, a kind turned off by the organisation, or an address that said STOP
simply yields no new row, so every caller (a page after its commit, a timed job
sweeping the day) may ask again without fear of doubles.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import phonenumbers
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from scheduler.models import Beneficiary
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import MessageOptOut
from scheduler.models import MessageSetting
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import Volunteer

log = logging.getLogger(__name__)

#: Phone number types that may receive an SMS. North American numbers cannot be told
#: apart (FIXED_LINE_OR_MOBILE): an SMS is tried and a failure puts the person on the
#: call list.
SMS_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


@dataclass(frozen=True, slots=True)
class Route:
    """Where one message goes."""

    channel: MessageChannel
    address: str


def can_text(phone: str | None) -> bool:
    """True when ``phone`` (E.164) may be a mobile number."""
    if not phone:
        return False
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in SMS_TYPES


def opted_out(session: Session, organisation_id: int, address: str) -> bool:
    return (
        session.scalar(
            sa.select(MessageOptOut.id).where(
                MessageOptOut.organisation_id == organisation_id,
                MessageOptOut.address == normal_address(address),
            )
        )
        is not None
    )


def normal_address(address: str) -> str:
    return address.strip().lower() if "@" in address else address.strip()


def beneficiary_route(
    session: Session, beneficiary: Beneficiary | None, *, sms: bool = True
) -> Route | None:
    """SMS to a mobile, else e-mail, else the call list; None without any contact.

    An address that said STOP is skipped for the next channel; the call list is the
    last resort, so nobody who asked for help is left unaware. ``sms`` is False when no
    SMS provider is set up.
    """
    if beneficiary is None:
        return None
    org = beneficiary.organisation_id
    texting = sms and can_text(beneficiary.phone)
    if texting and not opted_out(session, org, beneficiary.phone):
        return Route(MessageChannel.SMS, beneficiary.phone)
    if beneficiary.email and not opted_out(session, org, beneficiary.email):
        return Route(MessageChannel.EMAIL, normal_address(beneficiary.email))
    if beneficiary.phone:
        return Route(MessageChannel.CALL, beneficiary.phone)
    return None


def volunteer_route(session: Session, volunteer: Volunteer, *, sms: bool = True) -> Route | None:
    """The channel the volunteer chose; by default e-mail when they gave one, else SMS."""
    choice = volunteer.message_channel or ""
    if choice == "none":
        return None
    org = volunteer.organisation_id
    email = normal_address(volunteer.email) if volunteer.email else None
    phone = volunteer.phone
    candidates: list[Route] = []
    if choice == "sms":
        if phone:
            candidates.append(Route(MessageChannel.SMS, phone))
        if email:
            candidates.append(Route(MessageChannel.EMAIL, email))
    else:
        if email:
            candidates.append(Route(MessageChannel.EMAIL, email))
        if phone and can_text(phone):
            candidates.append(Route(MessageChannel.SMS, phone))
    for route in candidates:
        if route.channel is MessageChannel.SMS and not sms:
            continue
        if not opted_out(session, org, route.address):
            return route
    return None


def setting(session: Session, organisation_id: int, kind: MessageKind) -> MessageSetting | None:
    return session.scalar(
        sa.select(MessageSetting).where(
            MessageSetting.organisation_id == organisation_id, MessageSetting.kind == kind
        )
    )


def enabled(session: Session, organisation_id: int, kind: MessageKind) -> bool:
    row = setting(session, organisation_id, kind)
    return row is None or row.enabled


def already(session: Session, key: str) -> bool:
    return (
        session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key))
        is not None
    )


def _insert_for(session: Session) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def queue(
    session: Session,
    *,
    organisation_id: int,
    kind: MessageKind,
    recipient_kind: RecipientKind,
    route: Route,
    key: str,
    language: str,
    subject: str,
    body: str,
    now: datetime,
    recipient_name: str = "",
    request_id: int | None = None,
    appointment_id: int | None = None,
    volunteer_id: int | None = None,
    attach_ics: bool = False,
) -> OutboxMessage | None:
    """Add one message to the outbox unless the same key is already there; flush only.

    ``key`` names the event and the recipient; the channel is added here, so that a
    failed SMS can still fall back to a call for the same event.
    """
    full_key = f"{key}:{route.channel.value}"
    if already(session, full_key):
        return None
    values = dict(
        organisation_id=organisation_id,
        kind=kind,
        recipient_kind=recipient_kind,
        channel=route.channel,
        address=route.address,
        recipient_name=recipient_name[:120],
        language=language,
        subject=subject[:200],
        body=body,
        attach_ics=attach_ics and route.channel is MessageChannel.EMAIL,
        status=MessageStatus.QUEUED,
        idempotency_key=full_key[:200],
        request_id=request_id,
        appointment_id=appointment_id,
        volunteer_id=volunteer_id,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    # One INSERT that yields to a row already holding the key: two writers racing on one
    # key leave one row, and the message stays in the caller's transaction. (A savepoint
    # would not: SQLite's driver opens no transaction for one, so releasing it committed
    # the message on its own.)
    new_id = session.execute(
        _insert_for(session)(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[OutboxMessage.idempotency_key])
        .returning(OutboxMessage.id)
    ).scalar_one_or_none()
    if new_id is None:
        return None
    message = session.get_one(OutboxMessage, new_id)
    log.info(
        "message %d queued: %s to a %s by %s",
        message.id,
        kind.value,
        recipient_kind.value,
        route.channel.value,
    )
    return message
