"""Every message a person helped receives speaks the language they asked in: French,
English, Arabic, Spanish or Portuguese, the languages of the public pages; its times are
written as the pages write them."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.core.i18n import clock_text
from scheduler.messages import deliver_due
from scheduler.messages import queue_booking_confirmation
from scheduler.messages import queue_reminders
from scheduler.messages.beneficiaries import appointment_news
from scheduler.messages.choices import save_choice
from scheduler.messages.texts import DEFAULTS
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import MessageSetting
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import Role
from scheduler.runtime import settings_of
from scheduler.workshops.confirmation import queue_enrolment_confirmation
from scheduler.workshops.enrolment import Person
from scheduler.workshops.enrolment import enrol
from scheduler.workshops.offers import queue_offer

from ..workshops.builders import KEY
from ..workshops.builders import make_series
from .builders import booked
from .conftest import sending

#: What the public form stores as the request's locale, per language (a Québec organisation).
LOCALES = {"fr": "fr_CA", "en": "en_CA", "ar": "ar", "es": "es", "pt": "pt"}
NAME = "Ana <b>&</b>"
LINK = "https://escouade.example/r/secret"

#: The first words of every message, and the home visit's arrival window (9:45 to 10:15).
HELLO = {
    "fr": f"Bonjour {NAME}.",
    "en": f"Hello {NAME}.",
    "ar": f"مرحبًا {NAME}.",
    "es": f"Hola, {NAME}.",
    "pt": f"Olá, {NAME}.",
}
ARRIVAL = {
    "fr": "Arrivée entre 9\u00a0h\u00a045 et 10\u00a0h\u00a015.",
    "en": "Arrival between 9:45\u202fa.m. and 10:15\u202fa.m.",
    "ar": "الوصول بين 9:45 ص و10:15 ص.",
    "es": "Llegada entre las 9:45 y las 10:15.",
    "pt": "Chegada entre as 9h45 e as 10h15.",
}
#: A word of each kind's subject, in each language.
SUBJECT = {
    MessageKind.BOOKING: {
        "fr": "demande",
        "en": "request",
        "ar": "طلبك",
        "es": "solicitud",
        "pt": "pedido",
    },
    MessageKind.APPOINTMENT: {
        "fr": "rendez-vous",
        "en": "appointment",
        "ar": "موعدك",
        "es": "cita",
        "pt": "marcação",
    },
    MessageKind.REMINDER: {
        "fr": "Rappel",
        "en": "Reminder",
        "ar": "تذكير",
        "es": "Recordatorio",
        "pt": "Lembrete",
    },
    MessageKind.MOVED: {
        "fr": "change",
        "en": "changed",
        "ar": "تغيّر",
        "es": "cambia",
        "pt": "mudou",
    },
    MessageKind.CANCELLED: {
        "fr": "annulé",
        "en": "cancelled",
        "ar": "أُلغي",
        "es": "cancelada",
        "pt": "cancelada",
    },
    MessageKind.WORKSHOP_OFFER: {
        "fr": "place",
        "en": "seat",
        "ar": "مكان",
        "es": "lugar",
        "pt": "lugar",
    },
    MessageKind.WORKSHOP_ENROLLED: {
        "fr": "inscription",
        "en": "enrolment",
        "ar": "تسجيلك",
        "es": "inscripción",
        "pt": "inscrição",
    },
}


#: The reference of the last request made by :func:`every_message`, per locale.
REFERENCES: dict[str, str] = {}


def every_message(app, world, locale: str) -> dict[MessageKind, OutboxMessage]:
    """Each kind of message to a beneficiary, queued by the functions the pages and timed
    jobs call, for a person who used ``locale``; by kind. The request's reference goes to
    :data:`REFERENCES`."""
    with app.app_context():
        session = db.session()
        settings = settings_of(app).messages
        org = session.get_one(Organisation, world.org_id)
        zone = ZoneInfo(org.timezone)
        now = datetime(2026, 12, 7, 18, 0, tzinfo=zone)  # Monday, after the reminder hour
        starts = datetime(2026, 12, 8, 10, 0, tzinfo=zone).astimezone(UTC)
        appointment = booked(session, world, starts=starts, now=now, locale=locale, first_name=NAME)
        request = appointment.request
        REFERENCES[locale] = request.reference
        queue_booking_confirmation(session, request, link=LINK, now=now, settings=settings)
        appointment_news(session, appointment, now=now, settings=settings)
        queue_reminders(session, now, settings)
        appointment.move(starts + timedelta(hours=1), appointment.ends_at + timedelta(hours=1))
        appointment_news(session, appointment, now=now, settings=settings)
        appointment.cancel(now)
        appointment_news(session, appointment, now=now, settings=settings)

        series = make_series(session, world, first=now + timedelta(days=7))
        enrolment, _ = enrol(
            session, series, Person(NAME, "+18195550143"), key=KEY, now=now, locale=locale
        )
        queue_enrolment_confirmation(session, enrolment, link=LINK, now=now, sms=True)
        enrolment.offered_at = now
        enrolment.offer_expires_at = now + timedelta(days=2)
        queue_offer(session, enrolment, link=LINK, now=now, sms=True)
        session.commit()
        found = session.scalars(
            sa.select(OutboxMessage).where(
                OutboxMessage.recipient_kind == RecipientKind.BENEFICIARY
            )
        ).all()
        session.expunge_all()
    by_kind = {m.kind: m for m in found}
    assert len(by_kind) == len(found) == len(SUBJECT), [m.kind for m in found]
    return by_kind


@pytest.mark.parametrize("language", list(LOCALES))
def test_every_message_to_a_person_is_queued_in_their_language_and_filled(app, world, language):
    messages = every_message(app, world, LOCALES[language])
    for kind, message in messages.items():
        assert message.language == language, kind
        assert message.channel is MessageChannel.SMS
        assert message.body.startswith(HELLO[language]), (kind, message.body)
        assert SUBJECT[kind][language] in message.subject, (kind, message.subject)
        # Every {name} filled, whatever the language.
        assert "{" not in message.subject + message.body, (kind, message.body)
        assert "Aide numérique Test" in message.body, kind
    assert REFERENCES[LOCALES[language]] in messages[MessageKind.BOOKING].body
    assert LINK in messages[MessageKind.BOOKING].body
    for kind in (MessageKind.APPOINTMENT, MessageKind.REMINDER):
        assert ARRIVAL[language] in messages[kind].body, messages[kind].body
    assert LINK in messages[MessageKind.WORKSHOP_OFFER].body
    assert "Escouade numérique" in messages[MessageKind.WORKSHOP_ENROLLED].body


@pytest.mark.parametrize("language", ["ar", "es", "pt"])
def test_the_outbox_shows_each_message_escaped_and_in_its_direction(
    app, client, auth, world, language
):
    """Dispatchers read what was sent: the person's typed name is text, never markup, and
    an Arabic message reads right to left inside the French page."""
    messages = every_message(app, world, LOCALES[language])
    auth.login_as(Role.DISPATCHER)
    page = client.get("/dispatch/messages").get_data(as_text=True)
    assert "<b>&</b>" not in page
    assert page.count("Ana &lt;b&gt;&amp;&lt;/b&gt;") >= len(messages)
    direction = "rtl" if language == "ar" else "ltr"
    assert page.count(f'lang="{language}" dir="{direction}"') == len(messages)


def test_an_organisations_own_words_are_kept_and_the_other_languages_keep_theirs(app, world):
    """An organisation's French words go to French speakers; a Spanish speaker gets the
    Spanish words, with the organisation's words left to those they were written for."""
    with app.app_context():
        save_choice(
            db.session(),
            world.org_id,
            MessageKind.APPOINTMENT,
            enabled=True,
            texts={"fr": {"subject": "RDV {when}", "body": "Salut {first_name} : {when}."}},
        )
    french = every_message(app, world, "fr_CA")[MessageKind.APPOINTMENT]
    assert french.subject == "RDV mardi 8 décembre, 10\u00a0h"
    assert french.body == f"Salut {NAME} : mardi 8 décembre, 10\u00a0h."
    with app.app_context():
        db.session.execute(sa.delete(OutboxMessage))
        db.session.commit()
    spanish = every_message(app, world, "es")[MessageKind.APPOINTMENT]
    assert spanish.subject == "Su cita: martes, 8 de diciembre, 10:00"
    assert spanish.body.startswith(f"Hola, {NAME}. Su cita: martes, 8 de diciembre, 10:00. ")


