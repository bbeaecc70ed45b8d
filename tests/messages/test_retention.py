"""Messages go with their request's personal data, and after the retention period."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.jobs import forget_messages
from scheduler.messages import queue_news
from scheduler.models import OutboxMessage
from scheduler.models import RequestEvent
from scheduler.runtime import settings_of

from .builders import booked

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def test_messages_of_an_erased_request_and_old_ones_are_forgotten(app, world):
    with app.app_context():
        session = db.session()
        settings = settings_of(app)
        kept = booked(session, world, starts=NOW + timedelta(days=2), now=NOW)
        erased = booked(session, world, starts=NOW + timedelta(days=3), now=NOW)
        queue_news(session, NOW, settings.messages)
        assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 2
        session.add(RequestEvent(request_id=erased.request_id, kind="erased", at=NOW))
        session.commit()
        assert forget_messages(session, NOW, settings) == 1
        (left,) = session.scalars(sa.select(OutboxMessage)).all()
        assert left.request_id == kept.request_id
        # Still queued: kept even when old; once sent and old, forgotten.
        later = NOW + timedelta(days=settings.retention_days + 1)
        assert forget_messages(session, later, settings) == 0
        left.status = left.status.SENT
        session.commit()
        assert forget_messages(session, later, settings) == 1
