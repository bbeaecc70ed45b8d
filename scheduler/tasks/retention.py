"""How long finished runs are kept: ``[QUEUE] finished_retention_days``.

A run's row holds its payload, its progress and its result (ids, counts, an error text):
useful to follow a run and to understand a failure for a few weeks, then only clutter.
Runs still waiting or working are never deleted here; the reaper looks after them.
"""

from __future__ import annotations

import logging
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import TaskRun
from scheduler.models import TaskStatus

log = logging.getLogger(__name__)

FINISHED = (TaskStatus.DONE, TaskStatus.FAILED)


def forget_finished(session: Session, now: datetime, retention_days: int) -> int:
    """Delete runs that finished more than ``retention_days`` ago; how many went.

    The caller commits (the jobs' runner).
    """
    cutoff = now - timedelta(days=retention_days)
    result = session.execute(
        sa.delete(TaskRun)
        .where(TaskRun.status.in_(FINISHED), TaskRun.finished_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    log.info("task runs: %d finished more than %d days ago deleted", count, retention_days)
    return count
