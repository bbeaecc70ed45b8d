"""The call list: people to call, with what to say, until a dispatcher ticks them off.

A line is an outbox message on the ``call`` channel. Ticking it records who called
and when, and it leaves the list.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import MessageChannel
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import User

log = logging.getLogger(__name__)


def calls_to_make(session: Session, organisation_id: int) -> list[OutboxMessage]:
    """Open lines of the organisation's call list, oldest first."""
    return list(
        session.scalars(
            sa.select(OutboxMessage)
            .where(
                OutboxMessage.organisation_id == organisation_id,
                OutboxMessage.channel == MessageChannel.CALL,
                OutboxMessage.status == MessageStatus.QUEUED,
            )
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )


def tick_call(
    session: Session, organisation_id: int, message_id: int, *, user: User, now: datetime
) -> bool:
    """Mark one call as made; False when there is no such open line. Commits."""
    message = session.get(OutboxMessage, message_id)
    if (
        message is None
        or message.organisation_id != organisation_id
        or message.channel is not MessageChannel.CALL
        or message.status is not MessageStatus.QUEUED
    ):
        return False
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.updated_at = now
    message.done_by_id = user.id
    message.attempts += 1
    session.commit()
    log.info("call %d made by user %d", message.id, user.id)
    return True


def messages_of_request(session: Session, request_id: int) -> list[OutboxMessage]:
    """Every message about one request, newest first, for its page."""
    return list(
        session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.request_id == request_id)
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        )
    )


def recent_messages(
    session: Session, organisation_id: int, *, status: MessageStatus | None = None, limit: int = 200
) -> list[OutboxMessage]:
    """The organisation's outbox, newest first."""
    query = sa.select(OutboxMessage).where(OutboxMessage.organisation_id == organisation_id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(
        session.scalars(
            query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)
        )
    )
