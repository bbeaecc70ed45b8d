"""An organisation's choices: which kinds of message are sent, and in which words."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from scheduler.core.audit import record
from scheduler.core.inserts import insert_for
from scheduler.models import MessageKind
from scheduler.models import MessageSetting
from scheduler.models import User
from scheduler.models import Volunteer

from .outbox import setting
from .texts import DEFAULTS
from .texts import languages_of

log = logging.getLogger(__name__)

MAX_SUBJECT = 200
MAX_BODY = 1000


def current_texts(
    session: Session, organisation_id: int, kind: MessageKind
) -> tuple[bool, dict[str, dict[str, str]]]:
    """Whether the kind is on, and its words in each language it is written in (the
    defaults where the organisation wrote none)."""
    row = setting(session, organisation_id, kind)
    own = row.texts if row else {}
    texts = {
        language: {
            part: ((own.get(language) or {}).get(part) or DEFAULTS[kind][language][part])
            for part in ("subject", "body")
        }
        for language in languages_of(kind)
    }
    return (row.enabled if row else True), texts


def save_choice(
    session: Session,
    organisation_id: int,
    kind: MessageKind,
    *,
    enabled: bool,
    texts: Mapping[str, Mapping[str, str]],
    actor: User | None = None,
    now: datetime | None = None,
) -> None:
    """Store the organisation's choice; a text equal to the default (or empty) keeps
    following the default, and a language the kind is not written in is ignored.
    Commits."""
    row = setting(session, organisation_id, kind)
    if row is None:
        # The first choice for this kind: one INSERT that yields to a row another save
        # made a moment ago (a double click), which this save then overwrites.
        session.execute(
            insert_for(session)(MessageSetting)
            .values(organisation_id=organisation_id, kind=kind, texts={})
            .on_conflict_do_nothing(
                index_elements=[MessageSetting.organisation_id, MessageSetting.kind]
            )
        )
        row = setting(session, organisation_id, kind)
        assert row is not None
    own: dict[str, dict[str, str]] = {}
    for language in languages_of(kind):
        given = texts.get(language) or {}
        parts = {}
        for part, limit in (("subject", MAX_SUBJECT), ("body", MAX_BODY)):
            value = (given.get(part) or "").strip()[:limit]
            if value and value != DEFAULTS[kind][language][part]:
                parts[part] = value
        if parts:
            own[language] = parts
    row.enabled = enabled
    row.texts = own
    if now is not None:
        record(
            session,
            actor=actor,
            action="messages.texts",
            target=f"message:{kind.value}",
            detail={"enabled": enabled, "languages": sorted(own)},
            now=now,
            organisation_id=organisation_id,
        )
    session.commit()
    log.info("messages of kind %s for organisation %d: saved", kind.value, organisation_id)


VOLUNTEER_CHANNELS = ("email", "sms", "none")


class UnknownChannel(ValueError):
    """Not one of :data:`VOLUNTEER_CHANNELS` (nor empty, for the default)."""


def set_volunteer_channel(session: Session, volunteer: Volunteer, channel: str) -> None:
    """How the volunteer hears of their day: "email", "sms", "none", or "" for the
    default (e-mail when they gave one, else SMS). Commits.

    :raises UnknownChannel: any other value.
    """
    if channel and channel not in VOLUNTEER_CHANNELS:
        raise UnknownChannel(channel)
    volunteer.message_channel = channel or None
    session.commit()
    log.info("volunteer %d hears of their day by %s", volunteer.id, channel or "default")
