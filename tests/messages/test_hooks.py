"""Pages queue messages right after their own commit; nothing is sent by a web request."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import plan_week
from scheduler.dispatch.weeks import monday_of
from scheduler.models import Beneficiary
from scheduler.models import MessageKind
from scheduler.models import MessageStatus
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import Role
from scheduler.models import TaskRun
from scheduler.models import TaskStatus
from scheduler.models import utcnow
from scheduler.runtime import settings_of

from ..builders import make_request


def test_publishing_a_plan_queues_the_appointment_for_the_person(app, client, auth, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        beneficiary = Beneficiary(organisation=org, first_name="Jeannine", phone="+18195550142")
        make_request(db.session, org, beneficiary=beneficiary, availability=["tue-am"])
        db.session.commit()
        settings = settings_of(app)
        week = monday_of(utcnow().date()) + timedelta(days=7)
        plan = plan_week(
            db.session,
            org,
            week,
            settings=settings.planning.with_limits(time_limit_s=2.0),
            periods=settings.booking.periods,
            now=utcnow(),
        )
        db.session.commit()
        plan_id = plan.id
    auth.login_as(Role.DISPATCHER)
    assert client.post(f"/dispatch/plans/{plan_id}/publish").status_code == 302
    with app.app_context():
        rows = db.session.scalars(
            sa.select(OutboxMessage).where(
                OutboxMessage.recipient_kind == RecipientKind.BENEFICIARY
            )
        ).all()
        (message,) = rows
        assert message.kind is MessageKind.APPOINTMENT
        assert "Sylvie vient chez vous" in message.body
        # Handed to the task queue (immediate in tests: its worker ran at once) and sent
        # by the worker's send_message run, to the outbox (no provider is set up).
        (run,) = db.session.scalars(sa.select(TaskRun)).all()
        assert run.kind == "send_message" and run.payload == {"message_id": message.id}
        assert run.status is TaskStatus.DONE and run.result["status"] == "sent"
        assert message.status is MessageStatus.SENT and message.provider == "outbox"


def test_cancelling_from_the_private_link_tells_nobody_who_was_never_told(app, client, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org)
        db.session.commit()
        token = request.token
    response = client.post(f"/request/{token}/cancel", data={"reason": ""})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(sa.select(OutboxMessage)).all() == []
