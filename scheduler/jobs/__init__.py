"""Timed jobs: what runs by itself, and when.

``JOBS`` is the whole list, declared here so that it can be read and tested. Each
job is a plain function ``(session, now, settings) -> int`` (how many things it did),
given the application's typed :class:`~scheduler.runtime.Settings`: tests call it directly
with a fixed ``now``. Only :mod:`scheduler.jobs.runner` schedules
them, in one process of its own (``escouade run-jobs``); the web application never
starts a scheduler, or every web worker would run every job.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from scheduler.core.audit import purge as purge_audit_trail
from scheduler.geo.jobs import forget_expired_places
from scheduler.geo.jobs import place_new_addresses
from scheduler.requests.retention import erase_expired
from scheduler.runtime import Settings
from scheduler.tasks import reap_and_requeue

JobFunction = Callable[[Session, datetime, Settings], int]


@dataclass(frozen=True)
class JobSpec:
    """One timed job.

    :param cron: default APScheduler cron fields (``hour``, ``minute``,
        ``day_of_week``…) in the jobs' zone; ``[JOBS.schedules]`` may replace them.
    :param coalesce: several missed runs become one.
    :param max_instances: never two runs of the job at once.
    :param misfire_grace_time: seconds a run may start late (after a restart) before
        it is skipped until next time.
    """

    id: str
    func: JobFunction
    description: str
    cron: Mapping[str, Any] = field(default_factory=dict)
    coalesce: bool = True
    max_instances: int = 1
    misfire_grace_time: int = 3600


def erase_expired_requests(session: Session, now: datetime, settings: Settings) -> int:
    """Erase what retention allows; each organisation sets its own period."""
    return erase_expired(session, now)


def place_addresses(session: Session, now: datetime, settings: Settings) -> int:
    return place_new_addresses(session, now, settings.geo)


def forget_places(session: Session, now: datetime, settings: Settings) -> int:
    return forget_expired_places(session, now, settings.retention_days)


def reap_tasks(session: Session, now: datetime, settings: Settings) -> int:
    """Try again the background runs whose worker died, and hand over undelivered ones."""
    return reap_and_requeue(session, now)


def purge_audit(session: Session, now: datetime, settings: Settings) -> int:
    """Forget audit entries older than ``[AUDIT] retention_days``."""
    return purge_audit_trail(session, now, settings.audit_retention_days)


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        id="erase_expired",
        func=erase_expired_requests,
        description="Erase the personal data of requests closed past the retention period",
        cron={"hour": 3, "minute": 15},
        # Erasing a few hours late is fine; skipping a whole day is not needed either.
        misfire_grace_time=6 * 3600,
    ),
    JobSpec(
        id="place_addresses",
        func=place_addresses,
        description="Place new home-visit addresses and volunteers' homes on the map",
        # Every ten minutes, at most 50 of each: the public Nominatim allows one lookup a second.
        cron={"minute": "*/10"},
        misfire_grace_time=600,
    ),
    JobSpec(
        id="forget_places",
        func=forget_places,
        description="Forget looked-up addresses older than the retention period",
        cron={"hour": 3, "minute": 45},
        misfire_grace_time=6 * 3600,
    ),
    JobSpec(
        id="reap_tasks",
        func=reap_tasks,
        description="Retry background runs whose worker stopped, or mark them failed",
        # Twice a minute: a run is noticed within [QUEUE] stale_after_s plus 30 s.
        cron={"second": "5,35"},
        misfire_grace_time=30,
    ),
    JobSpec(
        id="purge_audit",
        func=purge_audit,
        description="Delete audit entries older than [AUDIT] retention_days",
        cron={"hour": 4, "minute": 5},
        misfire_grace_time=6 * 3600,
    ),
)
