"""Messages hold personal data (a phone number, a first name): they are kept for a set time."""

from __future__ import annotations

import logging
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage

log = logging.getLogger(__name__)


def forget_old_messages(session: Session, now: datetime, days: int) -> int:
    """Erase messages made more than ``days`` ago, except calls still to make."""
    result = session.execute(
        sa.delete(OutboxMessage).where(
            OutboxMessage.created_at < now - timedelta(days=days),
            OutboxMessage.status != MessageStatus.QUEUED,
        )
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        log.info("erased %d messages older than %d days", count, days)
    return count
