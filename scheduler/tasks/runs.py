"""The life of a run in the database: asked for, claimed, alive, finished.

What happens when a try fails or its worker dies lives in :mod:`.recovery`.

Every change of state is one conditional ``UPDATE`` whose ``WHERE`` says what the row must
still be (``status``, and ``attempts`` as the fence of the try): two workers handed the
same run both try to claim it and exactly one succeeds; a worker that was given up for
dead and comes back finds its try no longer current and its result is dropped.
"""

from __future__ import annotations

import logging
from datetime import datetime
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


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
