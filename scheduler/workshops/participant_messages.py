"""One message to a workshop participant, through the outbox: the step the seat offer
(:mod:`.offers`) and the enrolment's confirmation (:mod:`.confirmation`) share.

Each kind says what is particular to it (its words' values, its key); the rest is the
same for both: the kind turned on by the organisation, the person reached by SMS to a
mobile, else by e-mail, else on the dispatchers' call list, in their language among those
the message is written in, with the organisation's own words first.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from scheduler.messages import words
from scheduler.messages.outbox import beneficiary_route
from scheduler.messages.outbox import enabled
from scheduler.messages.outbox import queue
from scheduler.messages.outbox import setting
from scheduler.messages.texts import language_of
from scheduler.messages.texts import languages_of
from scheduler.messages.texts import text_for
from scheduler.models import Enrolment
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind

#: What a kind adds to the common values, given the message's language and Babel locale.
Values = Callable[[str, str], Mapping[str, object]]


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
    organisation = series.organisation
    if not enabled(session, organisation.id, kind):
        return None
    route = beneficiary_route(session, beneficiary, sms=sms)
    if route is None or (route.channel is MessageChannel.CALL and not call_needed):
        return None
    language = language_of(enrolment.locale, organisation.language, languages_of(kind))
    locale = words.babel_locale(enrolment.locale, language)
    filled = {
        "first_name": beneficiary.first_name,
        "programme": series.programme.title,
        "place": series.place_name,
        "link": link,
        "organisation": organisation.name,
        "contact": words.contact(organisation),
        **values(language, locale),
    }
    own = setting(session, organisation.id, kind)
    text = text_for(kind, language, filled, own.texts if own else None)
    return queue(
        session,
        organisation_id=organisation.id,
        kind=kind,
        recipient_kind=RecipientKind.BENEFICIARY,
        route=route,
        key=key,
        language=language,
        subject=text.subject,
        body=text.body,
        now=now,
        recipient_name=beneficiary.first_name,
    )
