"""One try of one run, inside a worker: claim, keep alive, call the handler, record the end."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

import sqlalchemy as sa

from scheduler.core.extensions import db

from .recovery import fail_try
from .recovery import release
from .registry import PermanentFailure
from .registry import TaskContext
from .registry import UnknownTaskKind
from .registry import handler_for
from .registry import load_handlers
from .runs import claim
from .runs import finish
from .runs import heartbeat
from .runs import mark_undelivered

if TYPE_CHECKING:
    from .queue import TaskQueue

log = logging.getLogger(__name__)


class Heartbeat:
    """A thread that tells the database, every ``every_s`` seconds, that the try is alive.

    It writes on a connection of its own, so the handler's transaction is never touched;
    :meth:`report` writes the handler's progress the same way, at once.
    """

    def __init__(
        self,
        engine: sa.Engine,
        run_id: int,
        attempt: int,
        every_s: float,
        clock: Callable[[], datetime],
        progress: dict[str, Any] | None = None,
    ) -> None:
        self.engine = engine
        self.run_id = run_id
        self.attempt = attempt
        self.every_s = every_s
        self.clock = clock
        self.progress: dict[str, Any] = dict(progress or {})
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-{run_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every_s + 5)

    def report(self, progress: dict[str, Any]) -> None:
        with self._lock:
            self.progress.update(progress)
            self._write(dict(self.progress))

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            with self._lock:
                self._write(None)

    def _write(self, progress: dict[str, Any] | None) -> None:
        try:
            with self.engine.begin() as connection:
                heartbeat(connection, self.run_id, self.attempt, self.clock(), progress)
        except Exception as error:  # a busy database must not stop the work itself
            log.warning("task run %d: could not record a heartbeat: %s", self.run_id, error)


def execute(
    queue: TaskQueue,
    run_id: int,
    *,
    worker: str,
    clock: Callable[[], datetime] | None = None,
) -> None:
    """Run one delivery of ``run_id``: nothing if another delivery has it already."""
    from .queue import utc_now

    now = clock or utc_now
    load_handlers()
    with queue.app.app_context():
        session = db.session()
        try:
            run = claim(session, run_id, worker=worker, now=now())
            if run is None:
                log.info("task run %d is not waiting: this delivery is ignored", run_id)
                return
            _try(queue, session, run, now)
        finally:
            db.session.remove()


def _try(queue: TaskQueue, session: Any, run: Any, now: Callable[[], datetime]) -> None:
    run_id, attempt, kind = run.id, run.attempts, run.kind
    began = time.monotonic()
    beat = Heartbeat(db.engine, run_id, attempt, queue.settings.heartbeat_s, now, run.progress)
    beat.start()
    try:
        try:
            function = handler_for(kind)
            context = TaskContext(session, run, now(), queue.app_settings, beat.report)
            result = function(context)
        except (PermanentFailure, UnknownTaskKind) as error:
            fail_try(
                session,
                run_id,
                attempt,
                now=now(),
                error=_line(error),
                settings=queue.settings,
                permanent=True,
            )
            return
        except Exception as error:
            log.exception("task %s run %d try %d raised", kind, run_id, attempt)
            outcome = fail_try(
                session, run_id, attempt, now=now(), error=_line(error), settings=queue.settings
            )
            if outcome is not None and outcome.retry_in_s is not None:
                _enqueue_again(queue, run_id, outcome.retry_in_s)
            return
    finally:
        beat.stop()
    if finish(session, run_id, attempt, now=now(), result=result):
        log.info(
            "task %s run %d done in %.1f s (try %d)",
            kind,
            run_id,
            time.monotonic() - began,
            attempt,
        )
    else:
        log.warning(
            "task %s run %d try %d finished after it was given up for lost; its result is dropped",
            kind,
            run_id,
            attempt,
        )


def release_after_stop(queue: TaskQueue, process_prefix: str) -> int:
    """After this worker process's consumer stopped: retry at once the runs its threads
    leave unfinished (stopped with SIGTERM), rather than after ``stale_after_s``."""
    from .queue import utc_now

    with queue.app.app_context():
        try:
            again = release(db.session(), process_prefix, utc_now(), queue.settings)
            for run_id, delay in again:
                _enqueue_again(queue, run_id, delay)
        finally:
            db.session.remove()
    return len(again)


def _enqueue_again(queue: TaskQueue, run_id: int, delay_s: float) -> None:
    try:
        queue.enqueue(run_id, delay_s)
    except Exception as error:  # the reaper will hand it over once the queue answers
        log.warning("task run %d could not be queued again: %s", run_id, error)
        mark_undelivered(db.session(), run_id)


def _line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
