"""Likely duplicates, and merging two requests into one."""

from __future__ import annotations

import re
from datetime import date
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import RequestStatus
from scheduler.models import Series
from scheduler.models import utcnow
from scheduler.requests.duplicates import DuplicateSign
from scheduler.requests.duplicates import likely_duplicates
from scheduler.requests.duplicates import merge_requests
from scheduler.requests.triage import ActionRefused
from tests.requests.builders import add_other_organisation
from tests.requests.builders import add_request

NOW = utcnow()


def kept_by_default(page: str) -> int:
    return int(re.search(r'<input checked [^>]*name="keep"[^>]*value="(\d+)"', page)[1])


def test_same_phone_or_same_name_and_town_within_30_days_look_like_duplicates(session, org):
    wickham = next(m for m in org.municipalities if m.name == "Wickham")
    request = add_request(session, org, first_name="Hélène", phone="+18195550142", age_days=5)
    same_phone = add_request(session, org, first_name="Lena", phone="+18195550142", age_days=1)
    same_name = add_request(session, org, first_name="helene ", phone="+18195550999", age_days=30)
    both = add_request(session, org, first_name="HÉLÈNE", phone="+18195550142")
    too_old = add_request(session, org, first_name="Hélène", phone="+18195550777", age_days=40)
    other_town = add_request(
        session, org, first_name="Hélène", phone="+18195550888", municipality=wickham
    )
    closed = add_request(
        session, org, phone="+18195550142", status=RequestStatus.DONE, closed_at=NOW
    )
    other_org, town = add_other_organisation(session)
    foreign = add_request(session, other_org, phone="+18195550142", municipality=town)
    unrelated = add_request(session, org, first_name="Omar", phone="+18195550555")

    found = {d.request.id: d.signs for d in likely_duplicates(session, request)}
    assert found == {
        same_name.id: (DuplicateSign.SAME_NAME_AND_PLACE,),
        same_phone.id: (DuplicateSign.SAME_PHONE,),
        both.id: (DuplicateSign.SAME_PHONE, DuplicateSign.SAME_NAME_AND_PLACE),
    }
    for never in (too_old, other_town, closed, foreign, unrelated, request):
        assert never.id not in found
    assert likely_duplicates(session, closed) == []


def test_sessions_of_one_cycle_are_not_duplicates(session, org):
    series = Series(organisation=org, title="Un ordinateur pour la famille", sessions_total=8)
    person = Beneficiary(organisation=org, first_name="Grace", phone="+18195550177")
    first = add_request(session, org, beneficiary=person, series=series, session_number=1)
    second = add_request(session, org, beneficiary=person, series=series, session_number=2)
    assert likely_duplicates(session, first) == []
    with pytest.raises(ActionRefused) as refused:
        merge_requests(session, first, second, user=None, now=NOW)
    assert refused.value.code == "merge_series"


