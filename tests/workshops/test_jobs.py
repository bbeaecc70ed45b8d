"""The timed jobs of workshops: expired offers move on by themselves, and participants'
personal data goes after the retention period."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.jobs import JOBS
from scheduler.models import Beneficiary
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import OutboxMessage
from scheduler.runtime import settings_of
from scheduler.workshops.enrolment import Person
from scheduler.workshops.enrolment import enrol
from scheduler.workshops.enrolment import find_by_token
from scheduler.workshops.enrolment import withdraw
from tests.builders import make_request

from .builders import NOW
from .builders import make_series


def job(name):
    return next(spec for spec in JOBS if spec.id == name).func


def test_an_expired_offer_is_passed_on_by_the_timed_job_with_a_link_that_opens(app, world):
    key = b"workshops:" + settings_of(app).secret_key.encode()
    with app.app_context():
        series = make_series(db.session, world, capacity=1)
        made = [
            enrol(
                db.session, series, Person(n, f"+1819555010{i}"), key=key, now=NOW, locale="fr_CA"
            )[0]
            for i, n in enumerate(("Ana", "Bea", "Cleo"))
        ]
        withdraw(db.session, made[0], now=NOW, key=key)
        db.session.commit()
        assert job("workshop_offers")(db.session, NOW + timedelta(hours=1), settings_of(app)) == 0
        later = NOW + timedelta(days=3)
        assert job("workshop_offers")(db.session, later, settings_of(app)) == 1
        assert made[1].status is EnrolmentStatus.WITHDRAWN
        assert made[2].status is EnrolmentStatus.OFFERED
        message = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.recipient_name == "Cleo")
        ).one()
        token = message.body.split("/workshop/")[1].split()[0]
        assert find_by_token(db.session, token).id == made[2].id


def test_participants_are_forgotten_after_retention_and_counts_stay(app, world):
    with app.app_context():
        series = make_series(db.session, world, capacity=2, sessions=2)
        enrolment, _ = enrol(
            db.session, series, Person("Ana", "+18195550101"), key=b"k", now=NOW, locale="fr_CA"
        )
        db.session.commit()
        end = series.sessions[-1].ends_at
        retention = series.organisation.retention_days
        erase = job("erase_workshop_participants")
        assert erase(db.session, end + timedelta(days=retention - 1), settings_of(app)) == 0
        assert erase(db.session, end + timedelta(days=retention + 1), settings_of(app)) == 1
        db.session.commit()
        kept = db.session.get(Enrolment, enrolment.id)
        assert kept.beneficiary_id is None and kept.status is EnrolmentStatus.ENROLLED
        assert db.session.scalars(sa.select(Beneficiary)).all() == []


def test_erasing_a_request_keeps_a_person_still_enrolled(app, world):
    from scheduler.models import Organisation
    from scheduler.requests.retention import _delete_unused

    with app.app_context():
        series = make_series(db.session, world)
        enrolment, _ = enrol(
            db.session, series, Person("Ana", "+18195550101"), key=b"k", now=NOW, locale="fr_CA"
        )
        org = db.session.get(Organisation, world.org_id)
        make_request(db.session, org)
        _delete_unused(db.session, {enrolment.beneficiary_id})
        db.session.flush()
        assert db.session.get(Beneficiary, enrolment.beneficiary_id) is not None
