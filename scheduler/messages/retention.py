"""Messages hold personal data (a phone number, a first name): they are kept for a set time.

They go with their request: once a request's personal data is erased (it then carries
an ``erased`` event, see ``scheduler.requests.retention``), its messages are deleted by
the next nightly run; every other message goes after the retention period. Calls still
to make stay until ticked off. Opt-outs are kept: they are what honours a STOP.
"""

from __future__ import annotations

import logging
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import RequestEvent

log = logging.getLogger(__name__)

#: The kind of history event that marks an erased request.
ERASED = "erased"


def forget_old_messages(session: Session, now: datetime, days: int) -> int:
    """Erase messages of erased requests, and those made more than ``days`` ago."""
    erased_requests = sa.select(RequestEvent.request_id).where(RequestEvent.kind == ERASED)
    result = session.execute(
        sa.delete(OutboxMessage).where(
            sa.or_(
                OutboxMessage.request_id.in_(erased_requests),
                sa.and_(
                    OutboxMessage.created_at < now - timedelta(days=days),
                    OutboxMessage.status != MessageStatus.QUEUED,
                ),
            )
        )
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        log.info("erased %d messages (erased requests, or older than %d days)", count, days)
    return count