def test_merging_unions_onto_the_kept_request_and_cancels_the_duplicate(
    session, org, dispatcher_user
):
    keep = add_request(
        session,
        org,
        age_days=10,
        needs=["email"],
        languages=["fr"],
        availability=["tue-am", "thu-pm"],
        required_skills=["email"],
        need_details="Je ne reçois plus mes courriels.",
        internal_notes="Appeler le matin.",
        deadline=date(2026, 12, 20),
        priority=1,
    )
    duplicate = add_request(
        session,
        org,
        age_days=2,
        needs=["smartphone", "email"],
        languages=["es", "fr"],
        availability=["mon-am", "tue-am"],
        required_skills=["smartphone"],
        phone="+18195550199",
        need_details="Aussi mon cellulaire.",
        internal_notes="Parle surtout espagnol.",
        deadline=date(2026, 12, 10),
        priority=2,
    )
    duplicate.beneficiary.email = "maria@example.org"
    duplicate.beneficiary.accessibility_notes = "Sonner deux fois."
    merge_requests(session, keep, duplicate, user=dispatcher_user, now=NOW)
    session.expire_all()
    keep = session.get(HelpRequest, keep.id)
    duplicate = session.get(HelpRequest, duplicate.id)

    assert keep.status is RequestStatus.NEW
    assert keep.needs == ["email", "smartphone"]
    assert keep.languages == ["fr", "es"]
    assert keep.availability == ["mon-am", "tue-am", "thu-pm"]
    assert keep.required_skills == ["email", "smartphone"]
    assert keep.deadline == date(2026, 12, 10)
    assert keep.priority == 2
    assert keep.need_details == (
        f"Je ne reçois plus mes courriels.\n\n{duplicate.reference}: Aussi mon cellulaire."
    )
    assert keep.internal_notes == (
        f"Appeler le matin.\n\n{duplicate.reference}: Parle surtout espagnol.\n+18195550199"
    )

    assert keep.beneficiary.phone == "+18195550142"
    assert keep.beneficiary.email == "maria@example.org"
    assert keep.beneficiary.accessibility_notes == "Sonner deux fois."

    assert duplicate.status is RequestStatus.CANCELLED
    assert duplicate.merged_into_id == keep.id
    assert duplicate.cancel_reason == "duplicate"
    assert duplicate.closed_at == NOW

    kept_events = [(e.kind, e.detail, e.user_id) for e in keep.events]
    assert kept_events == [
        (
            "merged",
            {
                "from": duplicate.reference,
                "added": {
                    "needs": ["smartphone"],
                    "languages": ["es"],
                    "required_skills": ["smartphone"],
                    "availability": ["mon-am"],
                    "deadline": "2026-12-10",
                    "priority": 2,
                },
            },
            dispatcher_user.id,
        )
    ]
    duplicate_events = [(e.kind, e.detail) for e in duplicate.events]
    assert duplicate_events == [
        ("status", {"from": "new", "to": "cancelled", "reason": "duplicate"}),
        ("merged", {"into": keep.reference}),
    ]


def test_merging_refuses_itself_another_organisation_closed_requests_and_confirmed_ones(
    session, org, world
):
    request = add_request(session, org)
    other_org, town = add_other_organisation(session)
    foreign = add_request(session, other_org, municipality=town)
    closed = add_request(session, org, status=RequestStatus.DONE, closed_at=NOW)
    confirmed = add_request(session, org, status=RequestStatus.CONFIRMED)
    booked = add_request(session, org, status=RequestStatus.PLANNED)
    start = NOW + timedelta(days=3)
    session.add(
        Appointment(
            organisation=org,
            kind=Mode.HOME,
            request=booked,
            volunteer_id=world.volunteer_id,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=AppointmentStatus.CONFIRMED,
        )
    )
    session.flush()
    for keep, duplicate, code in [
        (request, request, "merge_same"),
        (request, foreign, "merge_other_organisation"),
        (request, closed, "merge_closed"),
        (closed, request, "merge_closed"),
        (request, confirmed, "merge_confirmed"),
        (request, booked, "merge_confirmed"),
    ]:
        with pytest.raises(ActionRefused) as refused:
            merge_requests(session, keep, duplicate, user=None, now=NOW)
        assert refused.value.code == code
    # Keeping the request with the appointment is fine.
    merge_requests(session, booked, request, user=None, now=NOW)
    assert request.merged_into_id == booked.id


