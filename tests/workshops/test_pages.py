"""The workshop pages through the test client: staff create and fill a series, the public
joins from the form's fourth choice, the leader takes attendance, the participant keeps
their sessions as .ics."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.models import DeviceKind
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage
from scheduler.models import Programme
from scheduler.models import Referral
from scheduler.models import SeriesStatus
from scheduler.models import WorkshopSeries

from .builders import make_series


def soon():
    return datetime.now(UTC) + timedelta(days=7)


def _series_form(programme_id: int, world, **fields: str) -> dict[str, str]:
    """The new-series form as a dispatcher fills it: a weekly afternoon series in Wickham
    starting soon; ``fields`` replace what a test is about."""
    form = {
        "programme": str(programme_id),
        "municipality": str(world.municipality_ids["Wickham"]),
        "hall_name": "Salle communautaire",
        "first_day": soon().date().isoformat(),
        "starts": "13:30",
        "ends": "15:30",
        "every_days": "7",
        "leader": str(world.volunteer_id),
    }
    return form | fields


def test_a_dispatcher_creates_a_programme_and_a_series_then_publishes_it(app, client, auth, world):
    auth.login_as("dispatcher")
    bad = client.post(
        "/dispatch/workshops/programmes/new", data={"title": "", "sessions_count": "x"}
    )
    assert bad.status_code == 400
    assert "Donnez un titre" in bad.get_data(as_text=True) or "title" in bad.get_data(as_text=True)
    made = client.post(
        "/dispatch/workshops/programmes/new",
        data={
            "title": "Escouade numérique",
            "audience": "Femmes",
            "sessions_count": "3",
            "capacity": "2",
            "laptops": "2",
            "share": "75",
            "topics": "Allumer\nCourriel\nServices publics",
        },
    )
    assert made.status_code == 303
    with app.app_context():
        programme = db.session.scalars(sa.select(Programme)).one()
        assert programme.session_topics == ["Allumer", "Courriel", "Services publics"]
        programme_id = programme.id
    day = soon().date().isoformat()
    drafted = client.post(
        "/dispatch/workshops/series/new",
        data=_series_form(programme_id, world, first_day=day),
    )
    assert drafted.status_code == 303, drafted.get_data(as_text=True)
    with app.app_context():
        series = db.session.scalars(sa.select(WorkshopSeries)).one()
        assert len(series.sessions) == 3
        assert series.sessions[1].starts_at - series.sessions[0].starts_at == timedelta(days=7)
        series_id = series.id
    page = client.get(f"/dispatch/workshops/series/{series_id}")
    assert page.status_code == 200 and "Salle communautaire" in page.get_data(as_text=True)
    # The programme needs 2 laptops a session: publishing waits until they are free.
    assert client.post(f"/dispatch/workshops/series/{series_id}/publish").status_code == 303
    with app.app_context():
        assert db.session.get(WorkshopSeries, series_id).status is SeriesStatus.DRAFT
        for n in range(2):
            add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label=f"PC-0{n}")
        db.session.commit()
    assert client.post(f"/dispatch/workshops/series/{series_id}/publish").status_code == 303
    with app.app_context():
        assert db.session.get(WorkshopSeries, series_id).status is SeriesStatus.PUBLISHED
    enrolled = client.post(
        f"/dispatch/workshops/series/{series_id}/enrol",
        data={
            "first_name": "Lise",
            "phone": "819 555-0101",
            "referral": "school",
            "referrer_name": "École Jean-XXIII",
        },
    )
    assert enrolled.status_code == 303
    with app.app_context():
        enrolment = db.session.scalars(sa.select(Enrolment)).one()
        assert enrolment.referral is Referral.SCHOOL
        assert enrolment.referrer_name == "École Jean-XXIII"


def test_a_bad_enrolment_keeps_what_was_typed(app, client, auth, world):
    with app.app_context():
        series_id = make_series(db.session, world, first=soon()).id
    auth.login_as("dispatcher")
    response = client.post(
        f"/dispatch/workshops/series/{series_id}/enrol",
        data={"first_name": "Marguerite", "phone": "12", "referral": "nonsense"},
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'value="Marguerite"' in text


def test_a_first_name_too_long_is_said_too_long_not_missing(app, client, auth, world):
    """A first name over 80 characters was answered "Enter the person's first name.", as
    if nothing had been typed."""
    with app.app_context():
        series_id = make_series(db.session, world, first=soon()).id
    auth.login_as("dispatcher")
    response = client.post(
        f"/dispatch/workshops/series/{series_id}/enrol",
        data={"first_name": "M" * 81, "phone": "819 555-0111"},
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Écrivez au plus 80 caractères." in text
    assert "Entrez le prénom de la personne." not in text


def test_the_public_joins_from_the_fourth_choice_then_the_waiting_list(app, client, world):
    with app.app_context():
        series_id = make_series(db.session, world, capacity=1, first=soon()).id
    first = client.get("/")
    assert "/ask/workshop" in first.get_data(as_text=True)
    avenir = world.municipality_ids["L'Avenir"]
    near = client.get(f"/ask/workshop?municipality={avenir}")
    assert near.status_code == 200
    assert f"/ask/workshop/{series_id}" in near.get_data(as_text=True)
    assert client.get("/ask/workshop?municipality=abc").status_code == 400
    refused = client.post(f"/ask/workshop/{series_id}", data={"first_name": "Ana", "phone": ""})
    assert refused.status_code == 400
    assert 'value="Ana"' in refused.get_data(as_text=True)
    joined = client.post(
        f"/ask/workshop/{series_id}",
        data={"first_name": "Ana", "phone": "819 555-0111", "consent": "1"},
    )
    assert joined.status_code == 303
    link = joined.headers["Location"]
    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    ics = client.get(link + "/sessions.ics")
    assert ics.status_code == 200 and ics.data.count(b"BEGIN:VEVENT") == 4
    second = client.post(
        f"/ask/workshop/{series_id}",
        data={"first_name": "Bea", "phone": "819 555-0112", "consent": "1"},
    )
    waiting_link = second.headers["Location"]
    with app.app_context():
        statuses = [
            e.status for e in db.session.scalars(sa.select(Enrolment).order_by(Enrolment.id))
        ]
    assert statuses == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]
    # Ana gives her seat: Bea is offered it by a message with her link, and takes it.
    assert client.post(link + "/leave").status_code == 303
    with app.app_context():
        message = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.WORKSHOP_OFFER)
        ).one()
        token = waiting_link.rsplit("/", 1)[1]
        assert token in message.body
    assert client.post(waiting_link + "/take").status_code == 303
    with app.app_context():
        statuses = [
            e.status for e in db.session.scalars(sa.select(Enrolment).order_by(Enrolment.id))
        ]
    assert statuses == [EnrolmentStatus.WITHDRAWN, EnrolmentStatus.ENROLLED]
    assert client.get("/workshop/not-a-real-token-at-all").status_code == 404


def test_the_leader_takes_attendance_and_the_feed_shows_the_session(app, client, auth, world):
    with app.app_context():
        series = make_series(
            db.session,
            world,
            capacity=2,
            sessions=1,
            first=datetime.now(UTC) - timedelta(minutes=5),
        )
        session_id = series.sessions[0].id
        from scheduler.workshops.enrolment import Person
        from scheduler.workshops.enrolment import enrol

        from .builders import KEY

        enrolment, _ = enrol(
            db.session,
            series,
            Person("Ana", "+18195550001"),
            key=KEY,
            now=datetime.now(UTC) - timedelta(days=1),
            locale="fr_CA",
        )
        db.session.commit()
        enrolment_id = enrolment.id
    auth.login_as("volunteer")
    listing = client.get("/me/workshops")
    assert f"/me/workshops/sessions/{session_id}" in listing.get_data(as_text=True)
    bad = client.post(f"/me/workshops/sessions/{session_id}", data={"present": "x"})
    assert bad.status_code == 400
    saved = client.post(f"/me/workshops/sessions/{session_id}", data={"present": str(enrolment_id)})
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.get(Enrolment, enrolment_id).status is EnrolmentStatus.COMPLETED
    with app.app_context():
        from scheduler.calendars import render
        from scheduler.calendars.settings import FeedSettings
        from scheduler.models import Volunteer

        volunteer = db.session.get(Volunteer, world.volunteer_id)
        feed = render.volunteer_feed(
            db.session, volunteer, now=datetime.now(UTC), settings=FeedSettings()
        )
        assert "Escouade numérique (1/1)".encode() in feed.body.replace(b"\r\n ", b"")
        assert b"workshop-session-" in feed.body


def test_another_volunteer_cannot_open_the_attendance_page(app, client, auth, world):
    with app.app_context():
        session_id = make_series(db.session, world, first=soon()).sessions[0].id
    auth.login(world.other_volunteer_email)
    assert client.get(f"/me/workshops/sessions/{session_id}").status_code == 404


def test_a_partner_filling_the_public_form_is_recorded_as_the_referral(app, client, world):
    with app.app_context():
        series_id = make_series(db.session, world, first=soon()).id
    refused = client.post(
        f"/ask/workshop/{series_id}",
        data={"first_name": "Ana", "phone": "819 555-0111", "consent": "1", "referral": "x"},
    )
    assert refused.status_code == 400
    joined = client.post(
        f"/ask/workshop/{series_id}",
        data={
            "first_name": "Ana",
            "phone": "819 555-0111",
            "consent": "1",
            "referral": "housing",
            "referral_name": "Office municipal d'habitation",
        },
    )
    assert joined.status_code == 303
    with app.app_context():
        enrolment = db.session.scalars(sa.select(Enrolment)).one()
        assert enrolment.referral is Referral.HOUSING
        assert enrolment.referrer_name == "Office municipal d'habitation"


def _programme(app, world) -> int:
    from scheduler.models import Organisation
    from scheduler.workshops.programmes import create_programme

    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        programme = create_programme(
            db.session, org, title="Escouade numérique", sessions_count=3, capacity=4
        )
        db.session.commit()
        return programme.id


@pytest.mark.parametrize(
    ("first_day", "starts", "ends"),
    [
        ("9999-12-20", "13:30", "15:30"),  # the later sessions would fall past year 9999
        ("0001-01-01", "13:30", "15:30"),  # a series two thousand years ago
        ("2027-03-14", "02:30", "03:30"),  # 02:30 does not exist: clocks jump to 03:00
    ],
)
def test_a_series_on_an_absurd_day_or_hour_is_refused_in_words(
    app, client, auth, world, first_day, starts, ends
):
    programme_id = _programme(app, world)
    auth.login_as("dispatcher")
    page = client.post(
        "/dispatch/workshops/series/new",
        data=_series_form(
            programme_id, world, first_day=first_day, starts=starts, ends=ends, every_days="31"
        ),
    )
    assert page.status_code == 400
    assert "field__error" in page.get_data(as_text=True)
    assert first_day in page.get_data(as_text=True)  # what was typed is kept
    with app.app_context():
        assert db.session.scalars(sa.select(WorkshopSeries)).all() == []


def test_a_series_with_an_impossible_start_time_says_the_time_is_invalid(app, client, auth, world):
    programme_id = _programme(app, world)
    auth.login_as("dispatcher")
    page = client.post(
        "/dispatch/workshops/series/new",
        data=_series_form(programme_id, world, starts="25:99"),
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "Entrez une heure, par exemple 9 h 30." in text
    assert "Une séance doit finir après son début." not in text
    assert 'value="25:99"' in text  # what was typed is kept
