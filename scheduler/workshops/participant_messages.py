"""One message to a workshop participant, through the outbox: the step the seat offer
(:mod:`.offers`) and the enrolment's confirmation (:mod:`.confirmation`) share.

Each kind says what is particular to it (its words' values, its key); what a workshop
adds to every message (the programme, the place, the participant's private link) is
here, and the rest is the step of every message to a beneficiary
(:func:`scheduler.messages.to_beneficiary.queue_to_beneficiary`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from scheduler.messages.to_beneficiary import Values
from scheduler.messages.to_beneficiary import queue_to_beneficiary
from scheduler.models import Enrolment
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage


def queue_to_participant(
    session: Session,
    enrolment: Enrolment,
    kind: MessageKind,
    *,
    key: str,
    link: str,
    now: datetime,
    sms: bool,
    values: Values,
    call_needed: bool = True,
) -> OutboxMessage | None:
    """Queue ``kind`` to ``enrolment``'s person; flushes only. None when nothing is sent
    (no series or person, the kind turned off, no way to reach them, or a call that
    ``call_needed=False`` says would only repeat what they were told)."""
    series = enrolment.series
    beneficiary = enrolment.beneficiary
    if series is None or beneficiary is None:
        return None

    def filled(language: str, locale: str) -> dict[str, object]:
        return {
            "programme": series.programme.title,
            "place": series.place_name,
            "link": link,
            **values(language, locale),
        }

    return queue_to_beneficiary(
        session,
        series.organisation,
        beneficiary,
        kind,
        key=key,
        locale=enrolment.locale,
        now=now,
        sms=sms,
        values=filled,
        call_needed=call_needed,
    )
