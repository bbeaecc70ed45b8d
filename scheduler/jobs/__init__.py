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
from scheduler.messages import queue_digests
from scheduler.messages import queue_news
from scheduler.messages import queue_reminders
from scheduler.messages.background import hand_over_due
from scheduler.messages.links import volunteer_links
from scheduler.messages.replies import read_sms_replies
from scheduler.messages.retention import forget_old_messages
from scheduler.partners.news import REFERRALS_PATH
from scheduler.partners.news import queue_referral_news
from scheduler.requests.drafts import forget_stale_drafts
from scheduler.requests.retention import erase_expired
from scheduler.runtime import Settings
from scheduler.tasks import forget_finished
from scheduler.tasks import reap_and_requeue
from scheduler.workshops.offers import sweep_all_offers
from scheduler.workshops.retention import erase_past_participants

from .drafts import draft_next_weeks

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


def send_messages(session: Session, now: datetime, settings: Settings) -> int:
    """Hand the queued messages whose time has come to the workers, who send them."""
    return hand_over_due(session, now)


def message_news(session: Session, now: datetime, settings: Settings) -> int:
    """Queue what recent changes call for, wherever they were made."""
    base_url = settings.messages.base_url or settings.feeds.base_url
    link = volunteer_links(session, base_url, settings.secret_key)
    queued = queue_news(session, now, settings.messages, volunteer_link=link)
    # Without a public address there is no link to give: a bare path in an e-mail leads
    # nowhere, so the message leaves the line out.
    partners_link = base_url.rstrip("/") + REFERRALS_PATH if base_url else ""
    return queued + queue_referral_news(session, now, link=partners_link)


def reminders(session: Session, now: datetime, settings: Settings) -> int:
    count = queue_reminders(session, now, settings.messages)
    session.commit()
    return count


def digest(session: Session, now: datetime, settings: Settings) -> int:
    return queue_digests(session, now, settings.messages)


def weekly_draft(session: Session, now: datetime, settings: Settings) -> int:
    return draft_next_weeks(session, now, settings)


def sms_replies(session: Session, now: datetime, settings: Settings) -> int:
    return read_sms_replies(session, now, settings.messages)


def forget_messages(session: Session, now: datetime, settings: Settings) -> int:
    return forget_old_messages(session, now, settings.retention_days)


def reap_tasks(session: Session, now: datetime, settings: Settings) -> int:
    """Try again the background runs whose worker died, and hand over undelivered ones."""
    return reap_and_requeue(session, now)


def forget_task_runs(session: Session, now: datetime, settings: Settings) -> int:
    """Delete background runs finished more than ``[QUEUE] finished_retention_days`` ago."""
    return forget_finished(session, now, settings.queue.finished_retention_days)


def purge_audit(session: Session, now: datetime, settings: Settings) -> int:
    """Forget audit entries older than ``[AUDIT] retention_days``."""
    return purge_audit_trail(session, now, settings.audit_retention_days)


def forget_drafts(session: Session, now: datetime, settings: Settings) -> int:
    """Erase the answers of public forms left unsent past ``[PUBLIC] draft_minutes``."""
    return forget_stale_drafts(session, now, settings.public.draft_max_age)


def erase_workshop_participants(session: Session, now: datetime, settings: Settings) -> int:
    """Erase workshop participants' personal data past the retention period."""
    return erase_past_participants(session, now)


def workshop_offers(session: Session, now: datetime, settings: Settings) -> int:
    """Offers of freed seats past their time go to the next person on the waiting list."""
    key = b"workshops:" + settings.secret_key.encode("utf-8")
    base_url = (settings.messages.base_url or settings.feeds.base_url).rstrip("/")
    return sweep_all_offers(
        session,
        now,
        key=key,
        base_url=base_url,
        sms=settings.messages.sms_available,
        offer_for=settings.workshops.offer_for,
    )


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
        id="send_messages",
        func=send_messages,
        description="Hand the queued messages whose time has come to the workers",
        cron={"minute": "*"},
        misfire_grace_time=60,
    ),
    JobSpec(
        id="message_news",
        func=message_news,
        description="Queue messages about appointments, and partners' referrals, that changed",
        cron={"minute": "*/5"},
        misfire_grace_time=300,
    ),
    # The next three run often and decide themselves whether their hour has come and
    # what is left to do: a restart catches up instead of skipping a day.
    JobSpec(
        id="reminders",
        func=reminders,
        description="Queue tomorrow's reminders once the reminder hour has come",
        cron={"minute": "*/15"},
        misfire_grace_time=900,
    ),
    JobSpec(
        id="digest",
        func=digest,
        description="Queue the dispatchers' daily digest once its hour has come",
        cron={"minute": "*/15"},
        misfire_grace_time=900,
    ),
    JobSpec(
        id="weekly_draft",
        func=weekly_draft,
        description="Make next week's draft plan on the set day, for review",
        cron={"minute": 5},
        misfire_grace_time=3600,
    ),
    JobSpec(
        id="sms_replies",
        func=sms_replies,
        description="Read SMS answers from providers that keep them (STOP)",
        cron={"minute": "*/10"},
        misfire_grace_time=600,
    ),
    JobSpec(
        id="forget_messages",
        func=forget_messages,
        description="Erase messages older than the retention period",
        cron={"hour": 3, "minute": 50},
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
        id="forget_task_runs",
        func=forget_task_runs,
        description="Delete background runs finished past [QUEUE] finished_retention_days",
        # Beside the reaper's work, but once a night: reap_tasks runs twice a minute.
        cron={"hour": 4, "minute": 10},
        misfire_grace_time=6 * 3600,
    ),
    JobSpec(
        id="purge_audit",
        func=purge_audit,
        description="Delete audit entries older than [AUDIT] retention_days",
        cron={"hour": 4, "minute": 5},
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
    JobSpec(
        id="workshop_offers",
        func=workshop_offers,
        description="Offer a freed workshop seat to the next person when an offer expires",
        cron={"minute": "*/15"},
        misfire_grace_time=900,
    ),
    JobSpec(
        id="erase_workshop_participants",
        func=erase_workshop_participants,
        description="Erase workshop participants' personal data past the retention period",
        cron={"hour": 3, "minute": 25},
        misfire_grace_time=6 * 3600,
    ),
)
