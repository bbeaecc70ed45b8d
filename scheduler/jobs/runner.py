"""Runs the timed jobs: one APScheduler 3 ``BlockingScheduler`` in its own process.

Each run gets a fresh application context and database session, and commits once
when the job returns; a job that fails is rolled back, logged, and tried again at
its next time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from scheduler.core.extensions import db
from scheduler.models import utcnow
from scheduler.runtime import settings_of

from . import JOBS
from . import JobSpec

log = logging.getLogger(__name__)


class JobsConfigurationError(ValueError):
    """``[JOBS]`` in the configuration names an unknown job, zone or cron field."""


def jobs_settings(app: Flask) -> Mapping[str, Any]:
    return app.config.get("JOBS") or {}


def jobs_timezone(app: Flask) -> ZoneInfo:
    name = jobs_settings(app).get("timezone") or app.config.get("BABEL_DEFAULT_TIMEZONE", "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise JobsConfigurationError(f"[JOBS] timezone {name!r} is not a known zone") from error


def triggers(app: Flask, jobs: Iterable[JobSpec] = JOBS) -> dict[str, CronTrigger]:
    """Each job's trigger: its default cron fields, replaced by ``[JOBS.schedules]``."""
    zone = jobs_timezone(app)
    schedules = dict(jobs_settings(app).get("schedules") or {})
    jobs = list(jobs)
    unknown = set(schedules) - {spec.id for spec in jobs}
    if unknown:
        raise JobsConfigurationError(f"[JOBS.schedules] names unknown jobs: {sorted(unknown)}")
    made = {}
    for spec in jobs:
        fields = dict(schedules.get(spec.id) or spec.cron)
        try:
            made[spec.id] = CronTrigger(timezone=zone, **fields)
        except (TypeError, ValueError) as error:
            raise JobsConfigurationError(f"schedule of job {spec.id!r}: {error}") from error
    return made


def run_job(app: Flask, spec: JobSpec, now: datetime | None = None) -> int:
    """Run one job now, in its own application context; commit what it did.

    Logs one line per run: the job, how many things it did and how long it took.
    """
    began = time.monotonic()
    with app.app_context():
        try:
            done = spec.func(db.session(), now or utcnow(), settings_of(app))
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("job %s failed after %.1f s", spec.id, time.monotonic() - began)
            raise
        finally:
            db.session.remove()
    log.info("job %s done: %d in %.1f s", spec.id, done, time.monotonic() - began)
    return done


def build_scheduler(app: Flask, jobs: Iterable[JobSpec] = JOBS) -> BlockingScheduler:
    """A scheduler holding every job; ``start()`` blocks until the process is stopped."""
    jobs = list(jobs)
    made = triggers(app, jobs)
    scheduler = BlockingScheduler(timezone=jobs_timezone(app))
    for spec in jobs:
        scheduler.add_job(
            run_job,
            trigger=made[spec.id],
            args=(app, spec),
            id=spec.id,
            name=spec.description,
            coalesce=spec.coalesce,
            max_instances=spec.max_instances,
            misfire_grace_time=spec.misfire_grace_time,
            replace_existing=True,
        )
    return scheduler
