"""The dispatcher asks where and when a programme's next series should be held, reviews who
is reached and why others are not, and publishes: the leaders get the session's laptops
on loan, and publishing is refused while a session day lacks free laptops."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.devices import lend
from scheduler.models import Beneficiary
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import DeviceLoan
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import SeriesStatus
from scheduler.models import WorkshopSeries
from scheduler.models import utcnow
from scheduler.workshops.programmes import create_programme
from tests.builders import org_today

from ..people.factories import text_of


def _setup(app, world, *, people: int = 4, laptops: int = 2) -> int:
    with app.app_context():
        session = db.session
        org = session.get(Organisation, world.org_id)
        programme = create_programme(
            session,
            org,
            title="Escouade numérique",
            sessions_count=2,
            capacity=3,
            laptops_per_session=2,
        )
        for n in range(people):
            person = Beneficiary(
                organisation_id=org.id, first_name=f"Person{n}", phone=f"+1819555010{n}"
            )
            session.add(person)
            session.flush()
            session.add(
                Enrolment(
                    organisation_id=org.id,
                    programme_id=programme.id,
                    beneficiary_id=person.id,
                    municipality_id=world.municipality_ids["Wickham"],
                    availability=["tue-am"],
                    status=EnrolmentStatus.WAITING,
                    waiting_position=n + 1,
                    access_token_hash=f"{n:064d}",
                )
            )
        for n in range(laptops):
            add_device(session, org.id, kind=DeviceKind.LAPTOP, label=f"PC-0{n + 1}")
        session.commit()
        return programme.id


def _monday_in_two_weeks() -> date:
    today = date.today()
    return today + timedelta(days=14 - today.weekday())


def test_a_proposal_reaches_the_people_waiting_and_explains_who_is_left_out(
    app, client, auth, world
):
    programme_id = _setup(app, world)
    auth.login_as(Role.DISPATCHER)
    page = client.post(
        f"/dispatch/workshops/programmes/{programme_id}/proposal",
        data={"first_week": _monday_in_two_weeks().isoformat()},
        follow_redirects=True,
    )
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert "3 des 4 personnes en attente ont une place." in text
    assert "Person3" in text and "est complète." in text
    with app.app_context():
        (series,) = db.session.scalars(sa.select(WorkshopSeries)).all()
        assert series.status is SeriesStatus.PROPOSED
        assert [s.starts_at.weekday() for s in series.sessions] == [1, 1]
        assert all(s.laptops_needed == 2 for s in series.sessions)


def test_publishing_lends_the_laptops_to_the_leader_and_seats_the_people(app, client, auth, world):
    programme_id = _setup(app, world)
    auth.login_as(Role.DISPATCHER)
    client.post(
        f"/dispatch/workshops/programmes/{programme_id}/proposal",
        data={"first_week": _monday_in_two_weeks().isoformat()},
    )
    page = client.post(
        f"/dispatch/workshops/programmes/{programme_id}/proposal/publish", follow_redirects=True
    )
    assert "1 série(s) publiée(s)" in text_of(page.get_data(as_text=True))
    with app.app_context():
        series = db.session.scalars(sa.select(WorkshopSeries)).one()
        assert series.status is SeriesStatus.PUBLISHED
        loans = db.session.scalars(sa.select(DeviceLoan)).all()
        assert len(loans) == 4  # two laptops for each of two sessions
        leaders = {v.id for s in series.sessions for v in s.leaders}
        assert {loan.volunteer_id for loan in loans} == leaders
        assert {loan.session_id for loan in loans} == {s.id for s in series.sessions}
        seated = db.session.scalars(
            sa.select(Enrolment).where(Enrolment.series_id == series.id)
        ).all()
        assert len(seated) == 3 and all(e.status is EnrolmentStatus.ENROLLED for e in seated)


def test_publishing_is_refused_when_a_session_day_lacks_free_laptops(app, client, auth, world):
    programme_id = _setup(app, world)
    auth.login_as(Role.DISPATCHER)
    monday = _monday_in_two_weeks()
    client.post(
        f"/dispatch/workshops/programmes/{programme_id}/proposal",
        data={"first_week": monday.isoformat()},
    )
    # After the proposal, one laptop goes to a family over the second session's day.
    with app.app_context():
        pc = db.session.scalars(sa.select(Device).where(Device.label == "PC-01")).one()
        second = monday + timedelta(days=8)
        lend(
            db.session,
            pc,
            starts_on=second,
            due_on=second + timedelta(days=3),
            today=org_today(app, world.org_id),
            actor=None,
            now=utcnow(),
            holder_name="Famille Roy",
        )
        db.session.commit()
    page = client.post(
        f"/dispatch/workshops/programmes/{programme_id}/proposal/publish", follow_redirects=True
    )
    text = text_of(page.get_data(as_text=True))
    assert (
        "Non publié :" in text and "2 portables sont nécessaires et seulement 1 sont libres" in text
    )
    with app.app_context():
        series = db.session.scalars(sa.select(WorkshopSeries)).one()
        assert series.status is SeriesStatus.PROPOSED
        assert db.session.scalar(sa.select(sa.func.count(DeviceLoan.id))) == 1


def test_a_week_already_started_is_refused_and_nothing_is_proposed(app, client, auth, world):
    programme_id = _setup(app, world)
    auth.login_as(Role.DISPATCHER)
    page = client.post(
        f"/dispatch/workshops/programmes/{programme_id}/proposal",
        data={"first_week": "2020-01-06"},
    )
    assert page.status_code == 400
    assert "Choisissez une semaine qui n’a pas encore commencé." in text_of(
        page.get_data(as_text=True)
    )
    bad = client.post(
        f"/dispatch/workshops/programmes/{programme_id}/proposal", data={"first_week": "soon"}
    )
    assert bad.status_code == 400


def test_another_organisations_programme_is_not_found(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    assert client.get("/dispatch/workshops/programmes/999/proposal").status_code == 404


def test_a_series_drafted_by_hand_is_published_only_with_its_laptops_free(app, client, auth, world):
    from scheduler.workshops.programmes import SessionPlan
    from scheduler.workshops.programmes import create_series

    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        programme = create_programme(
            db.session,
            org,
            title="Escouade numérique",
            sessions_count=1,
            capacity=4,
            laptops_per_session=3,
        )
        start = utcnow() + timedelta(days=10)
        series = create_series(
            db.session,
            programme,
            sessions=[SessionPlan(start, start + timedelta(hours=2), [world.volunteer_id])],
            created_by=None,
            now=utcnow(),
            municipality=db.session.get(Municipality, world.municipality_ids["Wickham"]),
        )
        for n in range(2):
            add_device(db.session, org.id, kind=DeviceKind.LAPTOP, label=f"PC-0{n}")
        db.session.commit()
        series_id = series.id
    auth.login_as(Role.DISPATCHER)
    page = client.post(f"/dispatch/workshops/series/{series_id}/publish", follow_redirects=True)
    assert "3 portables sont nécessaires et seulement 2 sont libres" in text_of(
        page.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.get(WorkshopSeries, series_id).status is SeriesStatus.DRAFT
        add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label="PC-09")
        db.session.commit()
    client.post(f"/dispatch/workshops/series/{series_id}/publish")
    with app.app_context():
        assert db.session.get(WorkshopSeries, series_id).status is SeriesStatus.PUBLISHED
        loans = db.session.scalars(sa.select(DeviceLoan)).all()
        assert len(loans) == 3 and {loan.volunteer_id for loan in loans} == {world.volunteer_id}


def _hand_drafted(app, world, *, starts: list, laptops: int, per_session: int) -> int:
    from scheduler.workshops.programmes import SessionPlan
    from scheduler.workshops.programmes import create_series

    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        programme = create_programme(
            db.session,
            org,
            title="Escouade numérique",
            sessions_count=len(starts),
            capacity=4,
            laptops_per_session=per_session,
        )
        series = create_series(
            db.session,
            programme,
            sessions=[
                SessionPlan(start, start + timedelta(hours=2), [world.volunteer_id])
                for start in starts
            ],
            created_by=None,
            now=utcnow(),
            municipality=db.session.get(Municipality, world.municipality_ids["Wickham"]),
        )
        for n in range(laptops):
            add_device(db.session, org.id, kind=DeviceKind.LAPTOP, label=f"PC-0{n}")
        db.session.commit()
        return series.id


def test_a_laptop_out_today_is_not_promised_to_a_later_session(app, client, auth, world):
    """The first session is today: its laptop leaves now and is back only once returned, so
    a series that needs it again next week is refused in words, not with an error page."""
    now = utcnow()
    series_id = _hand_drafted(
        app,
        world,
        starts=[now + timedelta(minutes=5), now + timedelta(days=7)],
        laptops=1,
        per_session=1,
    )
    auth.login_as(Role.DISPATCHER)
    page = client.post(f"/dispatch/workshops/series/{series_id}/publish", follow_redirects=True)
    assert page.status_code == 200
    assert "1 portables sont nécessaires et seulement 0 sont libres" in text_of(
        page.get_data(as_text=True)
    ), text_of(page.get_data(as_text=True))[:2000]
    with app.app_context():
        assert db.session.get(WorkshopSeries, series_id).status is SeriesStatus.DRAFT
        assert db.session.scalars(sa.select(DeviceLoan)).all() == []


def test_a_proposal_for_year_9999_is_refused_in_words(app, client, auth, world):
    """The run would fail in the background past the calendar's end: refused on the form."""
    programme_id = _setup(app, world)
    auth.login_as(Role.DISPATCHER)
    page = client.post(
        f"/dispatch/workshops/programmes/{programme_id}/proposal",
        data={"first_week": "9999-12-27"},
    )
    assert page.status_code == 400
    assert "Choisissez un jour entre le" in text_of(page.get_data(as_text=True))
