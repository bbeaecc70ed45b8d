"""Background work: one row per run of a task, the truth the queue only delivers.

The task queue (huey) carries nothing but a run's id; what to do, how far it got, who
asked and how it ended live here, so a lost message, a worker killed mid-run or a
queue restarted empty lose nothing: the row says what is left to do.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime
from .base import str_enum
from .base import utcnow


class TaskStatus(enum.StrEnum):
    """queued → running → done; running → retrying → running… → failed after the last try."""

    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    DONE = "done"
    FAILED = "failed"


#: A run in one of these is not over: it holds its scope.
ACTIVE_TASK_STATUSES = frozenset({TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.RETRYING})


class TaskRun(Base):
    __tablename__ = "task_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Which handler runs it (``plan_week``…).
    kind: Mapped[str] = mapped_column(sa.String(60), index=True)
    #: Asking twice with the same key gives the same run (a form sent twice, a retried call).
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    #: What only one run may do at a time (``plan_week:3:2026-12-07``) while it is active;
    #: emptied when the run ends, so the next one may start. Unique: a second request
    #: for the same scope attaches to the active run.
    active_scope: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status: Mapped[TaskStatus] = mapped_column(
        str_enum(TaskStatus), default=TaskStatus.QUEUED, index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    #: What the handler last reported while running (counts, best so far…).
    progress: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: Tries started so far; also the fence a worker's writes must still match.
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    #: Why the last try failed, in a line (type and message, never a traceback).
    error: Mapped[str | None] = mapped_column(sa.String(500))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Last sign of life of the worker running it; for a run waiting in the queue,
    #: when it was last handed to the queue (or when its retry is due).
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: host:pid:thread of the worker that took the current try.
    worker: Mapped[str | None] = mapped_column(sa.String(120))

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_TASK_STATUSES