def test_dispatcher_merges_from_the_request_page_keeping_the_older_by_default(
    app, dispatcher, in_app
):
    def build(session, org):
        older = add_request(session, org, first_name="Marcel", age_days=6, needs=["email"])
        newer = add_request(session, org, first_name="Marcel", age_days=1, needs=["smartphone"])
        return older.id, older.reference, newer.id, newer.reference

    older_id, older_ref, newer_id, newer_ref = in_app(build)
    page = dispatcher.get(f"/dispatch/requests/{newer_id}").get_data(as_text=True)
    assert "Doublons possibles" in page
    assert f"/dispatch/requests/{newer_id}/merge/{older_id}" in page
    assert "Même numéro de téléphone, Même prénom et même municipalité" in page

    page = dispatcher.get(f"/dispatch/requests/{newer_id}/merge/{older_id}").get_data(as_text=True)
    assert kept_by_default(page) == older_id
    assert "Fusionner deux demandes" in page

    response = dispatcher.post(
        f"/dispatch/requests/{newer_id}/merge/{older_id}", data={"keep": str(older_id)}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/dispatch/requests/{older_id}")
    page = dispatcher.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{newer_ref} a été fusionnée dans {older_ref}" in page
    with app.app_context():
        older = db.session.get(HelpRequest, older_id)
        newer = db.session.get(HelpRequest, newer_id)
        assert older.needs == ["email", "smartphone"]
        assert newer.merged_into_id == older_id
        assert newer.status is RequestStatus.CANCELLED


def test_the_merge_page_explains_a_refusal_and_offers_no_button(app, dispatcher, in_app):
    def build(session, org):
        one = add_request(session, org, status=RequestStatus.CONFIRMED)
        two = add_request(session, org, status=RequestStatus.CONFIRMED)
        return one.id, two.id

    one, two = in_app(build)
    for url in (f"/dispatch/requests/{one}/merge/{two}", f"/dispatch/requests/{one}/merge/{one}"):
        response = dispatcher.get(url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Ces demandes ne peuvent pas être fusionnées" in page
        assert ">Fusionner</button>" not in page
        assert dispatcher.post(url, data={"keep": str(one)}).status_code == 400
    with app.app_context():
        statuses = set(db.session.scalars(sa.select(HelpRequest.status)))
        assert statuses == {RequestStatus.CONFIRMED}


def test_keeping_the_wrong_one_of_a_pair_with_a_confirmed_appointment_is_refused(
    app, dispatcher, in_app
):
    def build(session, org):
        confirmed = add_request(session, org, status=RequestStatus.CONFIRMED, age_days=1)
        older = add_request(session, org, age_days=9)
        return confirmed.id, older.id

    confirmed, older = in_app(build)
    page = dispatcher.get(f"/dispatch/requests/{older}/merge/{confirmed}").get_data(as_text=True)
    assert kept_by_default(page) == confirmed  # the promise made is kept by default
    response = dispatcher.post(
        f"/dispatch/requests/{older}/merge/{confirmed}", data={"keep": str(older)}
    )
    assert response.status_code == 400
    assert "a un rendez-vous confirmé" in response.get_data(as_text=True)


def test_two_dispatchers_merging_a_pair_each_way_at_once_keep_one_request_open(app, in_app, world):
    """One merges A into B while another merges B into A: the second must find its
    request already merged, instead of both being cancelled, each « merged into » the other,
    and the person's request lost."""
    import threading

    from scheduler.models import Role
    from scheduler.models import User

    def build(session, org):
        one = add_request(session, org, first_name="Marcel", age_days=3)
        two = add_request(session, org, first_name="Marcel", age_days=1)
        return one.id, two.id

    one, two = in_app(build)
    both_read = threading.Barrier(2, timeout=10)
    refused: list[str] = []

    def merge(keep_id: int, duplicate_id: int) -> None:
        with app.app_context():
            keep = db.session.get(HelpRequest, keep_id)
            duplicate = db.session.get(HelpRequest, duplicate_id)
            user = db.session.scalars(
                sa.select(User).where(User.email == world.email_for(Role.DISPATCHER))
            ).one()
            assert keep.is_open and duplicate.is_open
            both_read.wait()
            try:
                merge_requests(db.session, keep, duplicate, user=user, now=utcnow())
            except ActionRefused as refusal:
                db.session.rollback()
                refused.append(refusal.code)

    dispatchers = [
        threading.Thread(target=merge, args=(one, two)),
        threading.Thread(target=merge, args=(two, one)),
    ]
    for each in dispatchers:
        each.start()
    for each in dispatchers:
        each.join(timeout=30)
    with app.app_context():
        pair = [db.session.get(HelpRequest, n) for n in (one, two)]
        assert sorted(r.is_open for r in pair) == [False, True]
    assert refused == ["merge_closed"]
