"""After a change: the person and the volunteer are told once, whoever asks."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.messages import queue_news
from scheduler.messages.volunteers import queue_volunteer_day
from scheduler.models import MessageKind
from scheduler.models import MessageSetting
from scheduler.models import Mode
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import Volunteer
from scheduler.runtime import settings_of

from .builders import booked

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def outbox(session, recipient=None):
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if recipient is not None:
        query = query.where(OutboxMessage.recipient_kind == recipient)
    return session.scalars(query).all()


def test_new_moved_then_cancelled_each_tell_the_person_once(app, world):
    with app.app_context():
        session = db.session()
        settings = settings_of(app).messages
        volunteer = session.get(Volunteer, world.volunteer_id)
        volunteer.email = "sylvie.t@example.org"
        session.commit()
        appointment = booked(session, world, starts=NOW + timedelta(days=2), now=NOW)

        queue_news(session, NOW, settings)
        queue_news(session, NOW + timedelta(minutes=5), settings)  # the sweep, again
        told = outbox(session, RecipientKind.BENEFICIARY)
        assert [m.kind for m in told] == [MessageKind.APPOINTMENT]
        (day,) = outbox(session, RecipientKind.VOLUNTEER)
        assert day.address == "sylvie.t@example.org"
        assert day.subject == "Votre journée du jeudi 3 décembre"
        assert "- 10\u00a0h : visite, 12, rue Principale, Drummondville" in day.body

        later = NOW + timedelta(hours=1)
        two_hours = timedelta(hours=2)
        appointment.move(appointment.starts_at + two_hours, appointment.ends_at + two_hours)
        appointment.updated_at = later
        session.commit()
        queue_news(session, later, settings)
        told = outbox(session, RecipientKind.BENEFICIARY)
        assert [m.kind for m in told] == [MessageKind.APPOINTMENT, MessageKind.MOVED]
        assert "12\u00a0h." in told[-1].body and "12 h 00" not in told[-1].body
        days = outbox(session, RecipientKind.VOLUNTEER)
        assert len(days) == 2 and days[-1].subject.startswith("Changement. ")

        appointment.cancel(later)
        appointment.updated_at = later
        session.commit()
        queue_news(session, later, settings)
        queue_news(session, later, settings)
        told = outbox(session, RecipientKind.BENEFICIARY)
        assert [m.kind for m in told][-1] is MessageKind.CANCELLED
        assert len(told) == 3
        assert len(outbox(session, RecipientKind.VOLUNTEER)) == 3


def test_a_kind_turned_off_by_the_organisation_is_not_sent(app, world):
    with app.app_context():
        session = db.session()
        off = MessageSetting(organisation_id=world.org_id, kind=MessageKind.APPOINTMENT)
        off.enabled = False
        session.add(off)
        session.commit()
        booked(session, world, starts=NOW + timedelta(days=2), now=NOW)
        queue_news(session, NOW, settings_of(app).messages)
        assert outbox(session, RecipientKind.BENEFICIARY) == []


def test_an_organisations_own_words_are_used(app, world):
    with app.app_context():
        session = db.session()
        session.add(
            MessageSetting(
                organisation_id=world.org_id,
                kind=MessageKind.APPOINTMENT,
                texts={"fr": {"body": "Salut {first_name}, c'est {when}. {unknown} {"}},
            )
        )
        session.commit()
        booked(session, world, starts=NOW + timedelta(days=2), now=NOW)
        queue_news(session, NOW, settings_of(app).messages)
        (message,) = outbox(session, RecipientKind.BENEFICIARY)
        # A broken text never fails: the known names are filled, the rest sent as typed.
        assert message.body.startswith("Salut Jeannine, c'est ")
        assert message.body.endswith(". {unknown} {") and "{when}" not in message.body


def test_old_changes_wake_no_message(app, world):
    with app.app_context():
        session = db.session()
        booked(session, world, starts=NOW + timedelta(days=20), now=NOW - timedelta(days=5))
        assert queue_news(session, NOW, settings_of(app).messages) == 0


def test_a_changed_day_names_the_visit_that_was_cancelled(app, world):
    """The volunteer's "Changement" lists what is left and says which visit went away;
    a visit cancelled before an earlier message is not told again."""
    with app.app_context():
        session = db.session()
        settings = settings_of(app).messages
        volunteer = session.get(Volunteer, world.volunteer_id)
        volunteer.email = "sylvie.t@example.org"
        session.commit()
        morning = booked(session, world, starts=NOW + timedelta(days=2), now=NOW)
        afternoon = booked(
            session,
            world,
            starts=NOW + timedelta(days=2, hours=4),
            now=NOW,
            first_name="Omar",
            phone="+18195550177",
        )
        queue_news(session, NOW, settings)

        later = NOW + timedelta(hours=1)
        morning.cancel(later)
        morning.updated_at = later
        session.commit()
        queue_news(session, later, settings)
        first, changed = outbox(session, RecipientKind.VOLUNTEER)
        assert "annulé" not in first.body
        assert changed.subject.startswith("Changement. ")
        assert "- 10\u00a0h : annulé, visite, 12, rue Principale, Drummondville" in changed.body
        assert "- 14\u00a0h : visite, 12, rue Principale, Drummondville" in changed.body

        # Another change later: the morning visit was already told as cancelled.
        evening = later + timedelta(hours=1)
        hour = timedelta(hours=1)
        afternoon.move(afternoon.starts_at + hour, afternoon.ends_at + hour)
        afternoon.updated_at = evening
        session.commit()
        queue_news(session, evening, settings)
        last = outbox(session, RecipientKind.VOLUNTEER)[-1]
        assert "annulé" not in last.body
        assert "- 15\u00a0h : visite" in last.body


def test_a_call_in_the_volunteers_day_carries_the_number_to_dial(app, world):
    """The day's message is what a volunteer without a calendar has: a call lists the
    person's number, written as the pages write it; a cancelled call leaves it out."""
    with app.app_context():
        session = db.session()
        settings = settings_of(app).messages
        volunteer = session.get(Volunteer, world.volunteer_id)
        volunteer.email = "sylvie.t@example.org"
        session.commit()
        call = booked(
            session,
            world,
            starts=NOW + timedelta(days=2),
            now=NOW,
            first_name="Omar",
            phone="+18195550177",
        )
        call.kind = Mode.PHONE
        session.commit()
        queue_news(session, NOW, settings)
        (day,) = outbox(session, RecipientKind.VOLUNTEER)
        reference = call.request.reference
        assert f"- 10\u00a0h : appel, Omar ({reference}) au (819) 555-0177" in day.body

        later = NOW + timedelta(hours=1)
        call.cancel(later)
        call.updated_at = later
        session.commit()
        queue_news(session, later, settings)
        changed = outbox(session, RecipientKind.VOLUNTEER)[-1]
        assert f"- 10\u00a0h : annulé, appel, Omar ({reference})" in changed.body
        assert "555-0177" not in changed.body


def test_a_call_in_an_english_day_reads_at_the_number(app, world):
    with app.app_context():
        session = db.session()
        volunteer = session.get(Volunteer, world.volunteer_id)
        volunteer.email = "sylvie.t@example.org"
        volunteer.user.locale = "en_CA"
        call = booked(session, world, starts=NOW + timedelta(days=2), now=NOW, phone="+33612345678")
        call.kind = Mode.PHONE
        session.commit()
        day = queue_volunteer_day(session, volunteer, (NOW + timedelta(days=2)).date(), now=NOW)
        assert day is not None and day.language == "en"
        reference = call.request.reference
        # A number from another country is written with its country code.
        assert f"call, Jeannine ({reference}) at +33 6 12 34 56 78" in day.body
