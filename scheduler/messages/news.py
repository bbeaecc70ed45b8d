"""After something changed: queue what each person concerned should now be told.

One entry point, :func:`queue_news`, called by pages right after their commit
(publishing, cancelling) and by a timed sweep that catches whatever changed elsewhere
(a dispatcher's triage, a command). Keys make both callers safe together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from scheduler.models import Volunteer

from .beneficiaries import appointment_news
from .beneficiaries import changed_appointments
from .settings import MessageSettings
from .volunteers import changed_days
from .volunteers import queue_volunteer_day

log = logging.getLogger(__name__)

VolunteerLink = Callable[[Volunteer], str]


def queue_news(
    session: Session,
    now: datetime,
    settings: MessageSettings,
    *,
    organisation_id: int | None = None,
    volunteer_link: VolunteerLink | None = None,
) -> int:
    """Queue the messages recent changes call for; how many were queued. Commits."""
    appointments = changed_appointments(session, now, organisation_id)
    queued = 0
    for appointment in appointments:
        if appointment_news(session, appointment, now=now, settings=settings) is not None:
            queued += 1
    for volunteer_id, day in sorted(changed_days(appointments)):
        volunteer = session.get(Volunteer, volunteer_id)
        if volunteer is None:
            continue
        link = volunteer_link(volunteer) if volunteer_link else ""
        made = queue_volunteer_day(
            session, volunteer, day, now=now, calendar_link=link, sms=settings.sms_available
        )
        if made is not None:
            queued += 1
    session.commit()
    if queued:
        log.info("messages: %d queued after changes", queued)
    return queued