def test_arabic_dates_use_the_arabic_comma(app, world):
    appointment = every_message(app, world, "ar")[MessageKind.APPOINTMENT]
    assert appointment.subject == "موعدك: الثلاثاء، 8 ديسمبر، 10:00 ص"


@pytest.mark.parametrize(
    ("region", "locale", "when", "arrival"),
    [
        # Québec: Babel writes "10 h 00", the pages "10 h".
        (
            "CA",
            "fr_CA",
            "mardi 8 décembre, 10\u00a0h.",
            "entre 9\u00a0h\u00a045 et 10\u00a0h\u00a015.",
        ),
        # France: Babel writes "10:00", the pages "10 h" as in Québec.
        (
            "FR",
            "fr_FR",
            "mardi 8 décembre, 10\u00a0h.",
            "entre 9\u00a0h\u00a045 et 10\u00a0h\u00a015.",
        ),
        # English keeps its own form, in each region.
        ("CA", "en_CA", "Tuesday, December 8, 10:00\u202fa.m.", "between 9:45\u202fa.m. and"),
        ("FR", "en_FR", "Tuesday, 8 December, 10:00.", "between 09:45 and 10:15."),
    ],
)
def test_an_sms_writes_times_as_the_pages_and_calendars_do(
    app, world, region, locale, when, arrival
):
    """The appointment's SMS, its reminder and the calendars all say "10 h" (not
    "10 h 00", nor France's "10:00"); the reminder is the same in Québec and France."""
    with app.app_context():
        org = db.session.get_one(Organisation, world.org_id)
        if region == "FR":
            org.locale, org.country, org.timezone = "fr_FR", "FR", "Europe/Paris"
        db.session.commit()
    phone = "+33612345678" if region == "FR" else "+18195550142"
    with app.app_context():
        session = db.session()
        settings = settings_of(app).messages
        org = session.get_one(Organisation, world.org_id)
        zone = ZoneInfo(org.timezone)
        now = datetime(2026, 12, 7, 18, 0, tzinfo=zone)
        starts = datetime(2026, 12, 8, 10, 0, tzinfo=zone).astimezone(UTC)
        appointment = booked(session, world, starts=starts, now=now, phone=phone, locale=locale)
        appointment_news(session, appointment, now=now, settings=settings)
        queue_reminders(session, now, settings)
        session.commit()
        told = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        page_time = clock_text(starts.astimezone(zone).time(), locale)
        assert [m.kind for m in told] == [MessageKind.APPOINTMENT, MessageKind.REMINDER]
        for message in told:
            assert message.channel is MessageChannel.SMS
            assert f", {page_time}" in message.body
            assert when in message.body and arrival in message.body, message.body
            assert "h 00" not in message.body and "09 h" not in message.body


