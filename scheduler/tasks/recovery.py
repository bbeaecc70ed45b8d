"""When a try goes wrong: retried with back-off, failed for good, released, reaped.

The same fences as in :mod:`.runs`: each change is a conditional ``UPDATE`` on ``status``
and ``attempts``, so a decision about a try is taken once even if two processes (a worker
giving up, the reaper) reach it at the same instant.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import TaskRun
from scheduler.models import TaskStatus

from .runs import _WAITING
from .runs import Enqueuer
from .runs import _rowcount
from .runs import mark_undelivered
from .settings import QueueSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What became of a failed try: tried again after ``retry_in_s``, or failed for good."""

    status: TaskStatus
    retry_in_s: float | None


def retry_delay(settings: QueueSettings, attempts: int) -> float:
    """Wait before the next try after ``attempts`` tries: doubled at each failure."""
    return settings.retry_delay_s * (2 ** max(attempts - 1, 0))


def fail_try(
    session: Session,
    run_id: int,
    attempt: int,
    *,
    now: datetime,
    error: str,
    settings: QueueSettings,
    permanent: bool = False,
) -> Outcome | None:
    """Record a failed try: wait and try again while tries are left, else fail the run.

    Commits. ``None`` if the try was no longer current (someone else decided already).
    """
    session.rollback()
    run = session.get(TaskRun, run_id, populate_existing=True)
    if run is None or run.status is not TaskStatus.RUNNING or run.attempts != attempt:
        return None
    return _give_up_or_retry(session, run, now=now, error=error, settings=settings, final=permanent)


def _give_up_or_retry(
    session: Session,
    run: TaskRun,
    *,
    now: datetime,
    error: str,
    settings: QueueSettings,
    final: bool,
    delay_s: float | None = None,
) -> Outcome | None:
    expected = run.status
    attempt = run.attempts
    if final or run.attempts >= run.max_attempts:
        values: dict[str, Any] = {
            "status": TaskStatus.FAILED,
            "finished_at": now,
            "active_scope": None,
        }
        outcome = Outcome(TaskStatus.FAILED, None)
    else:
        delay = retry_delay(settings, run.attempts) if delay_s is None else delay_s
        values = {
            "status": TaskStatus.RETRYING,
            # For a waiting run, heartbeat_at is when it is due: the reaper leaves it alone
            # until then plus stale_after_s.
            "heartbeat_at": now + timedelta(seconds=delay),
        }
        outcome = Outcome(TaskStatus.RETRYING, delay)
    changed = session.execute(
        sa.update(TaskRun)
        .where(TaskRun.id == run.id, TaskRun.status == expected, TaskRun.attempts == attempt)
        .values(error=error[:500], **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if _rowcount(changed) != 1:
        return None
    seconds = (now - run.started_at).total_seconds() if run.started_at else 0.0
    if outcome.status is TaskStatus.FAILED:
        log.warning(
            "task %s run %d failed after %d tries, %.1f s: %s",
            run.kind,
            run.id,
            attempt,
            seconds,
            error[:200],
        )
    else:
        log.warning(
            "task %s run %d try %d failed after %.1f s, next try in %.0f s: %s",
            run.kind,
            run.id,
            attempt,
            seconds,
            outcome.retry_in_s or 0.0,
            error[:200],
        )
    return outcome


def release(
    session: Session, worker_prefix: str, now: datetime, settings: QueueSettings
) -> list[tuple[int, float]]:
    """Give back the runs a stopping worker process leaves unfinished (``worker`` starting
    with ``worker_prefix``): each try counts as failed and is retried at once while tries
    are left, without waiting for the reaper. Commits.

    :returns: ``(run id, delay)`` for each run to hand to the queue, after this commit.
    """
    left = session.scalars(
        sa.select(TaskRun).where(
            TaskRun.status == TaskStatus.RUNNING, TaskRun.worker.startswith(worker_prefix)
        )
    ).all()
    again: list[tuple[int, float]] = []
    for run in left:
        outcome = _give_up_or_retry(
            session,
            run,
            now=now,
            error=f"the worker {run.worker} was stopped during try {run.attempts}",
            settings=settings,
            final=False,
            delay_s=0.0,
        )
        if outcome is not None and outcome.retry_in_s is not None:
            again.append((run.id, outcome.retry_in_s))
    return again


def reap(
    session: Session, now: datetime, settings: QueueSettings, *, queue_is_empty: bool = False
) -> list[tuple[int, float]]:
    """Find runs whose worker died and runs the queue does not hold.

    A running run silent for ``stale_after_s`` is failed (its worker died with it) and
    retried if tries are left. A waiting run is handed to the queue again when the queue
    never took it, or when it is overdue by ``stale_after_s`` while the queue holds no
    message at all (lost with a Redis restarted empty): a second delivery would be harmless
    (only one claim succeeds), but a busy queue is not flooded with them. Commits.

    :param queue_is_empty: the queue's storage holds no message, waiting or scheduled.
    :returns: ``(run id, delay)`` for each run to hand to the queue, after this commit.
    """
    cutoff = now - timedelta(seconds=settings.stale_after_s)
    again: list[tuple[int, float]] = []
    dead = session.scalars(
        sa.select(TaskRun).where(
            TaskRun.status == TaskStatus.RUNNING, TaskRun.heartbeat_at < cutoff
        )
    ).all()
    for run in dead:
        outcome = _give_up_or_retry(
            session,
            run,
            now=now,
            error=f"the worker {run.worker or '?'} stopped answering during try {run.attempts}",
            settings=settings,
            final=False,
        )
        if outcome is not None and outcome.retry_in_s is not None:
            again.append((run.id, outcome.retry_in_s))
    lost: sa.ColumnElement[bool] = TaskRun.heartbeat_at.is_(None)
    if queue_is_empty:
        lost = sa.or_(lost, TaskRun.heartbeat_at < cutoff)
    undelivered = session.scalars(
        sa.select(TaskRun.id).where(
            TaskRun.status.in_(_WAITING), lost, TaskRun.id.not_in([r for r, _ in again])
        )
    ).all()
    for run_id in undelivered:
        session.execute(
            sa.update(TaskRun)
            .where(TaskRun.id == run_id, TaskRun.status.in_(_WAITING))
            .values(heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
        again.append((run_id, 0.0))
    session.commit()
    return again


def reap_and_requeue(session: Session, now: datetime, queue: Enqueuer | None = None) -> int:
    """:func:`reap`, then hand what it found to the queue; how many runs were handed over.

    A run the queue still refuses is marked undelivered: the next pass tries again.
    """
    if queue is None:
        from .queue import current_queue

        queue = current_queue()
    try:
        empty = queue.is_empty()
    except Exception as error:
        log.warning("the task queue cannot be reached: %s", error)
        empty = False
    handed = 0
    for run_id, delay in reap(session, now, queue.settings, queue_is_empty=empty):
        try:
            queue.enqueue(run_id, delay)
            handed += 1
        except Exception as error:
            log.warning("task run %d could not be queued again: %s", run_id, error)
            mark_undelivered(session, run_id)
    return handed
