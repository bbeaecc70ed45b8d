"""The life of a run in the database: asked for, claimed, alive, finished, retried, reaped.

Every change of state is one conditional ``UPDATE`` whose ``WHERE`` says what the row must
still be (``status``, and ``attempts`` as the fence of the try): two workers handed the
same run both try to claim it and exactly one succeeds; a worker that was given up for
dead and comes back finds its try no longer current and its result is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.models import TaskRun
from scheduler.models import TaskStatus

from .settings import QueueSettings

log = logging.getLogger(__name__)

_WAITING = (TaskStatus.QUEUED, TaskStatus.RETRYING)
_ACTIVE = (TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.RETRYING)


class Enqueuer(Protocol):
    """What hands a run's id to the workers (a :class:`~scheduler.tasks.queue.TaskQueue`)."""

    settings: QueueSettings

    def enqueue(self, run_id: int, delay_s: float = 0.0) -> None: ...

    def is_empty(self) -> bool:
        """No message waits in the queue's storage, now or scheduled."""
        ...


class QueueUnavailable(RuntimeError):
    """The queue could not take the run. The run is saved and stays queued: the reaper hands
    it to the queue again once it answers, so nothing asked for is lost."""

    def __init__(self, run_id: int, reason: str) -> None:
        super().__init__(f"the task queue could not take run {run_id}: {reason}")
        self.run_id = run_id
        self.reason = reason


def find_active(session: Session, scope: str) -> TaskRun | None:
    """The run now holding ``scope``, if any."""
    return session.scalars(sa.select(TaskRun).where(TaskRun.active_scope == scope)).first()


def submit(
    session: Session,
    *,
    kind: str,
    key: str,
    now: datetime,
    payload: dict[str, Any],
    scope: str | None = None,
    organisation_id: int | None = None,
    user_id: int | None = None,
    queue: Enqueuer | None = None,
    max_attempts: int | None = None,
) -> tuple[TaskRun, bool]:
    """Ask for a run, or find the one already asked for: ``(run, created)``.

    The same ``key`` gives back the same run; while a run holds ``scope`` a new request
    for that scope attaches to it. A new run is committed before it is handed to the
    queue, so a worker never looks for a row that is not there yet.

    :param queue: where to hand it; the application's queue by default.
    :raises QueueUnavailable: the run is saved but the queue did not answer.
    """
    if queue is None:
        from .queue import current_queue

        queue = current_queue()
    existing = _existing(session, key, scope)
    if existing is not None:
        return existing, False
    run = TaskRun(
        kind=kind,
        idempotency_key=key,
        active_scope=scope,
        organisation_id=organisation_id,
        requested_by_id=user_id,
        status=TaskStatus.QUEUED,
        payload={**payload, "scope": scope} if scope else dict(payload),
        progress={},
        attempts=0,
        max_attempts=max_attempts or queue.settings.max_attempts,
        queued_at=now,
        heartbeat_at=now,
    )
    session.add(run)
    try:
        session.commit()
    except IntegrityError:
        # Someone asked at the same instant: theirs won, attach to it.
        session.rollback()
        existing = _existing(session, key, scope)
        if existing is None:
            raise
        return existing, False
    run_id = run.id
    log.info("task %s run %d queued", kind, run_id)
    try:
        queue.enqueue(run_id)
    except Exception as error:  # any storage error: Redis down, SQLite file unwritable…
        log.warning("task %s run %d could not be queued: %s", kind, run_id, error)
        mark_undelivered(session, run_id)
        raise QueueUnavailable(run_id, f"{type(error).__name__}: {error}") from error
    # An immediate queue has already run it on its own session: read what it wrote.
    session.expire(run)
    return run, True


def mark_undelivered(session: Session, run_id: int) -> None:
    """Note that the queue never took this waiting run: the reaper hands it over. Commits."""
    session.rollback()
    session.execute(
        sa.update(TaskRun)
        .where(TaskRun.id == run_id, TaskRun.status.in_(_WAITING))
        .values(heartbeat_at=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _existing(session: Session, key: str, scope: str | None) -> TaskRun | None:
    found = session.scalars(sa.select(TaskRun).where(TaskRun.idempotency_key == key)).first()
    if found is None and scope is not None:
        found = find_active(session, scope)
    return found


def claim(session: Session, run_id: int, *, worker: str, now: datetime) -> TaskRun | None:
    """Take a waiting run for this worker and start a new try; ``None`` if it is not waiting
    (already taken by another delivery, finished, or gone). Commits."""
    taken = session.execute(
        sa.update(TaskRun)
        .where(TaskRun.id == run_id, TaskRun.status.in_(_WAITING))
        .values(
            status=TaskStatus.RUNNING,
            attempts=TaskRun.attempts + 1,
            worker=worker[:120],
            started_at=now,
            heartbeat_at=now,
            error=None,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if _rowcount(taken) != 1:
        return None
    run = session.get(TaskRun, run_id, populate_existing=True)
    if run is not None:
        log.info(
            "task %s run %d started, try %d of %d, on %s",
            run.kind,
            run.id,
            run.attempts,
            run.max_attempts,
            worker,
        )
    return run


def _current_try(run_id: int, attempt: int) -> Any:
    return sa.and_(
        TaskRun.id == run_id, TaskRun.status == TaskStatus.RUNNING, TaskRun.attempts == attempt
    )


def heartbeat(
    connection: sa.Connection,
    run_id: int,
    attempt: int,
    now: datetime,
    progress: dict[str, Any] | None = None,
) -> bool:
    """Say the try is alive (and how far it got); ``False`` once it is no longer current."""
    values: dict[str, Any] = {"heartbeat_at": now}
    if progress is not None:
        values["progress"] = progress
    done = connection.execute(
        sa.update(TaskRun).where(_current_try(run_id, attempt)).values(**values)
    )
    return _rowcount(done) == 1


def finish(
    session: Session, run_id: int, attempt: int, *, now: datetime, result: dict[str, Any] | None
) -> bool:
    """Mark the try done, in the same transaction as what the handler wrote; commits.

    :returns: ``False`` if the try was no longer current (reaped and given to another
        worker): then nothing the handler wrote is kept.
    """
    done = session.execute(
        sa.update(TaskRun)
        .where(_current_try(run_id, attempt))
        .values(
            status=TaskStatus.DONE,
            result=result,
            finished_at=now,
            heartbeat_at=now,
            active_scope=None,
        )
        .execution_options(synchronize_session=False)
    )
    if _rowcount(done) != 1:
        session.rollback()
        return False
    session.commit()
    return True


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


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


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
