"""A person who enrols in a workshop (the public form or at the desk) gets a
confirmation through the outbox, with their private link and the sessions' days, in
their language: a seat kept, or their place on the waiting list."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.messages import words
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import WorkshopSeries

from .builders import make_series


def _series(app, world, **kw) -> int:
    with app.app_context():
        first = datetime.now(UTC) + timedelta(days=7)
        return make_series(db.session, world, first=first, **kw).id


def _confirmations(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == MessageKind.WORKSHOP_ENROLLED)
            .order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return list(found)


def _days(app, series_id: int, locale: str) -> list[str]:
    with app.app_context():
        series = db.session.get(WorkshopSeries, series_id)
        org = db.session.get(Organisation, series.organisation_id)
        return [words.day(s.starts_at, org, locale) for s in series.sessions]


def test_enrolling_on_the_public_form_sends_a_confirmation_with_the_link_and_days(
    app, client, world
):
    series_id = _series(app, world, capacity=1)
    joined = client.post(
        f"/ask/workshop/{series_id}",
        data={"first_name": "Ana", "phone": "819 555-0111", "consent": "1"},
    )
    assert joined.status_code == 303
    token = joined.headers["Location"].rsplit("/", 1)[1]
    [message] = _confirmations(app)
    assert message.channel is MessageChannel.SMS and message.address == "+18195550111"
    assert message.language == "fr"
    assert "Bonjour Ana" in message.body and "Votre place est réservée." in message.body
    assert f"/workshop/{token}" in message.body
    for day in _days(app, series_id, "fr_CA"):
        assert day in message.body
    # Full now: the next person hears of their place on the waiting list.
    client.post(
        f"/ask/workshop/{series_id}",
        data={"first_name": "Bea", "phone": "819 555-0112", "consent": "1"},
    )
    waiting = _confirmations(app)[-1]
    assert "numéro 1 sur la liste d'attente" in waiting.body


def test_a_person_enrolling_in_english_is_confirmed_in_english(app, client, world):
    series_id = _series(app, world)
    client.get("/language/en?next=/")
    client.post(
        f"/ask/workshop/{series_id}",
        data={"first_name": "Ana", "phone": "819 555-0111", "consent": "1"},
    )
    [message] = _confirmations(app)
    assert message.language == "en"
    assert message.body.startswith("Hello Ana.") and "Your seat is kept for you." in message.body
    assert _days(app, series_id, "en_CA")[0] in message.body


def test_a_desk_enrolment_is_confirmed_by_sms(app, client, auth, world):
    series_id = _series(app, world, capacity=3)
    auth.login_as("dispatcher")
    by_mail = client.post(
        f"/dispatch/workshops/series/{series_id}/enrol",
        data={"first_name": "Marguerite", "phone": "", "email": "m@example.org"},
    )
    # A phone is required at the desk: the form says so and nothing is sent.
    assert by_mail.status_code == 400 and _confirmations(app) == []
    client.post(
        f"/dispatch/workshops/series/{series_id}/enrol",
        data={"first_name": "Marguerite", "phone": "819 555-0133", "email": "m@example.org"},
    )
    [message] = _confirmations(app)
    assert message.channel is MessageChannel.SMS and "Marguerite" in message.body
    assert "/workshop/" in message.body


def test_without_sms_the_email_is_used_and_a_desk_enrolment_is_never_put_on_the_call_list(
    app, world
):
    from scheduler.models import User
    from scheduler.workshops.confirmation import queue_enrolment_confirmation
    from scheduler.workshops.enrolment import Person
    from scheduler.workshops.enrolment import enrol

    from .builders import KEY

    series_id = _series(app, world, capacity=3)
    now = datetime.now(UTC)
    with app.app_context():
        series = db.session.get(WorkshopSeries, series_id)
        desk = db.session.scalars(sa.select(User).where(User.email == world.users["dispatcher"]))
        staff = desk.one()
        mailed, _ = enrol(
            db.session,
            series,
            Person("Léa", "+18195550141", "lea@example.org"),
            key=KEY,
            now=now,
            locale="fr_CA",
            created_by=staff,
        )
        at_desk, _ = enrol(
            db.session,
            series,
            Person("Rita", "+18195550142"),
            key=KEY,
            now=now,
            locale="fr_CA",
            created_by=staff,
        )
        online, _ = enrol(
            db.session, series, Person("Sam", "+18195550143"), key=KEY, now=now, locale="fr_CA"
        )
        sent = {
            e.beneficiary.first_name: queue_enrolment_confirmation(
                db.session, e, link="https://x/w/t", now=now, sms=False
            )
            for e in (mailed, at_desk, online)
        }
        assert sent["Léa"].channel is MessageChannel.EMAIL
        assert sent["Léa"].address == "lea@example.org"
        assert sent["Rita"] is None  # told at the desk; no call to say it again
        assert sent["Sam"].channel is MessageChannel.CALL  # online, no mobile: we call
        # Queued once per enrolment, whatever asks again.
        assert (
            queue_enrolment_confirmation(
                db.session, mailed, link="https://x/w/t", now=now, sms=False
            )
            is None
        )


@pytest.mark.parametrize(
    ("language", "hello", "seat"),
    [
        ("es", "Hola, Ana.", "Su lugar está reservado."),
        ("pt", "Olá, Ana.", "O seu lugar está reservado."),
        ("ar", "مرحبًا Ana.", "مكانك محجوز لك."),
    ],
)
def test_a_person_enrolling_in_another_public_language_is_confirmed_in_it(
    app, client, world, language, hello, seat
):
    """The workshop's public page speaks Arabic, Spanish and Portuguese: so does the
    confirmation, with the days written in that language."""
    series_id = _series(app, world)
    client.get(f"/language/{language}?next=/")
    client.post(
        f"/ask/workshop/{series_id}",
        data={"first_name": "Ana", "phone": "819 555-0111", "consent": "1"},
    )
    [message] = _confirmations(app)
    assert message.language == language
    assert message.body.startswith(hello) and seat in message.body
    for day in _days(app, series_id, language):
        assert day in message.body
