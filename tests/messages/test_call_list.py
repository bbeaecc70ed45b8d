"""People without a mobile or an e-mail are called: the call list, ticked off when done."""

from __future__ import annotations

import html
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.messages import queue_news
from scheduler.models import MessageChannel
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import Role
from scheduler.models import utcnow
from scheduler.runtime import settings_of

from ..booking.builders import answers
from .builders import booked

LANDLINE = "+33123456789"  # a Paris landline: no SMS can reach it


def page_text(response):
    return html.unescape(response.get_data(as_text=True)).replace("\u202f", " ")


def test_a_landline_only_person_is_on_the_call_list_until_ticked_off(app, client, auth, world):
    now = utcnow()
    with app.app_context():
        appointment = booked(
            db.session, world, starts=now + timedelta(days=3), now=now, phone=LANDLINE
        )
        reference = appointment.request.reference
        assert queue_news(db.session(), now, settings_of(app).messages) >= 1
        (call,) = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.channel == MessageChannel.CALL)
        ).all()
        call_id = call.id

    auth.login_as(Role.DISPATCHER)
    page = page_text(client.get("/dispatch/calls"))
    assert "1 person to call" in page or "1 personne à appeler" in page
    assert "Jeannine" in page and "+33 1 23 45 67 89" in page
    assert f"Votre numéro : {reference}" in page
    assert "Sylvie vient chez vous" in page

    response = client.post(f"/dispatch/calls/{call_id}/done")
    assert response.status_code == 303
    page = page_text(client.get("/dispatch/calls"))
    assert "Jeannine" not in page
    with app.app_context():
        call = db.session.get(OutboxMessage, call_id)
        assert call.status is MessageStatus.SENT and call.done_by_id is not None
    # Ticking twice changes nothing.
    client.post(f"/dispatch/calls/{call_id}/done")
    with app.app_context():
        assert db.session.get(OutboxMessage, call_id).attempts == 1


def test_the_call_list_is_for_staff_only(client, auth, world):
    assert client.get("/dispatch/calls").status_code == 302
    auth.login_as(Role.VOLUNTEER)
    assert client.get("/dispatch/calls").status_code == 403
    assert client.post("/dispatch/calls/1/done").status_code == 403


def test_an_online_booking_without_mobile_or_email_goes_on_the_call_list(app, client, auth, world):
    client.post("/", data=answers(world, phone="+33 1 23 45 67 89"))
    with app.app_context():
        (row,) = db.session.scalars(sa.select(OutboxMessage)).all()
        token_path = next(w for w in row.body.split() if "/request/" in w)
    assert row.channel is MessageChannel.CALL and row.kind.value == "booking"
    # The private link's secret is never shown on the dispatchers' pages.
    auth.login_as(Role.DISPATCHER)
    for path in ("/dispatch/calls", "/dispatch/messages"):
        page = page_text(client.get(path))
        assert "Jeannine" in page and token_path not in page and "/request/…" in page


def test_a_phone_intake_booking_is_not_put_on_the_call_list(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    data = answers(world, phone="+33 1 23 45 67 89", consent="y")
    data.pop("website")
    client.post("/dispatch/intake", data=data)
    with app.app_context():
        assert db.session.scalars(sa.select(OutboxMessage)).all() == []
