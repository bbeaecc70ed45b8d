"""Each SMS provider's backend against a local HTTP server speaking that provider's
documented API (see ``providers.py``): the real services cannot be reached from tests."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.jobs import send_messages
from scheduler.messages import deliver_due
from scheduler.messages import queue_news
from scheduler.messages.calls import calls_to_make
from scheduler.models import MessageChannel
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import TaskRun
from scheduler.models import utcnow
from scheduler.runtime import settings_of

from ..builders import PASSWORD
from .builders import booked
from .conftest import sending
from .providers import OVH_AK
from .providers import OVH_AS
from .providers import OVH_CK
from .providers import OVH_SERVICE
from .providers import TWILIO_SID
from .providers import TWILIO_TOKEN
from .providers import ovh_server
from .providers import twilio_server

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def ovh_settings(base_url):
    return sending(
        sms_provider="ovh",
        ovh_endpoint=base_url,
        ovh_application_key=OVH_AK,
        ovh_application_secret=OVH_AS,
        ovh_consumer_key=OVH_CK,
        ovh_service_name=OVH_SERVICE,
    )


def twilio_settings(base_url):
    return sending(
        sms_provider="twilio",
        twilio_base_url=base_url,
        twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_from="+18195550100",
    )


PROVIDERS = {
    "ovh": (ovh_server, ovh_settings, "+33612345678", "FR"),
    "twilio": (twilio_server, twilio_settings, "+18195550142", "CA"),
}


def run(app, now):
    with app.app_context():
        settings = settings_of(app)
        return deliver_due(db.session(), now, settings=settings.messages, feeds=settings.feeds)


def appointment_sms(app, world, phone):
    with app.app_context():
        booked(db.session, world, starts=NOW + timedelta(days=2), now=NOW, phone=phone)
        assert queue_news(db.session(), NOW, settings_of(app).messages) >= 1
        message = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.channel == MessageChannel.SMS)
        ).one()
        return message.id


def message(app, message_id):
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        db.session.expunge(row)
        return row


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_an_appointment_sms_reaches_the_provider(make_app, world_factory, name):
    server, settings, phone, _country = PROVIDERS[name]
    with server() as provider:
        app = make_app(MESSAGES=settings(provider.base_url))
        world = world_factory(app)
        message_id = appointment_sms(app, world, phone)
        sent_count = run(app, NOW)
        assert provider.refused == [], message(app, message_id).reason
        assert sent_count == 1
        (sent,) = provider.received
        text = sent["message"] if name == "ovh" else sent["Body"]
        receiver = sent["receivers"][0] if name == "ovh" else sent["To"]
        assert receiver == phone
        assert text.startswith("Bonjour Jeannine. Votre rendez-vous : jeudi 3 décembre")
        row = message(app, message_id)
        assert row.status is MessageStatus.SENT and row.provider == name
        assert row.provider_id
        # Run again: nothing is sent twice.
        assert run(app, NOW + timedelta(hours=1)) == 0
        assert len(provider.received) == 1


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_an_error_is_retried_later_then_shown_as_failed(make_app, world_factory, name):
    """503 (try again later), then 400 (the number takes no SMS): the message is kept,
    tried once more after its wait, then failed with the provider's words, and the person
    goes on the call list."""
    server, settings, phone, _country = PROVIDERS[name]
    with server() as provider:
        provider.answers = [503, 400]
        app = make_app(MESSAGES=settings(provider.base_url))
        world = world_factory(app)
        message_id = appointment_sms(app, world, phone)

        assert run(app, NOW) == 0
        row = message(app, message_id)
        assert row.status is MessageStatus.QUEUED and row.attempts == 1
        assert row.next_attempt_at == NOW + timedelta(seconds=60)
        assert "503" in row.reason

        # Not yet time: no new try.
        assert run(app, NOW + timedelta(seconds=30)) == 0
        assert message(app, message_id).attempts == 1

        assert run(app, NOW + timedelta(seconds=61)) == 0
        row = message(app, message_id)
        assert row.status is MessageStatus.FAILED and row.attempts == 2
        assert "400" in row.reason
        assert ("mobile" in row.reason) or ("Invalid receivers" in row.reason)
        assert provider.received == []

        with app.app_context():
            (call,) = calls_to_make(db.session(), world.org_id)
            assert call.address == phone and call.body == row.body

        # The request's page shows the failure and its reason.
        client = app.test_client()
        login = {"email": "dispatch@example.org", "password": PASSWORD}
        client.post("/auth/login", data=login)
        page = client.get(f"/dispatch/requests/{row.request_id}").get_data(as_text=True)
        assert row.reason.split(":")[0] in page


def test_repeated_temporary_errors_end_as_a_failure(make_app, world_factory):
    with twilio_server() as provider:
        provider.answers = [503, 503, 503]
        app = make_app(MESSAGES=twilio_settings(provider.base_url))
        world = world_factory(app)
        message_id = appointment_sms(app, world, "+18195550142")
        now = NOW
        for _ in range(3):
            run(app, now)
            now += timedelta(hours=1)
        row = message(app, message_id)
        assert row.status is MessageStatus.FAILED and row.attempts == 3
        assert "503" in row.reason


def test_the_send_job_hands_each_try_to_a_worker_after_its_wait(make_app, world_factory):
    """The jobs process only hands messages over; the worker's run sends (the test queue
    runs it at once, on the worker's own clock). A 503 leaves the message for its next
    try, one wait (60 s) later."""
    with twilio_server() as provider:
        provider.answers = [503]
        app = make_app(MESSAGES=twilio_settings(provider.base_url))
        world = world_factory(app)
        now = utcnow()
        with app.app_context():
            booked(db.session, world, starts=now + timedelta(days=2), now=now)
            queue_news(db.session(), now, settings_of(app).messages)
            message_id = db.session.scalar(sa.select(OutboxMessage.id))
            settings = settings_of(app)
            session = db.session()
            assert send_messages(session, now, settings) == 1
            assert message(app, message_id).status is MessageStatus.QUEUED
            assert send_messages(session, now + timedelta(seconds=30), settings) == 0
            assert send_messages(session, now + timedelta(seconds=120), settings) == 1
            assert send_messages(session, now + timedelta(hours=1), settings) == 0
            runs = session.scalars(sa.select(TaskRun).order_by(TaskRun.id)).all()
        assert [r.idempotency_key for r in runs] == [
            f"send_message:{message_id}:0",
            f"send_message:{message_id}:1",
        ]
        assert [r.result["status"] for r in runs] == ["queued", "sent"]
        row = message(app, message_id)
        assert row.status is MessageStatus.SENT and row.attempts == 2
        assert len(provider.received) == 1
