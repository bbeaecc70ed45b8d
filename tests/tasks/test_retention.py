"""Finished background runs are kept for ``[QUEUE] finished_retention_days``, then the
nightly job forgets them; runs still waiting or working are never touched."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.core.settings import ConfigurationError
from scheduler.jobs import JOBS
from scheduler.models import TaskRun
from scheduler.models import TaskStatus
from scheduler.models import utcnow
from scheduler.runtime import settings_of
from scheduler.tasks import QueueSettings


def _run(key: str, status: TaskStatus, days_ago: float) -> TaskRun:
    at = utcnow() - timedelta(days=days_ago)
    finished = status in (TaskStatus.DONE, TaskStatus.FAILED)
    return TaskRun(
        kind="test_note",
        idempotency_key=key,
        status=status,
        payload={},
        progress={},
        queued_at=at,
        started_at=at,
        heartbeat_at=at,
        finished_at=at if finished else None,
    )


def test_the_nightly_job_forgets_finished_runs_past_the_retention(make_app):
    app = make_app(QUEUE={"backend": "immediate", "finished_retention_days": 30})
    job = next(j for j in JOBS if j.id == "forget_task_runs")
    assert job.cron.get("hour") is not None  # once a night, not every few seconds
    with app.app_context():
        db.session.add_all(
            [
                _run("done-old", TaskStatus.DONE, 31),
                _run("failed-old", TaskStatus.FAILED, 45),
                _run("done-recent", TaskStatus.DONE, 29),
                # Old but not finished: the reaper's business, never the purge's.
                _run("running-old", TaskStatus.RUNNING, 40),
                _run("queued-old", TaskStatus.QUEUED, 40),
                _run("retrying-old", TaskStatus.RETRYING, 40),
            ]
        )
        db.session.commit()
        assert job.func(db.session, utcnow(), settings_of(app)) == 2
        db.session.commit()
        left = set(db.session.scalars(sa.select(TaskRun.idempotency_key)))
    assert left == {"done-recent", "running-old", "queued-old", "retrying-old"}


def test_the_retention_is_read_from_the_queue_settings():
    assert QueueSettings.from_config({}).finished_retention_days == 30
    assert QueueSettings.from_config({"finished_retention_days": 7}).finished_retention_days == 7
    with pytest.raises(ConfigurationError, match="finished_retention_days"):
        QueueSettings.from_config({"finished_retention_days": 0})
