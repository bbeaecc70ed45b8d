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
from scheduler.messages.outbox import beneficiary_route
from scheduler.messages.outbox import enabled
from scheduler.messages.outbox import queue
from scheduler.messages.outbox import setting
from scheduler.messages.texts import language_of
from scheduler.messages.texts import languages_of
from scheduler.messages.texts import phrase
from scheduler.messages.texts import text_for
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind

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
    beneficiary = enrolment.beneficiary
    if series is None or beneficiary is None:
        return None
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
        return None
    organisation = series.organisation
    kind = MessageKind.WORKSHOP_ENROLLED
    if not enabled(session, organisation.id, kind):
        return None
    route = beneficiary_route(session, beneficiary, sms=sms)
    if route is None:
        return None
    if route.channel is MessageChannel.CALL and enrolment.created_by_id is not None:
        return None
    language = language_of(enrolment.locale, organisation.language, languages_of(kind))
    locale = words.babel_locale(enrolment.locale, language)
    days = [words.when(s.starts_at, organisation, locale) for s in series.sessions]
    listed = "; ".join(days[:SESSIONS_LISTED])
    if len(days) > SESSIONS_LISTED:
        listed += f"; (+{len(days) - SESSIONS_LISTED})"
    status = (
        phrase(language, "enrolled_waiting", position=enrolment.waiting_position or 1)
        if enrolment.status is EnrolmentStatus.WAITING
        else phrase(language, "enrolled_seat")
    )
    values = {
        "first_name": beneficiary.first_name,
        "programme": series.programme.title,
        "place": series.place_name,
        "status": status,
        "sessions": listed,
        "link": link,
        "organisation": organisation.name,
        "contact": words.contact(organisation),
    }
    own = setting(session, organisation.id, kind)
    text = text_for(kind, language, values, own.texts if own else None)
    return queue(
        session,
        organisation_id=organisation.id,
        kind=kind,
        recipient_kind=RecipientKind.BENEFICIARY,
        route=route,
        key=f"workshop-enrolled:{enrolment.id}",
        language=language,
        subject=text.subject,
        body=text.body,
        now=now,
        recipient_name=beneficiary.first_name,
    )
