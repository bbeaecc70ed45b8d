"""Workshop sessions as calendar events: in their leaders' feeds, in the feed of the site
they are held at, and in each participant's own file.

A leader sees who else leads, the topic, the laptops to bring and how many are enrolled
(never their names: the attendance page has them). The site feed and a participant's
file show the session, the place and the topic only.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Enrolment
from ..models import EnrolmentStatus
from ..models import SeriesStatus
from ..models import Site
from ..models import Volunteer
from ..models import WorkshopSeries
from ..models import WorkshopSession
from ..models import workshop_session_leader
from .feed import EventStatus
from .feed import FeedEvent
from .feed import Reminder
from .texts import _

SEATED = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


def _where(series: WorkshopSeries) -> str:
    parts = [series.place_name, series.place_address]
    if series.municipality is not None and series.municipality.name not in parts:
        parts.append(series.municipality.name)
    return ", ".join(p for p in parts if p)


def _stamp(series: WorkshopSeries) -> datetime:
    return series.published_at or series.created_at


def _event(wsession: WorkshopSession, lines: list[str], *, private: bool) -> FeedEvent:
    series = wsession.series
    programme = series.programme
    summary = _(
        "Workshop: %(title)s (%(number)d/%(count)d)",
        title=programme.title,
        number=wsession.number,
        count=programme.sessions_count,
    )
    if wsession.topic:
        lines = [wsession.topic, *lines]
    return FeedEvent(
        uid=f"workshop-session-{wsession.id}@escouade",
        starts_at=wsession.starts_at,
        ends_at=wsession.ends_at,
        summary=summary,
        last_modified=_stamp(series),
        status=EventStatus.CONFIRMED,
        location=_where(series) or None,
        description="\n".join(lines) or None,
        private=private,
        reminders=(Reminder(60, summary),) if private else (),
    )


def leader_events(
    session: Session, volunteer: Volunteer, starts_at: datetime, ends_at: datetime
) -> list[FeedEvent]:
    """The volunteer's workshop sessions of published series in the window."""
    sessions = session.scalars(
        sa.select(WorkshopSession)
        .join(workshop_session_leader, workshop_session_leader.c.session_id == WorkshopSession.id)
        .join(WorkshopSeries, WorkshopSeries.id == WorkshopSession.series_id)
        .where(
            workshop_session_leader.c.volunteer_id == volunteer.id,
            WorkshopSeries.status == SeriesStatus.PUBLISHED,
            WorkshopSession.starts_at >= starts_at,
            WorkshopSession.starts_at < ends_at,
        )
    ).all()
    events = []
    for wsession in sessions:
        enrolled = session.scalar(
            sa.select(sa.func.count(Enrolment.id)).where(
                Enrolment.series_id == wsession.series_id, Enrolment.status.in_(SEATED)
            )
        )
        lines = [
            _("Participants enrolled: %(count)d", count=int(enrolled or 0)),
        ]
        others = [v.full_name for v in wsession.leaders if v.id != volunteer.id]
        if others:
            lines.append(_("With: %(names)s", names=", ".join(others)))
        if wsession.laptops_needed:
            lines.append(_("Laptops to bring: %(count)d", count=wsession.laptops_needed))
        events.append(_event(wsession, lines, private=True))
    return events


def site_workshop_events(
    session: Session, site: Site, starts_at: datetime, ends_at: datetime
) -> list[FeedEvent]:
    """Sessions of published series held at the site, for its public feed."""
    sessions = session.scalars(
        sa.select(WorkshopSession)
        .join(WorkshopSeries, WorkshopSeries.id == WorkshopSession.series_id)
        .where(
            WorkshopSeries.site_id == site.id,
            WorkshopSeries.status == SeriesStatus.PUBLISHED,
            WorkshopSession.starts_at >= starts_at,
            WorkshopSession.starts_at < ends_at,
        )
    ).all()
    return [_event(s, [], private=False) for s in sessions]


def participant_events(enrolment: Enrolment) -> list[FeedEvent]:
    """Every session of the participant's series (a one-off file they import)."""
    series = enrolment.series
    if series is None or series.status is not SeriesStatus.PUBLISHED:
        return []
    lines = [series.organisation.name]
    return [_event(s, lines, private=True) for s in series.sessions]
