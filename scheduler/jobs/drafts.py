"""Next week's draft plan, made on a set day and left for a dispatcher to review.

The job runs every hour and asks, per organisation, "has this week's draft moment come,
and is next week's draft not yet made?". A :class:`~scheduler.models.TimedRun` row
per organisation and week records that it was made, in the same commit as the draft:
a restart of the jobs process neither skips the week (the next hour catches up) nor
makes a second draft. Nothing is ever published here.
"""

from __future__ import annotations

import logging
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.dispatch import plan_week
from scheduler.dispatch import week_code
from scheduler.dispatch.weeks import monday_of
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import TimedRun
from scheduler.runtime import Settings

log = logging.getLogger(__name__)

JOB = "weekly_draft"


def draft_next_weeks(session: Session, now: datetime, settings: Settings) -> int:
    """Make next week's draft for each organisation whose draft moment has passed."""
    made = 0
    messages = settings.messages
    for organisation in session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        zone = ZoneInfo(organisation.timezone)
        local_now = now.astimezone(zone)
        monday = monday_of(local_now.date())
        moment = datetime.combine(
            monday + timedelta(days=messages.draft_weekday),
            datetime.min.time().replace(hour=messages.draft_hour),
            tzinfo=zone,
        )
        if local_now < moment:
            continue
        week = monday + timedelta(days=7)
        period = f"org-{organisation.id}:{week_code(week)}"
        if session.scalar(
            sa.select(TimedRun.id).where(TimedRun.job == JOB, TimedRun.period == period)
        ):
            continue
        session.add(TimedRun(job=JOB, period=period, done_at=now))
        existing = session.scalar(
            sa.select(Plan.id).where(
                Plan.organisation_id == organisation.id,
                Plan.week_start == week,
                Plan.status.in_((PlanStatus.DRAFT, PlanStatus.PUBLISHED)),
            )
        )
        if existing is not None:
            # A dispatcher already planned that week: their work is left alone.
            session.commit()
            continue
        plan_week(
            session,
            organisation,
            week,
            settings=settings.planning,
            periods=settings.booking.periods,
            now=now,
        )
        session.commit()
        made += 1
        log.info("weekly draft for organisation %d, %s, left for review", organisation.id, period)
    return made
