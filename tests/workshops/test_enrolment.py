"""Seats, the waiting list in order, and a freed seat offered to the next person in turn."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.core.tokens import hash_token
from scheduler.models import EnrolmentStatus
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage
from scheduler.models import Referral
from scheduler.models import Source
from scheduler.workshops.enrolment import Person
from scheduler.workshops.enrolment import accept_offer
from scheduler.workshops.enrolment import enrol
from scheduler.workshops.enrolment import find_by_token
from scheduler.workshops.enrolment import sweep_offers
from scheduler.workshops.enrolment import waiting_list
from scheduler.workshops.enrolment import withdraw
from scheduler.workshops.errors import WorkshopError
from scheduler.workshops.offers import queue_offer
from scheduler.workshops.programmes import seats_left

from .builders import KEY
from .builders import NOW
from .builders import make_series


def person(n: int) -> Person:
    return Person(first_name=f"Person{n}", phone=f"+1819555{n:04d}")


def enrol_n(series, count: int, start: int = 1):
    return [
        enrol(db.session, series, person(n), key=KEY, now=NOW, locale="fr_CA")
        for n in range(start, start + count)
    ]


def test_a_full_series_puts_people_on_the_waiting_list_in_order(app, world):
    with app.app_context():
        series = make_series(db.session, world, capacity=2)
        made = enrol_n(series, 4)
        statuses = [e.status for e, _ in made]
        assert statuses == [
            EnrolmentStatus.ENROLLED,
            EnrolmentStatus.ENROLLED,
            EnrolmentStatus.WAITING,
            EnrolmentStatus.WAITING,
        ]
        assert [e.waiting_position for e, _ in made] == [None, None, 1, 2]
        assert seats_left(db.session, series) == 0
        assert [e.id for e in waiting_list(db.session, series)] == [made[2][0].id, made[3][0].id]


def test_the_same_person_cannot_enrol_twice(app, world):
    with app.app_context():
        series = make_series(db.session, world)
        enrol(db.session, series, person(1), key=KEY, now=NOW, locale="fr_CA")
        with pytest.raises(WorkshopError) as refused:
            enrol(db.session, series, person(1), key=KEY, now=NOW, locale="fr_CA")
        assert refused.value.code == "already_enrolled"


def test_a_withdrawal_offers_the_seat_to_the_next_person_by_a_message(app, world):
    with app.app_context():
        series = make_series(db.session, world, capacity=1)
        (first, _), (second, _), (third, _) = enrol_n(series, 3)
        offers = withdraw(db.session, first, now=NOW, key=KEY, offer_for=timedelta(hours=48))
        assert [e.id for e, _ in offers] == [second.id]
        assert second.status is EnrolmentStatus.OFFERED
        assert second.offer_expires_at == NOW + timedelta(hours=48)
        # The third moves up to first place on the list.
        assert third.waiting_position == 1
        enrolment, token = offers[0]
        message = queue_offer(db.session, enrolment, link=f"https://x/w/{token}", now=NOW, sms=True)
        db.session.commit()
        assert message is not None
        sent = db.session.scalars(sa.select(OutboxMessage)).all()
        assert [m.kind for m in sent] == [MessageKind.WORKSHOP_OFFER]
        assert token in sent[0].body and "Person2" in sent[0].body
        # The link in the message opens the enrolment, and the seat can be taken.
        assert find_by_token(db.session, token).id == second.id
        accept_offer(db.session, second, now=NOW + timedelta(hours=1))
        assert second.status is EnrolmentStatus.ENROLLED


def test_an_expired_offer_goes_to_the_next_person(app, world):
    with app.app_context():
        series = make_series(db.session, world, capacity=1)
        (first, _), (second, _), (third, _) = enrol_n(series, 3)
        withdraw(db.session, first, now=NOW, key=KEY, offer_for=timedelta(hours=48))
        # Not yet expired: nothing moves.
        assert sweep_offers(db.session, series, now=NOW + timedelta(hours=47), key=KEY) == []
        later = NOW + timedelta(hours=49)
        offers = sweep_offers(db.session, series, now=later, key=KEY)
        assert second.status is EnrolmentStatus.WITHDRAWN
        assert [e.id for e, _ in offers] == [third.id]
        assert third.status is EnrolmentStatus.OFFERED
        with pytest.raises(WorkshopError) as refused:
            accept_offer(db.session, second, now=later)
        assert refused.value.code == "no_offer"


def test_an_offer_cannot_be_taken_after_it_expires(app, world):
    with app.app_context():
        series = make_series(db.session, world, capacity=1)
        (first, _), (second, _) = enrol_n(series, 2)
        withdraw(db.session, first, now=NOW, key=KEY, offer_for=timedelta(hours=2))
        with pytest.raises(WorkshopError) as refused:
            accept_offer(db.session, second, now=NOW + timedelta(hours=3))
        assert refused.value.code == "offer_expired"


def test_the_referral_is_recorded_as_given_and_the_token_only_as_a_hash(app, world):
    with app.app_context():
        series = make_series(db.session, world)
        enrolment, token = enrol(
            db.session,
            series,
            person(7),
            key=KEY,
            now=NOW,
            locale="fr_FR",
            source=Source.PARTNER,
            referral=Referral.SOCIAL_WORKER,
            referrer_name="CCAS de Roubaix",
        )
        db.session.commit()
        assert enrolment.referral is Referral.SOCIAL_WORKER
        assert enrolment.referrer_name == "CCAS de Roubaix"
        assert enrolment.access_token_hash == hash_token(token)
        assert token not in enrolment.access_token_hash
        assert find_by_token(db.session, "not-a-token-at-all-xxxx") is None


def test_no_enrolment_in_a_series_that_is_not_published(app, world):
    with app.app_context():
        series = make_series(db.session, world)
        series.status = series.status.__class__("draft")
        with pytest.raises(WorkshopError) as refused:
            enrol(db.session, series, person(1), key=KEY, now=NOW, locale="fr_CA")
        assert refused.value.code == "not_open"


def test_two_people_taking_the_last_seat_at_once_get_one_seat_and_one_waiting_place(
    app, world, monkeypatch
):
    """Two enrolments in the same instant (two desks, or the public form and the desk) both
    see one seat left: only one may take it, also on SQLite where FOR UPDATE does nothing.
    Both people are known already, so nothing is written before the seats are counted."""
    import threading

    from scheduler.models import Beneficiary
    from scheduler.models import WorkshopSeries
    from scheduler.models import utcnow
    from scheduler.workshops import enrolment as enrolments

    with app.app_context():
        series_id = make_series(db.session, world, capacity=1, first=utcnow() + timedelta(7)).id
        for n in (1, 2):
            known = person(n)
            db.session.add(
                Beneficiary(
                    organisation_id=world.org_id, first_name=known.first_name, phone=known.phone
                )
            )
        db.session.commit()
    both_counted = threading.Barrier(2)
    counted = enrolments.seats_left

    def count_together(session, series):
        left = counted(session, series)
        try:
            # Without a lock both count the same seat; with one, the second waits for the
            # first to finish, and this wait gives up first.
            both_counted.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return left

    monkeypatch.setattr(enrolments, "seats_left", count_together)
    outcomes: list[EnrolmentStatus] = []

    def take_the_seat(n: int) -> None:
        with app.app_context():
            series = db.session.get(WorkshopSeries, series_id)
            made, _ = enrol(db.session, series, person(n), key=KEY, now=utcnow(), locale="fr_CA")
            db.session.commit()
            outcomes.append(made.status)

    people = [threading.Thread(target=take_the_seat, args=(n,)) for n in (1, 2)]
    for one in people:
        one.start()
    for one in people:
        one.join(timeout=30)
    assert sorted(outcomes) == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]
