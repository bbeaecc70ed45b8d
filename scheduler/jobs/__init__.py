"""Timed jobs: what runs by itself, and when.

``JOBS`` is the whole list, declared here so that it can be read and tested. Each
job is a plain function ``(session, now) -> int`` (how many things it did): tests
call it directly with a fixed ``now``. Only :mod:`scheduler.jobs.runner` schedules
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

from scheduler.requests.retention import erase_expired

from ..geo.jobs import forget_expired_places
from ..geo.jobs import place_new_addresses

JobFunction = Callable[[Session, datetime], int]


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


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        id="erase_expired",
        func=erase_expired,
        description="Erase the personal data of requests closed past the retention period",
        cron={"hour": 3, "minute": 15},
        # Erasing a few hours late is fine; skipping a whole day is not needed either.
        misfire_grace_time=6 * 3600,
    ),
    JobSpec(
        id="place_addresses",
        func=place_new_addresses,
        description="Place new home-visit addresses and volunteers' homes on the map",
        # Every ten minutes, at most 50 of each: the public Nominatim allows one lookup a second.
        cron={"minute": "*/10"},
        misfire_grace_time=600,
    ),
    JobSpec(
        id="forget_places",
        func=forget_expired_places,
        description="Forget looked-up addresses older than the retention period",
        cron={"hour": 3, "minute": 45},
        misfire_grace_time=6 * 3600,
    ),
)
