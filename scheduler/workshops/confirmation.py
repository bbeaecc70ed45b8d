"""Telling a person their enrolment is kept: a message in the outbox, with their private
link and the sessions' days, in their language (French, English, Arabic, Spanish or
Portuguese, the languages of the workshop's public page; else the organisation's).

Queued once per enrolment (the key names it), by SMS to a mobile, else by e-mail, else on
the dispatchers' call list, unless a staff member enrolled the person on the phone or at
the desk: they were told then, and a call to say it again would be noise.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from scheduler.messages import words
from scheduler.messages.texts import phrase
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage

from .participant_messages import queue_to_participant

#: Past this many sessions the message names the first ones and says how many follow.
SESSIONS_LISTED = 8


def queue_enrolment_confirmation(
    session: Session, enrolment: Enrolment, *, link: str, now: datetime, sms: bool
) -> OutboxMessage | None:
    """Queue the confirmation of ``enrolment`` (a seat or the waiting list); flushes only.

    The link's secret is derived from the enrolment, so the page that enrolled the
    person passes it here right away.
    """
    series = enrolment.series
    if series is None:
        return None
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
        return None
    organisation = series.organisation

    def values(language: str, locale: str) -> dict[str, object]:
        days = [words.when(s.starts_at, organisation, locale) for s in series.sessions]
        between = "؛ " if language == "ar" else "; "  # Arabic's own semicolon
        listed = between.join(days[:SESSIONS_LISTED])
        if len(days) > SESSIONS_LISTED:
            listed += f"{between}(+{len(days) - SESSIONS_LISTED})"
        status = (
            phrase(language, "enrolled_waiting", position=enrolment.waiting_position or 1)
            if enrolment.status is EnrolmentStatus.WAITING
            else phrase(language, "enrolled_seat")
        )
        return {"status": status, "sessions": listed}

    return queue_to_participant(
        session,
        enrolment,
        MessageKind.WORKSHOP_ENROLLED,
        key=f"workshop-enrolled:{enrolment.id}",
        link=link,
        now=now,
        sms=sms,
        values=values,
        # Enrolled by a staff member on the phone or at the desk: they were told then.
        call_needed=enrolment.created_by_id is None,
    )
