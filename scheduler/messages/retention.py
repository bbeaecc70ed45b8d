"""Messages hold personal data (a phone number, a first name): they are kept for a set time.

They go with their request: once a request's personal data is erased (it then carries
an ``erased`` event, see ``scheduler.requests.retention``), its messages are deleted by
the next nightly run; every other message goes after the retention period. Calls still
to make stay until ticked off. Opt-outs are kept: they are what honours a STOP.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.audit import record
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import RequestEvent

log = logging.getLogger(__name__)

#: The kind of history event that marks an erased request.
ERASED = "erased"


def forget_old_messages(session: Session, now: datetime, days: int) -> int:
    """Erase messages of erased requests, and those made more than ``days`` ago; each
    organisation's erasure is recorded in its audit trail (a count, never a name)."""
    erased_requests = sa.select(RequestEvent.request_id).where(RequestEvent.kind == ERASED)
    rows = session.execute(
        sa.select(OutboxMessage.id, OutboxMessage.organisation_id).where(
            sa.or_(
                OutboxMessage.request_id.in_(erased_requests),
                sa.and_(
                    OutboxMessage.created_at < now - timedelta(days=days),
                    OutboxMessage.status != MessageStatus.QUEUED,
                ),
            )
        )
    ).all()
    by_organisation: dict[int, list[int]] = defaultdict(list)
    for message_id, organisation_id in rows:
        by_organisation[organisation_id].append(message_id)
    for organisation_id, ids in sorted(by_organisation.items()):
        for start in range(0, len(ids), 500):
            session.execute(
                sa.delete(OutboxMessage).where(OutboxMessage.id.in_(ids[start : start + 500]))
            )
        record(
            session,
            actor=None,
            action="messages.erase",
            detail={"count": len(ids), "retention_days": days},
            now=now,
            organisation_id=organisation_id,
        )
    if rows:
        log.info("erased %d messages (erased requests, or older than %d days)", len(rows), days)
    return len(rows)
