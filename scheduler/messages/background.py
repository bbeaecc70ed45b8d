"""Sending messages in the background: one task-queue run per try of one message.

Pages and timed jobs only queue messages in the outbox and hand them to the workers with
:func:`hand_over`; a worker's ``send_message`` run calls :func:`~.delivery.deliver`, which
sends and records the outcome. Several messages at once (publishing a week queues one per
appointment and per volunteer day) are handed over as ONE ``hand_over_messages`` run, and
that run's worker asks for the ``send_message`` runs: the page that queued them commits
and enqueues once, not once per message. The run's key names the message and its try, so a message
is handed over once per try however many pages and jobs ask: a temporary failure leaves
the message queued with its next try's time (``[MESSAGES] retry_delays_s``), and the
``send_messages`` job hands it over again once that time has come.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import OutboxMessage
from scheduler.tasks import PermanentFailure
from scheduler.tasks import QueueUnavailable
from scheduler.tasks import TaskContext
from scheduler.tasks import current_queue
from scheduler.tasks import handler
from scheduler.tasks import submit
from scheduler.tasks.runs import Enqueuer

from .delivery import deliver
from .delivery import due_messages

log = logging.getLogger(__name__)

SEND_MESSAGE = "send_message"
HAND_OVER_MESSAGES = "hand_over_messages"


def hand_over(
    session: Session,
    message_ids: Iterable[int],
    *,
    now: datetime,
    queue: Enqueuer | None = None,
) -> int:
    """Ask a worker to try each message once more; how many runs were newly asked for.

    A queue that does not answer loses nothing: the run is saved and the reaper hands it
    over later, and the message stays queued for the next ``send_messages`` tick.
    """
    created = 0
    for message_id in message_ids:
        message = session.get(OutboxMessage, message_id)
        if message is None:
            continue
        key = f"{SEND_MESSAGE}:{message.id}:{message.attempts}"
        organisation_id = message.organisation_id
        try:
            _run, new = submit(
                session,
                kind=SEND_MESSAGE,
                key=key,
                now=now,
                payload={"message_id": message_id},
                organisation_id=organisation_id,
                queue=queue,
                # Tries of the run are for crashes only; the message counts its own tries.
                max_attempts=2,
            )
        except QueueUnavailable as error:
            log.warning("message %d will be handed over later: %s", message_id, error.reason)
            continue
        created += new
    return created


def hand_over_due(
    session: Session,
    now: datetime,
    *,
    organisation_id: int | None = None,
    queue: Enqueuer | None = None,
) -> int:
    """Hand every message whose time to try has come to the workers.

    One message gets its ``send_message`` run at once; several get one
    ``hand_over_messages`` run that asks for theirs in a worker (how many runs were newly
    asked for: that one). An ``immediate`` queue (tests) runs everything in the caller
    anyway, so there a bulk run would only add a run: each message gets its own.
    """
    if queue is None:
        queue = current_queue()
    due = list(due_messages(session, now, organisation_id=organisation_id))
    if len(due) <= 1 or queue.settings.backend == "immediate":
        return hand_over(session, due, now=now, queue=queue)
    return hand_over_in_bulk(session, due, now=now, organisation_id=organisation_id, queue=queue)


def hand_over_in_bulk(
    session: Session,
    message_ids: Iterable[int],
    *,
    now: datetime,
    organisation_id: int | None = None,
    queue: Enqueuer | None = None,
) -> int:
    """Ask for one run that hands all these messages over; 1 if it is new, else 0.

    Its key names every message and its try, read in one query, so that the same batch
    asked for twice is one run, and a message's next try makes a new batch.
    """
    ids = sorted(set(message_ids))
    rows = session.execute(
        sa.select(OutboxMessage.id, OutboxMessage.attempts).where(OutboxMessage.id.in_(ids))
    ).all()
    if not rows:
        return 0
    tries = ",".join(f"{row.id}:{row.attempts}" for row in sorted(rows))
    key = f"{HAND_OVER_MESSAGES}:{hashlib.sha256(tries.encode()).hexdigest()[:40]}"
    try:
        _run, new = submit(
            session,
            kind=HAND_OVER_MESSAGES,
            key=key,
            now=now,
            payload={"message_ids": [row.id for row in sorted(rows)]},
            organisation_id=organisation_id,
            queue=queue,
        )
    except QueueUnavailable as error:
        log.warning("%d messages will be handed over later: %s", len(rows), error.reason)
        return 0
    log.info("%d messages handed over together", len(rows))
    return int(new)


@handler(HAND_OVER_MESSAGES)
def hand_over_messages_run(ctx: TaskContext) -> dict[str, Any]:
    """The worker's side of a bulk hand-over: one ``send_message`` run per message."""
    ids = ctx.payload.get("message_ids")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise PermanentFailure("no list of message ids in the payload")
    return {"handed_over": hand_over(ctx.session, ids, now=ctx.now)}


@handler(SEND_MESSAGE)
def send_message_run(ctx: TaskContext) -> dict[str, Any]:
    """Try one message now and record the outcome in the outbox."""
    try:
        message_id = int(ctx.payload["message_id"])
    except (KeyError, TypeError, ValueError) as error:
        raise PermanentFailure(f"no message id in the payload: {error}") from error
    settings = ctx.settings
    outcome = deliver(
        ctx.session,
        message_id,
        now=ctx.now,
        settings=settings.messages,
        feeds=settings.feeds,
    )
    return {
        "status": outcome.status.value,
        "retry_at": outcome.retry_at.isoformat() if outcome.retry_at else None,
    }
