"""Several queued messages reach the workers as one run, and each is still sent once.

A real SQLite-backed huey queue, no worker running: what the page (or the timed job)
asked for is read back from the queue's storage, then run the way ``escouade worker``
runs it.
"""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.messages.background import hand_over_due
from scheduler.messages.outbox import Route
from scheduler.messages.outbox import queue
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import TaskRun
from scheduler.models import TaskStatus
from scheduler.models import utcnow
from scheduler.tasks import queue_of
from scheduler.tasks.worker import execute
from tests.builders import build_world


def _queue_three(organisation_id: int) -> list[int]:
    now = utcnow()
    made = [
        queue(
            db.session,
            organisation_id=organisation_id,
            kind=MessageKind.APPOINTMENT,
            recipient_kind=RecipientKind.BENEFICIARY,
            route=Route(MessageChannel.EMAIL, f"person{n}@example.org"),
            key=f"bulk-{n}",
            language="fr",
            subject="Votre rendez-vous",
            body="Bonjour. Votre rendez-vous : jeudi.",
            now=now,
        )
        for n in range(3)
    ]
    db.session.commit()
    return [m.id for m in made if m is not None]


def test_several_messages_are_one_run_whose_worker_hands_each_over(make_app, tmp_path):
    app = make_app(QUEUE={"backend": "sqlite", "sqlite_path": str(tmp_path / "queue.db")})
    with app.app_context():
        world = build_world(db.session)
        ids = _queue_three(world.org_id)
        assert hand_over_due(db.session, utcnow(), organisation_id=world.org_id) == 1
        # Asked again before a worker took it: the same run, nothing new.
        assert hand_over_due(db.session, utcnow(), organisation_id=world.org_id) == 0
        (bulk,) = db.session.scalars(sa.select(TaskRun)).all()
        assert bulk.kind == "hand_over_messages"
        assert bulk.payload == {"message_ids": sorted(ids)}
        bulk_id = bulk.id
    assert queue_of(app).pending() == 1

    execute(queue_of(app), bulk_id, worker="test-worker")
    with app.app_context():
        runs = db.session.scalars(sa.select(TaskRun).where(TaskRun.kind == "send_message")).all()
        assert sorted(r.payload["message_id"] for r in runs) == sorted(ids)
        assert db.session.get(TaskRun, bulk_id).status is TaskStatus.DONE
        run_ids = [r.id for r in runs]
    # Three more doorbells in the storage (the first one was run by hand, not taken).
    assert queue_of(app).pending() == 1 + 3

    for run_id in run_ids:
        execute(queue_of(app), run_id, worker="test-worker")
    with app.app_context():
        statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
        assert statuses == [MessageStatus.SENT] * 3


def test_one_message_gets_its_own_send_run_at_once(make_app, tmp_path):
    app = make_app(QUEUE={"backend": "sqlite", "sqlite_path": str(tmp_path / "queue.db")})
    with app.app_context():
        world = build_world(db.session)
        (first, *_rest) = _queue_three(world.org_id)
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id != first)
            .values(status=MessageStatus.CANCELLED)
        )
        db.session.commit()
        assert hand_over_due(db.session, utcnow(), organisation_id=world.org_id) == 1
        (run,) = db.session.scalars(sa.select(TaskRun)).all()
        assert run.kind == "send_message" and run.payload == {"message_id": first}
