"""A partner that asked for it gets an e-mail when one of its referrals changes status.

The message goes through the outbox and a real SMTP server process (aiosmtpd on
127.0.0.1, started by the fixture); it says the reference and the status, never a
volunteer's name, and is sent once per status.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.jobs import message_news
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import MessageKind
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import PartnerOrganisation
from scheduler.models import RecipientKind
from scheduler.models import utcnow
from scheduler.runtime import settings_of

from ..builders import make_request
from ..messages.conftest import sending
from ..messages.test_email import deliver_all
from ..messages.test_email import text_of


def _partner_wants_mail(app, world, notify: bool = True) -> None:
    with app.app_context():
        partner = db.session.get(PartnerOrganisation, world.partner_id)
        partner.contact_email = "Suivi@CCAS.example"
        partner.notify_on_status = notify
        db.session.commit()


def _referral(app, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        made = make_request(db.session, org, partner_organisation_id=world.partner_id)
        db.session.commit()
        return made.id, made.reference, made.token


def _sweep(app):
    with app.app_context():
        return message_news(db.session(), utcnow(), settings_of(app))


def partner_messages(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.recipient_kind == RecipientKind.PARTNER)
        ).all()
        db.session.expunge_all()
        return list(found)


def test_a_published_appointment_and_a_cancellation_reach_the_partner_by_e_mail(
    make_app, smtp_server, world_factory
):
    app = make_app(MESSAGES=sending(smtp_port=smtp_server.port, base_url="https://aide.example"))
    world = world_factory(app)
    _partner_wants_mail(app, world)
    request_id, reference, token = _referral(app, world)
    # Received is not news: the partner sent it itself.
    _sweep(app)
    assert partner_messages(app) == []

    with app.app_context():
        start = (utcnow() + timedelta(days=3)).replace(hour=15, minute=0, second=0, microsecond=0)
        db.session.add(
            Appointment(
                organisation_id=world.org_id,
                kind=Mode.HOME,
                request_id=request_id,
                volunteer_id=world.volunteer_id,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                status=AppointmentStatus.SCHEDULED,
            )
        )
        db.session.commit()
    _sweep(app)
    _sweep(app)  # asking again sends nothing twice
    (planned,) = partner_messages(app)
    assert planned.kind is MessageKind.REFERRAL_STATUS and planned.request_id == request_id
    deliver_all(app, utcnow())
    (mail,) = smtp_server.messages()
    assert mail["To"] == "suivi@ccas.example"
    assert reference in mail["Subject"]
    body = text_of(mail)
    assert "un rendez-vous est prévu le" in body
    assert "https://aide.example/partner/referrals" in body
    assert "Sylvie" not in body and "Tremblay" not in body  # no volunteer's name

    # The person cancels through their private link: the page's hook tells the partner.
    client = app.test_client()
    response = client.post(f"/request/{token}/cancel", data={"reason": "other"})
    assert response.status_code == 303
    assert len(partner_messages(app)) == 2
    deliver_all(app, utcnow())
    later = smtp_server.messages()
    assert len(later) == 2
    assert "nous n'avons pas pu l'aider pour l'instant" in text_of(later[1])


def test_a_partner_that_did_not_ask_gets_no_e_mail(make_app, smtp_server, world_factory):
    app = make_app(MESSAGES=sending(smtp_port=smtp_server.port))
    world = world_factory(app)
    _partner_wants_mail(app, world, notify=False)
    request_id, _reference, token = _referral(app, world)
    client = app.test_client()
    assert client.post(f"/request/{token}/cancel", data={"reason": "other"}).status_code == 303
    _sweep(app)
    assert partner_messages(app) == []
    deliver_all(app, utcnow())
    assert smtp_server.messages() == []