def test_an_arabic_appointment_arrives_by_email_right_to_left(make_app, smtp_server, world_factory):
    """Through a real SMTP server: the message in Arabic, its plain text as queued, and an
    HTML part that reads right to left with the person's typed name escaped; a Spanish
    one stays plain text."""
    app = make_app(MESSAGES=sending(smtp_port=smtp_server.port))
    world = world_factory(app)
    with app.app_context():
        session = db.session()
        settings = settings_of(app)
        now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
        starts = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)  # 10:00 in Québec
        for locale, address in (("ar", "ana@example.org"), ("es", "eva@example.org")):
            appointment = booked(
                session, world, starts=starts, now=now, first_name=NAME, email=address
            )
            appointment.request.locale = locale
            session.commit()
            appointment_news(session, appointment, now=now, settings=settings.messages)
        session.commit()
        rows = session.scalars(sa.select(OutboxMessage)).all()
        assert {m.channel for m in rows} == {MessageChannel.EMAIL}
        queued = {m.address: m.body for m in rows}
        sent = deliver_due(session, now, settings=settings.messages, feeds=settings.feeds)
        assert sent == 2
    mails = {m["To"]: m for m in smtp_server.messages()}
    arabic = mails["ana@example.org"]
    assert arabic["Content-Language"] == "ar"
    assert arabic["Subject"] == "موعدك: الثلاثاء، 8 ديسمبر، 10:00 ص"
    plain = arabic.get_body(preferencelist=("plain",))
    assert plain.get_content().strip() == queued["ana@example.org"]
    assert plain.get_content().startswith(f"مرحبًا {NAME}.")
    page = arabic.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in page
    assert "مرحبًا Ana &lt;b&gt;&amp;&lt;/b&gt;." in page and "<b>" not in page
    assert "الوصول بين 9:45 ص و10:15 ص." in page
    assert [p.get_content_type() for p in arabic.walk() if p.get_filename()] == ["text/calendar"]
    spanish = mails["eva@example.org"]
    assert spanish["Content-Language"] == "es"
    assert spanish.get_body(preferencelist=("html",)) is None
    assert (
        spanish.get_body(preferencelist=("plain",))
        .get_content()
        .startswith(f"Hola, {NAME}. Su cita: martes, 8 de diciembre, 10:00.")
    )


