"""axe-core in headless Chromium on the message pages, on a phone and on a desktop."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.messages.outbox import Route
from scheduler.messages.outbox import queue
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import RecipientKind
from scheduler.models import Role
from scheduler.models import utcnow
from tests.messages.builders import booked

from .conftest import DESKTOP
from .conftest import PHONE
from .steps import sign_in
from .test_accessibility import Audit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_message_pages_pass_axe(app, world, open_page, viewport):
    now = utcnow()
    with app.app_context():
        appointment = booked(db.session, world, starts=now + timedelta(days=2), now=now)
        queue(
            db.session,
            organisation_id=world.org_id,
            kind=MessageKind.APPOINTMENT,
            recipient_kind=RecipientKind.BENEFICIARY,
            route=Route(MessageChannel.CALL, "+33123456789"),
            key="test-call",
            language="fr",
            subject="Votre rendez-vous",
            body="Bonjour Jeannine. Votre rendez-vous : jeudi.",
            now=now,
            recipient_name="Jeannine",
            request_id=appointment.request_id,
        )
        db.session.commit()
        request_id = appointment.request_id
    audit = Audit(viewport)
    page = open_page(viewport=viewport, bypass_csp=True)
    sign_in(page, world.email_for(Role.ADMIN))
    audit.visit(
        page,
        {
            "call list": "/dispatch/calls",
            "outbox": "/dispatch/messages",
            "message choices": "/admin/messages",
            "message texts": "/admin/messages/appointment",
            "a volunteer's channel": f"/dispatch/volunteers/{world.volunteer_id}/messages",
            "request with its messages": f"/dispatch/requests/{request_id}",
        },
    )
    audit.assert_clean()
