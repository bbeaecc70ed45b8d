"""Dispatchers read the outbox; administrators choose what is sent and in which words."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.core.settings import ConfigurationError
from scheduler.messages import MessageSettings
from scheduler.messages import queue_news
from scheduler.models import MessageKind
from scheduler.models import MessageSetting
from scheduler.models import OutboxMessage
from scheduler.models import Role
from scheduler.models import utcnow
from scheduler.runtime import settings_of

from ..races import other_request_inserts
from .builders import booked


def text(response):
    return html.unescape(response.get_data(as_text=True))


def test_the_outbox_shows_each_message_and_filters_by_status(app, client, auth, world):
    now = utcnow()
    with app.app_context():
        booked(db.session, world, starts=now + timedelta(days=2), now=now)
        queue_news(db.session(), now, settings_of(app).messages)
    auth.login_as(Role.DISPATCHER)
    page = text(client.get("/dispatch/messages"))
    assert "Bonjour Jeannine. Votre rendez-vous" in page
    # The statuses are words in the page's language (French here), tabs included.
    assert "En attente" in page and "Échec" in page and "Queued" not in page
    assert "Bonjour Jeannine" not in text(client.get("/dispatch/messages?status=failed"))
    assert client.get("/dispatch/messages?status=nonsense").status_code == 400


def test_an_administrator_turns_a_kind_off_and_writes_its_words(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    assert client.get("/admin/messages").status_code == 403
    auth.logout()
    auth.login_as(Role.ADMIN)
    page = text(client.get("/admin/messages/reminder"))
    assert "Rappel : rendez-vous demain" in page and "{first_name}" in page
    response = client.post(
        "/admin/messages/reminder",
        data={
            "subject_fr": "Rappel",
            "body_fr": "Bonjour {first_name}, on se voit demain : {when}.",
            "subject_en": "",
            "body_en": "",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalars(sa.select(MessageSetting)).one()
        assert row.kind is MessageKind.REMINDER and row.enabled is False
        assert row.texts == {
            "fr": {"subject": "Rappel", "body": "Bonjour {first_name}, on se voit demain : {when}."}
        }
    page = text(client.get("/admin/messages/reminder"))
    assert "Bonjour {first_name}, on se voit demain" in page
    # Too long: the form says so and keeps what was typed.
    long = "x" * 1001
    response = client.post("/admin/messages/reminder", data={"enabled": "y", "body_fr": long})
    assert response.status_code == 400 and long in text(response)
    assert client.get("/admin/messages/nonsense").status_code == 404


def test_message_settings_refuse_typos():
    with pytest.raises(ConfigurationError):
        MessageSettings.from_config({"backend": "smtp"})
    with pytest.raises(ConfigurationError):
        MessageSettings.from_config({"reminder_hours": 17})
    with pytest.raises(ConfigurationError):
        MessageSettings.from_config({"reminder_hour": "late"})
    settings = MessageSettings.from_config({"retry_delays_s": [10, 20]})
    assert [settings.retry_delay_s(n) for n in (1, 2, 3)] == [10, 20, 20]


def test_braces_an_administrator_mistypes_are_sent_as_typed_and_never_stop_a_message(
    app, client, auth, world
):
    """Only a plain ``{name}`` is replaced: an index, an attribute or a format typed in the
    braces is left as written, instead of failing the request that sends the message (the
    public form's confirmation) or showing the innards of the program."""
    auth.login_as(Role.ADMIN)
    typed = "Bonjour {first_name[x]} {first_name.upper} {first_name:>999999999} {first_name!r}."
    response = client.post(
        "/admin/messages/appointment",
        data={"enabled": "y", "subject_fr": "RDV", "body_fr": typed},
    )
    assert response.status_code == 303
    now = utcnow()
    with app.app_context():
        appointment = booked(db.session, world, starts=now + timedelta(days=2), now=now)
        queue_news(db.session(), now, settings_of(app).messages)
        bodies = [
            m.body
            for m in db.session.scalars(sa.select(OutboxMessage))
            if m.request_id == appointment.request_id and m.kind is MessageKind.APPOINTMENT
        ]
    assert bodies == [typed]


def test_a_first_choice_of_texts_saved_twice_at_once_is_kept_once_as_the_later_save_says(
    app, world
):
    """A double click on the first save of a kind: the other request stores its choice just
    after this one found none. No error; one row, with this save's choice."""
    from scheduler.messages.choices import save_choice

    with app.app_context():
        theirs = sa.insert(MessageSetting).values(
            organisation_id=world.org_id, kind=MessageKind.DIGEST, enabled=True, texts={}
        )
        with other_request_inserts(db.engine, "message_setting", theirs) as done:
            save_choice(db.session(), world.org_id, MessageKind.DIGEST, enabled=False, texts={})
        assert done
        rows = db.session.scalars(sa.select(MessageSetting)).all()
        assert [(row.kind, row.enabled) for row in rows] == [(MessageKind.DIGEST, False)]


def test_the_arabic_texts_are_written_right_to_left_and_only_for_messages_to_people_helped(
    client, auth, world
):
    auth.login_as(Role.ADMIN)
    page = client.get("/admin/messages/booking").get_data(as_text=True)
    for part in ("subject", "body"):
        field = re.search(rf'<(?:input|textarea)[^>]*name="{part}_ar"[^>]*>', page)
        assert field is not None and 'dir="rtl"' in field.group(0) and 'lang="ar"' in field.group(0)
        spanish = re.search(rf'<(?:input|textarea)[^>]*name="{part}_es"[^>]*>', page)
        assert spanish is not None and 'dir="ltr"' in spanish.group(0)
    assert "Objet (courriel), en arabe" in page and "Texte, en portugais" in page
    # A volunteer's day and the dispatchers' digest are written in French and English only.
    for code in ("volunteer_day", "digest"):
        page = client.get(f"/admin/messages/{code}").get_data(as_text=True)
        assert 'name="body_ar"' not in page and 'name="body_fr"' in page


def test_a_too_long_portuguese_text_is_refused_in_words_and_kept_as_typed(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    typed = "Olá {first_name}. " + "x" * 1000
    response = client.post(
        "/admin/messages/reminder", data={"enabled": "y", "body_pt": typed, "subject_ar": "تذكير"}
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Texte, en portugais" in page and typed in page and "تذكير" in page
    with app.app_context():
        assert db.session.scalars(sa.select(MessageSetting)).all() == []
