"""STOP / ARRÊT answers stop messages to that number, from each provider."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.jobs import sms_replies
from scheduler.messages import queue_news
from scheduler.messages.consent import is_stop
from scheduler.messages.sms import twilio_signature
from scheduler.models import MessageChannel
from scheduler.models import MessageOptOut
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.runtime import settings_of

from ..races import other_request_inserts
from .builders import booked
from .providers import TWILIO_TOKEN
from .providers import ovh_server
from .test_sms_providers import ovh_settings
from .test_sms_providers import twilio_settings

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
PHONE = "+18195550142"


@pytest.mark.parametrize("text", ["STOP", "stop", "Arrêt", "ARRET svp", " Stop."])
def test_stop_words_in_french_and_english(text):
    assert is_stop(text)


@pytest.mark.parametrize("text", ["", "Merci", "Je ne peux pas demain, stop"])
def test_other_answers_are_not_opt_outs(text):
    assert not is_stop(text)


def queued_sms(app, world):
    with app.app_context():
        booked(db.session, world, starts=NOW + timedelta(days=2), now=NOW, phone=PHONE)
        queue_news(db.session(), NOW, settings_of(app).messages)
        return db.session.scalars(
            sa.select(OutboxMessage.id).where(OutboxMessage.channel == MessageChannel.SMS)
        ).one()


def test_a_signed_twilio_stop_cancels_what_is_queued_and_stops_further_sms(make_app, world_factory):
    app = make_app(MESSAGES=twilio_settings("http://127.0.0.1:9"))
    world = world_factory(app)
    message_id = queued_sms(app, world)
    client = app.test_client()
    fields = {"From": PHONE, "To": "+18195550100", "Body": "ARRÊT", "MessageSid": "SM1"}
    url = "http://localhost/messages/inbound/twilio"

    refused = client.post(url, data=fields, headers={"X-Twilio-Signature": "forged"})
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalars(sa.select(MessageOptOut)).all() == []

    signature = twilio_signature(TWILIO_TOKEN, url, fields)
    answer = client.post(url, data=fields, headers={"X-Twilio-Signature": signature})
    assert answer.status_code == 200 and answer.mimetype == "text/xml"
    with app.app_context():
        (opt_out,) = db.session.scalars(sa.select(MessageOptOut)).all()
        assert opt_out.address == PHONE and opt_out.source == "keyword"
        message = db.session.get(OutboxMessage, message_id)
        assert message.status is MessageStatus.CANCELLED and message.reason == "opted out"
        # The next news for this person goes on the call list instead.
        booked(db.session, world, starts=NOW + timedelta(days=4), now=NOW, phone=PHONE)
        queue_news(db.session(), NOW, settings_of(app).messages)
        channels = db.session.scalars(
            sa.select(OutboxMessage.channel).where(OutboxMessage.id != message_id)
        ).all()
        assert MessageChannel.CALL in channels and MessageChannel.SMS not in channels


def test_the_twilio_webhook_is_closed_when_twilio_is_not_the_provider(client):
    assert client.post("/messages/inbound/twilio", data={"From": PHONE}).status_code == 404


def test_ovh_answers_are_read_by_the_job_and_removed(make_app, world_factory):
    with ovh_server() as provider:
        app = make_app(MESSAGES=ovh_settings(provider.base_url))
        world = world_factory(app)
        message_id = queued_sms(app, world)
        provider.incoming = {
            7: {"id": 7, "sender": PHONE, "message": "STOP", "creationDatetime": "2026-12-01"},
            8: {"id": 8, "sender": "+18195550999", "message": "Merci!", "creationDatetime": ""},
        }
        with app.app_context():
            assert sms_replies(db.session(), NOW, settings_of(app)) == 1
            assert db.session.get(OutboxMessage, message_id).status is MessageStatus.CANCELLED
            assert db.session.scalars(sa.select(MessageOptOut.address)).all() == [PHONE]
        assert provider.incoming == {}


def test_a_dispatcher_records_that_the_person_wants_no_messages(app, client, auth, world):
    with app.app_context():
        appointment = booked(db.session, world, starts=NOW + timedelta(days=2), now=NOW)
        request_id = appointment.request_id
    auth.login_as("dispatcher")
    page = client.get(f"/dispatch/requests/{request_id}").get_data(as_text=True)
    assert f"/dispatch/requests/{request_id}/messages/stop" in page
    response = client.post(f"/dispatch/requests/{request_id}/messages/stop")
    assert response.status_code == 303
    with app.app_context():
        (opt_out,) = db.session.scalars(sa.select(MessageOptOut)).all()
        assert opt_out.address == PHONE and opt_out.source == "staff"
        queue_news(db.session(), NOW, settings_of(app).messages)
        channels = db.session.scalars(sa.select(OutboxMessage.channel)).all()
        assert channels == [MessageChannel.CALL]
    page = client.get(f"/dispatch/requests/{request_id}").get_data(as_text=True)
    assert f"/dispatch/requests/{request_id}/messages/stop" not in page
    assert client.post("/dispatch/requests/9999/messages/stop").status_code == 404


def test_the_same_refusal_recorded_by_two_requests_at_once_is_kept_once(app, world):
    """Twice STOP, or a double click on the dispatcher's button: the other request records
    the refusal just before this one writes it. No error, one refusal."""
    from scheduler.messages.consent import record_opt_out

    with app.app_context():
        theirs = sa.insert(MessageOptOut).values(
            organisation_id=world.org_id, address=PHONE, source="sms", at=NOW
        )
        with other_request_inserts(
            db.engine, "message_opt_out", theirs, before_insert=True
        ) as done:
            record_opt_out(db.session(), world.org_id, PHONE, source="staff", now=NOW)
        assert done
        assert db.session.scalars(sa.select(MessageOptOut.address)).all() == [PHONE]
        assert record_opt_out(db.session(), world.org_id, PHONE, source="staff", now=NOW) is False
