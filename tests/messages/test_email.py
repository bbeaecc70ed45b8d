"""E-mail goes through a real SMTP server process (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from ical.calendar_stream import IcsCalendarStream

from scheduler.core.extensions import db
from scheduler.messages import deliver_due
from scheduler.messages import queue_news
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import MessageChannel
from scheduler.models import MessageStatus
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import TaskRun
from scheduler.models import TaskStatus
from scheduler.models import Volunteer
from scheduler.runtime import settings_of
from scheduler.tasks import queue_of
from scheduler.tasks.worker import execute

from ..booking.builders import answers
from ..builders import make_request
from .conftest import sending


def text_of(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def deliver_all(app, now):
    with app.app_context():
        settings = settings_of(app)
        return deliver_due(db.session(), now, settings=settings.messages, feeds=settings.feeds)


def test_a_booking_confirmation_arrives_in_english_with_a_private_link(
    make_app, smtp_server, world_factory, tmp_path
):
    """A person books in English with an e-mail: the page hands the confirmation to the
    task queue (a SQLite huey queue, no worker running yet); a worker's run sends it by
    e-mail, in English, with a private link that opens their request."""
    queue = {"backend": "sqlite", "sqlite_path": str(tmp_path / "queue.db")}
    app = make_app(MESSAGES=sending(smtp_port=smtp_server.port), QUEUE=queue)
    world = world_factory(app)
    client = app.test_client()
    client.get("/language/en?next=/")
    response = client.post("/", data=answers(world, email="Jeannine@Example.org", languages=["en"]))
    assert response.status_code == 303

    with app.app_context():
        (message,) = db.session.scalars(sa.select(OutboxMessage)).all()
        # No SMS provider is set up: e-mail comes first.
        assert message.channel is MessageChannel.EMAIL
        assert message.status is MessageStatus.QUEUED
        assert message.language == "en"
        reference = db.session.scalar(sa.select(HelpRequest.reference))
        (run,) = db.session.scalars(sa.select(TaskRun)).all()
        assert run.kind == "send_message" and run.status is TaskStatus.QUEUED
        run_id = run.id
    assert smtp_server.messages() == []  # nothing sent by the web request itself
    assert queue_of(app).pending() == 1

    execute(queue_of(app), run_id, worker="test-worker")  # what `escouade worker` does
    (mail,) = smtp_server.messages()
    assert mail["To"] == "jeannine@example.org"
    assert mail["Content-Language"] == "en"
    body = text_of(mail)
    assert body.startswith("Hello Jeannine. We received your request.")
    assert reference in body and reference in mail["Subject"]
    link = re.search(r"http://localhost(/request/[A-Za-z0-9_-]+)", body)
    assert link is not None
    page = client.get(link.group(1))
    assert page.status_code == 200 and reference in page.get_data(as_text=True)

    with app.app_context():
        message = db.session.scalars(sa.select(OutboxMessage)).one()
        assert message.status is MessageStatus.SENT and message.provider == "smtp"
    # A second run sends nothing more.
    assert deliver_all(app, datetime.now(UTC)) == 0
    assert len(smtp_server.messages()) == 1


def test_a_published_appointment_email_carries_an_ics_that_parses(
    make_app, smtp_server, world_factory
):
    app = make_app(MESSAGES=sending(smtp_port=smtp_server.port))
    world = world_factory(app)
    now = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        # A French landline cannot take an SMS: the e-mail is used.
        beneficiary = Beneficiary(
            organisation=org, first_name="Marc", phone="+33123456789", email="marc@example.org"
        )
        request = make_request(db.session, org, beneficiary=beneficiary, locale="fr_FR")
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        starts = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
        db.session.add(
            Appointment(
                organisation_id=org.id,
                kind=Mode.HOME,
                request=request,
                volunteer=volunteer,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=90),
                status=AppointmentStatus.SCHEDULED,
                created_at=now,
                updated_at=now,
            )
        )
        db.session.commit()
        reference = request.reference
        settings = settings_of(app).messages
        assert queue_news(db.session(), now, settings) >= 1

    assert deliver_all(app, now) >= 1
    mails = [m for m in smtp_server.messages() if m["To"] == "marc@example.org"]
    (mail,) = mails
    assert mail["Content-Language"] == "fr"
    body = text_of(mail)
    # In local time, written as France's pages write it (the request was made in fr_FR):
    # "10 h", not Babel's "10:00".
    assert "Bonjour Marc. Votre rendez-vous : jeudi 3 décembre, 10\u00a0h." in body
    assert "Sylvie vient chez vous. Arrivée entre 9\u00a0h\u00a045 et 10\u00a0h\u00a015." in body
    (attachment,) = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert attachment.get_filename() == f"{reference.lower()}.ics"
    calendar = IcsCalendarStream.calendar_from_ics(attachment.get_payload(decode=True).decode())
    (event,) = calendar.events
    assert event.dtstart.astimezone(UTC) == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    assert reference in (event.description or "")
