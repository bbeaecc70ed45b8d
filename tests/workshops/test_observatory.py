"""The observatory counts workshop presences against seats, and completed cycles."""

from __future__ import annotations

from datetime import date

from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import User
from scheduler.observatory.scope import Scope
from scheduler.observatory.workshops import workshop_rows
from scheduler.workshops.attendance import record_attendance
from scheduler.workshops.enrolment import Person
from scheduler.workshops.enrolment import enrol

from .builders import KEY
from .builders import NOW
from .builders import make_series


def test_presences_seats_and_completions_of_the_period(app, world, client, auth):
    with app.app_context():
        series = make_series(db.session, world, capacity=3, sessions=4, share=0.5)
        ana, _ = enrol(
            db.session, series, Person("Ana", "+18195550001"), key=KEY, now=NOW, locale="fr_CA"
        )
        enrol(db.session, series, Person("Bea", "+18195550002"), key=KEY, now=NOW, locale="fr_CA")
        leader = db.session.query(User).filter_by(email=world.users["volunteer"]).one()
        for wsession in series.sessions[:2]:
            record_attendance(db.session, wsession, {ana.id}, by=leader, now=wsession.starts_at)
        db.session.commit()
        org = db.session.get(Organisation, world.org_id)
        october = Scope(date(2026, 10, 1), date(2026, 10, 31))
        (row,) = workshop_rows(db.session, org, october)
        # Sessions on Oct 12, 19, 26 fall in October; Nov 2 does not.
        assert (row.sessions, row.seats, row.present, row.completed) == (3, 9, 2, 1)
        assert workshop_rows(db.session, org, Scope(date(2026, 9, 1), date(2026, 9, 30))) == []
        other = Scope(
            date(2026, 10, 1),
            date(2026, 10, 31),
            municipality_id=world.municipality_ids["L'Avenir"],
        )
        assert workshop_rows(db.session, org, other) == []
    auth.login_as("dispatcher")
    page = client.get("/observatory?period=month&value=2026-10")
    assert page.status_code == 200
    assert "table-workshops" in page.get_data(as_text=True)
    assert "Escouade numérique" in page.get_data(as_text=True)
