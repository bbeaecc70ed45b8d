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

from scheduler.geo.jobs import forget_expired_places
from scheduler.geo.jobs import place_new_addresses
from scheduler.requests.drafts import forget_stale_drafts
from scheduler.requests.retention import erase_expired
from scheduler.runtime import Settings

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


def forget_drafts(session: Session, now: datetime, settings: Settings) -> int:
    """Erase the answers of public forms left unsent past ``[PUBLIC] draft_minutes``."""
    return forget_stale_drafts(session, now, settings.public.draft_max_age)


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
        id="forget_drafts",
        func=forget_drafts,
        description="Erase the answers of public forms left unsent",
        # Each new form also sweeps them; this covers quiet days.
        cron={"minute": "*/30"},
        misfire_grace_time=1800,
    ),
)
