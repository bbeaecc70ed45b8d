"""Opt-outs: a person who answers STOP (or ARRÊT) gets no more messages at that address.

A dispatcher can also record a refusal told on the phone. Messages already queued for
the address are cancelled at once; the person then only appears on the call list.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.audit import record
from scheduler.core.inserts import insert_for
from scheduler.models import MessageChannel
from scheduler.models import MessageOptOut
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import User

from .outbox import normal_address

log = logging.getLogger(__name__)

#: Words that mean "stop sending", compared without accents or case.
STOP_WORDS = frozenset({"stop", "arret", "arreter", "stopall", "unsubscribe", "desabonner", "end"})


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().lower()


def is_stop(text: str) -> bool:
    """True when an SMS answer asks to stop: its first word is a stop word."""
    words = _plain(text).replace(".", " ").replace("!", " ").split()
    return bool(words) and words[0] in STOP_WORDS


def record_opt_out(
    session: Session,
    organisation_id: int,
    address: str,
    *,
    source: str,
    now: datetime,
    actor: User | None = None,
    target: str = "",
) -> bool:
    """Remember the refusal and cancel what is queued for the address; commits.

    :return: True when the address had not opted out before.
    """
    address = normal_address(address)
    # One INSERT that yields to a refusal already there: the same STOP received twice, or
    # a double click on the dispatcher's button, records one refusal instead of failing on
    # the one-refusal-per-address index.
    new_id = session.execute(
        insert_for(session)(MessageOptOut)
        .values(organisation_id=organisation_id, address=address, source=source, at=now)
        .on_conflict_do_nothing(
            index_elements=[MessageOptOut.organisation_id, MessageOptOut.address]
        )
        .returning(MessageOptOut.id)
    ).scalar_one_or_none()
    if new_id is not None:
        # The trail says a refusal was recorded, never the address.
        record(
            session,
            actor=actor,
            action="messages.opt_out",
            target=target,
            detail={"source": source},
            now=now,
            organisation_id=organisation_id,
        )
    for message in session.scalars(
        sa.select(OutboxMessage).where(
            OutboxMessage.organisation_id == organisation_id,
            OutboxMessage.address == address,
            OutboxMessage.status == MessageStatus.QUEUED,
            OutboxMessage.channel != MessageChannel.CALL,
        )
    ):
        message.status = MessageStatus.CANCELLED
        message.reason = "opted out"
        message.updated_at = now
    session.commit()
    if new_id is not None:
        log.info("an address of organisation %d opted out (%s)", organisation_id, source)
    return new_id is not None


def organisations_reaching(session: Session, address: str) -> list[int]:
    """Organisations that sent messages to ``address`` (an SMS answer names no organisation)."""
    return list(
        session.scalars(
            sa.select(OutboxMessage.organisation_id)
            .where(OutboxMessage.address == normal_address(address))
            .distinct()
        )
    )


def handle_reply(session: Session, sender: str, text: str, *, now: datetime) -> bool:
    """Act on one SMS answer; True when it was an opt-out."""
    if not is_stop(text):
        return False
    for organisation_id in organisations_reaching(session, sender):
        record_opt_out(session, organisation_id, sender, source="keyword", now=now)
    return True


def opted_out_addresses(session: Session, organisation_id: int, addresses: list[str]) -> list[str]:
    """Which of ``addresses`` asked for no more messages."""
    wanted = [normal_address(a) for a in addresses if a]
    if not wanted:
        return []
    return list(
        session.scalars(
            sa.select(MessageOptOut.address).where(
                MessageOptOut.organisation_id == organisation_id,
                MessageOptOut.address.in_(wanted),
            )
        )
    )
