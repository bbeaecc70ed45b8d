"""Queued messages belong to the transaction that queued them.

A page or job that queues messages and then fails must leave no message behind: the
person would otherwise be told of an appointment that was never saved. On SQLite the
driver opens no transaction for a savepoint, so a savepoint per message used to commit
each message on its own, whatever happened to the rest.
"""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.messages.outbox import Route
from scheduler.messages.outbox import queue
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import utcnow


def _queue(org_id: int, key: str) -> OutboxMessage | None:
    return queue(
        db.session,
        organisation_id=org_id,
        kind=MessageKind.APPOINTMENT,
        recipient_kind=RecipientKind.BENEFICIARY,
        route=Route(MessageChannel.EMAIL, "jeannine@example.org"),
        key=key,
        language="fr",
        subject="Rendez-vous",
        body="Mardi 10 h",
        now=utcnow(),
    )


def count_messages() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) or 0


def test_messages_queued_in_a_transaction_that_rolls_back_are_gone(app, world):
    with app.app_context():
        before = count_messages()
        db.session.rollback()
        # Only reads so far: the driver has no transaction open, as in a page that
        # loads a plan and then queues its messages.
        db.session.get(Organisation, world.org_id)
        assert _queue(world.org_id, "test:rollback:1") is not None
        assert _queue(world.org_id, "test:rollback:2") is not None
        db.session.rollback()
        assert count_messages() == before


def test_the_same_key_twice_queues_one_message_and_keeps_the_transaction_usable(app, world):
    with app.app_context():
        first = _queue(world.org_id, "test:twice")
        second = _queue(world.org_id, "test:twice")
        db.session.commit()
        assert first is not None and first.id is not None
        assert second is None
        rows = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.idempotency_key.like("test:twice%"))
        ).all()
        assert [row.id for row in rows] == [first.id]
        assert rows[0].subject == "Rendez-vous"
        assert rows[0].channel is MessageChannel.EMAIL
