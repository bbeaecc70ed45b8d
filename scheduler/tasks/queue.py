"""The task queue itself: huey, over SQLite (no server), Redis (several machines) or nothing
(``immediate``: run in the caller, for tests).

Huey carries only a run's id to one ``execute`` task; what the run is lives in the
database (:mod:`scheduler.tasks.runs`). Huey's own retries are off: tries are counted in
the row, so they survive a worker killed mid-run or a queue emptied by a restart.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey
from huey import MemoryHuey
from huey import RedisHuey
from huey import SqliteHuey
from huey.consumer import Consumer

from .settings import QueueSettings

log = logging.getLogger(__name__)

#: Name of the queue inside its storage (a Redis key prefix, a SQLite table's rows).
QUEUE_NAME = "escouade"
EXTENSION = "escouade.queue"

_current: TaskQueue | None = None


def build_huey(settings: QueueSettings, instance_path: str | os.PathLike[str]) -> Huey:
    """The huey instance ``settings`` describe; results are kept in the database, not here."""
    if settings.backend == "immediate":
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if settings.backend == "redis":
        return RedisHuey(QUEUE_NAME, url=settings.redis_url, results=False)
    path = Path(settings.sqlite_path)
    if not path.is_absolute():
        path = Path(instance_path) / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)


class TaskQueue:
    """One application's queue: hands run ids to huey, and runs them in a worker."""

    def __init__(self, app: Flask, settings: QueueSettings, app_settings: Any = None) -> None:
        self.app = app
        self.settings = settings
        #: The application's typed settings, handed to handlers.
        self.app_settings = app_settings
        self._huey: Huey | None = None
        self._execute: Any = None
        self._lock = threading.Lock()

    @property
    def huey(self) -> Huey:
        """Built on first use: creating an application (a command, a test) opens no queue."""
        with self._lock:
            if self._huey is None:
                huey = build_huey(self.settings, self.app.instance_path)
                self._execute = huey.task(name="execute_run")(self._run)
                self._huey = huey
            return self._huey

    def enqueue(self, run_id: int, delay_s: float = 0.0) -> None:
        """Hand a run to the workers, now or after ``delay_s`` seconds.

        :raises Exception: whatever the storage raises when it cannot be reached.
        """
        huey = self.huey
        if delay_s > 0 and not huey.immediate:
            self._execute.schedule(args=(run_id,), delay=delay_s)
        else:
            self._execute(run_id)

    def _run(self, run_id: int) -> None:
        from .worker import execute

        execute(self, run_id, worker=worker_name())

    def consumer(self, workers: int | None = None) -> Consumer:
        """A huey consumer taking this queue's runs on ``workers`` threads."""
        if self.huey.immediate:
            raise RuntimeError("an immediate queue runs tasks in the caller; it has no workers")
        return self.huey.create_consumer(
            workers=workers or self.settings.workers,
            worker_type="thread",
            periodic=False,
            # A retry is a scheduled task: look for due ones every second.
            scheduler_interval=1,
            check_worker_health=True,
            # An idle worker polls SQLite at most a second apart (huey's default backs off
            # to ten): a dispatcher waits for a plan to start, not for the poll. Redis
            # blocks on its list instead of polling.
            max_delay=1.0,
        )

    def pending(self) -> int:
        """Messages waiting in the queue's storage (not the runs: see the database)."""
        return int(self.huey.pending_count())

    def is_empty(self) -> bool:
        """No message waits in the storage, now or scheduled for later."""
        return self.pending() == 0 and int(self.huey.scheduled_count()) == 0


def process_name() -> str:
    """host:pid: what every worker name of this process starts with."""
    return f"{socket.gethostname()}:{os.getpid()}:"


def worker_name() -> str:
    return f"{process_name()}{threading.current_thread().name}"


def install_queue(app: Flask, settings: QueueSettings, app_settings: Any = None) -> TaskQueue:
    """Give ``app`` its queue; it also becomes this process's default for ``submit``."""
    global _current
    queue = TaskQueue(app, settings, app_settings)
    app.extensions[EXTENSION] = queue
    _current = queue
    return queue


def queue_of(app: Flask) -> TaskQueue:
    queue: TaskQueue = app.extensions[EXTENSION]
    return queue


def current_queue() -> TaskQueue:
    """The queue of the application this process built last (a process runs one)."""
    if _current is None:
        raise RuntimeError("no task queue yet: create_app() installs one")
    return _current


def utc_now() -> datetime:
    return datetime.now(UTC)
