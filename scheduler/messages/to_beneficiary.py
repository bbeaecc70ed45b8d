"""One message to a person helped, in the organisation's own words: the step every message
to a beneficiary shares (booking, appointment, its changes, reminder, workshop seat offer
and enrolment).

Each kind says what is particular to it (its values, its key, whether a call would only
repeat what the person was told); the rest is the same for all: the kind turned on by
the organisation, the person reached by SMS to a mobile, else by e-mail, else on the
dispatchers' call list, in the language they used among those the message is written
in (else the organisation's), the organisation's own words first.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from scheduler.models import Beneficiary
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind

from . import words
from .outbox import beneficiary_route
from .outbox import enabled
from .outbox import queue
from .outbox import setting
from .texts import language_of
from .texts import languages_of
from .texts import text_for

#: What a kind adds to the common values, given the message's language and Babel locale.
Values = Callable[[str, str], Mapping[str, object]]


def message_language(locale: str | None, organisation: Organisation, kind: MessageKind) -> str:
    """The language ``kind`` is written in for a person who used ``locale``."""
    return language_of(locale, organisation.language, languages_of(kind))


def queue_to_beneficiary(
    session: Session,
    organisation: Organisation,
    beneficiary: Beneficiary,
    kind: MessageKind,
    *,
    key: str,
    locale: str | None,
    now: datetime,
    sms: bool,
    values: Values,
    call_needed: bool = True,
    request_id: int | None = None,
    appointment_id: int | None = None,
) -> OutboxMessage | None:
    """Queue ``kind`` to ``beneficiary``; flushes only. None when nothing is sent: the kind
    turned off, no way to reach them, or a call that ``call_needed=False`` says would only
    repeat what they were told (or the same key already queued).

    :param locale: the locale the person used (``fr_CA``, ``ar``…), which chooses the
        message's language and how its dates and times are written.
    :param appointment_id: the appointment told of; its calendar file goes with an e-mail.
    """
    if not enabled(session, organisation.id, kind):
        return None
    route = beneficiary_route(session, beneficiary, sms=sms)
    if route is None or (route.channel is MessageChannel.CALL and not call_needed):
        return None
    language = message_language(locale, organisation, kind)
    filled = {
        "first_name": beneficiary.first_name,
        "organisation": organisation.name,
        "contact": words.contact(organisation),
        **values(language, words.babel_locale(locale, language)),
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
        request_id=request_id,
        appointment_id=appointment_id,
        attach_ics=appointment_id is not None,
    )