def test_the_call_list_says_in_which_language_to_read_a_message(app, client, auth, world):
    """A person with neither a mobile nor an e-mail is called: the dispatcher sees the words
    in the person's language, right to left for Arabic, and which language it is."""
    with app.app_context():
        session = db.session()
        now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
        appointment = booked(
            session,
            world,
            starts=datetime(2026, 12, 8, 15, 0, tzinfo=UTC),
            now=now,
            phone="+33142685300",  # a landline: no SMS
            first_name=NAME,
            locale="ar",
        )
        told = appointment_news(session, appointment, now=now, settings=settings_of(app).messages)
        assert told is not None and told.channel is MessageChannel.CALL
        session.commit()
    auth.login_as(Role.DISPATCHER)
    page = client.get("/dispatch/calls").get_data(as_text=True)
    assert "· Arabe" in page
    assert '<span lang="ar" dir="rtl">مرحبًا Ana &lt;b&gt;&amp;&lt;/b&gt;. موعدك' in page


def test_an_organisation_writes_its_own_spanish_words_on_the_page_and_a_spanish_speaker_gets_them(
    app, client, auth, world
):
    """The texts page holds the Arabic, Spanish and Portuguese words too, prefilled with the
    built-in ones; what is changed there reaches the people asked in that language, and a
    language left as it was keeps following the built-in text."""
    auth.login_as(Role.ADMIN)
    page = client.get("/admin/messages/appointment").get_data(as_text=True)
    assert 'name="body_es"' in page and "Su cita: {when}" in page
    assert 'name="body_pt"' in page and 'name="subject_ar"' in page
    form = {"enabled": "y", "body_es": "Hola {first_name}: su cita es {when}. {organisation}"}
    for language in ("fr", "en", "ar", "pt"):  # sent back as shown, the defaults
        for part in ("subject", "body"):
            form[f"{part}_{language}"] = DEFAULTS[MessageKind.APPOINTMENT][language][part]
    form["subject_es"] = DEFAULTS[MessageKind.APPOINTMENT]["es"]["subject"]
    assert client.post("/admin/messages/appointment", data=form).status_code == 303
    with app.app_context():
        row = db.session.scalars(sa.select(MessageSetting)).one()
        assert row.texts == {"es": {"body": form["body_es"]}}
    spanish = every_message(app, world, "es")[MessageKind.APPOINTMENT]
    assert (
        spanish.body
        == f"Hola {NAME}: su cita es martes, 8 de diciembre, 10:00. Aide numérique Test"
    )
    assert spanish.subject == "Su cita: martes, 8 de diciembre, 10:00"
    with app.app_context():
        db.session.execute(sa.delete(OutboxMessage))
        db.session.commit()
    arabic = every_message(app, world, "ar")[MessageKind.APPOINTMENT]
    assert arabic.body.startswith(HELLO["ar"])
