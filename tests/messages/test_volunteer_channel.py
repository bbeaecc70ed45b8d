"""Each volunteer chooses how they hear of their day, with or without a login."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.messages import queue_news
from scheduler.models import MessageChannel
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.runtime import settings_of

from .builders import booked

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def volunteer_messages(session):
    return session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient_kind == RecipientKind.VOLUNTEER)
    ).all()


def test_a_volunteer_chooses_sms_and_gets_their_day_by_sms(app, client, auth, world):
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        volunteer.email = "sylvie.t@example.org"
        volunteer.phone = "+18195550111"
        db.session.commit()
    auth.login_as(Role.VOLUNTEER)
    assert client.get("/me/messages").status_code == 200
    assert client.post("/me/messages", data={"channel": "pigeon"}).status_code == 400
    assert client.post("/me/messages", data={"channel": "sms"}).status_code == 303
    with app.app_context():
        booked(db.session, world, starts=NOW + timedelta(days=2), now=NOW)
        queue_news(db.session(), NOW, settings_of(app).messages)
        (day,) = volunteer_messages(db.session)
        assert day.channel is MessageChannel.SMS and day.address == "+18195550111"


def test_a_dispatcher_sets_it_for_a_volunteer_without_a_login_and_none_means_none(
    app, client, auth, world
):
    auth.login_as(Role.DISPATCHER)
    path = f"/dispatch/volunteers/{world.volunteer_id}/messages"
    assert client.get(path).status_code == 200
    assert client.post(path, data={"channel": "none"}).status_code == 303
    page = client.get(f"/dispatch/volunteers/{world.volunteer_id}").get_data(as_text=True)
    assert path in page
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        volunteer.email = "sylvie.t@example.org"
        db.session.commit()
        booked(db.session, world, starts=NOW + timedelta(days=2), now=NOW)
        queue_news(db.session(), NOW, settings_of(app).messages)
        assert volunteer_messages(db.session) == []
    assert client.get("/dispatch/volunteers/9999/messages").status_code == 404
