"""Messages go with their request's personal data, and after the retention period."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.jobs import forget_messages
from scheduler.messages import queue_news
from scheduler.models import AuditEntry
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


def test_erasures_opt_outs_and_new_texts_are_in_the_audit_trail(app, client, auth, world):
    with app.app_context():
        session = db.session()
        settings = settings_of(app)
        appointment = booked(session, world, starts=NOW + timedelta(days=2), now=NOW)
        queue_news(session, NOW, settings.messages)
        session.add(RequestEvent(request_id=appointment.request_id, kind="erased", at=NOW))
        session.commit()
        forget_messages(session, NOW, settings)
        session.commit()
        request_id = appointment.request_id
    auth.login_as("dispatcher")
    client.post(f"/dispatch/requests/{request_id}/messages/stop")
    auth.logout()
    auth.login_as("admin")
    client.post("/admin/messages/digest", data={"body_fr": "Le point : {lines}"})
    with app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        found = [(e.action, e.target, e.detail) for e in entries if e.action.startswith("messages")]
    assert found[0] == ("messages.erase", "", {"count": 1, "retention_days": 365})
    assert found[1] == ("messages.opt_out", f"request:{request_id}", {"source": "staff"})
    assert found[2][:2] == ("messages.texts", "message:digest")
    # The trail never holds the address.
    assert all("+1819" not in str(detail) for _action, _target, detail in found)
    page = client.get("/admin/audit?action=messages").get_data(as_text=True)
    assert page.count("<tr") >= 4
