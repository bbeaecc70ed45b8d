"""Erasing personal data after the retention period, by the job, the command or a button."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import RequestEvent
from scheduler.models import RequestStatus
from scheduler.models import utcnow
from scheduler.requests.retention import erase_expired
from scheduler.requests.retention import erase_request_now
from scheduler.requests.retention import scrub_detail
from scheduler.requests.triage import ActionRefused
from scheduler.requests.triage import record_event
from tests.requests.builders import add_other_organisation
from tests.requests.builders import add_request

NOW = utcnow()


def closed_request(session, org, days_ago, **fields):
    """A home-visit request done ``days_ago`` days ago, with everything personal filled in."""
    fields.setdefault("status", RequestStatus.DONE)
    request = add_request(
        session,
        org,
        closed_at=NOW - timedelta(days=days_ago),
        need_details="Mon fils m'a donné un ordinateur.",
        internal_notes="Chien dans la cour.",
        referrer_name="Mme Roy, CLSC",
        lat=45.88,
        lon=-72.48,
        location_approximate=False,
        any_time=True,
        **fields,
    )
    record_event(
        session,
        request,
        "corrected",
        {"changes": {"address": ["1, rue A", "12, rue Principale"], "priority": [1, 2]}},
        user=None,
        now=NOW,
    )
    record_event(
        session, request, "created", {"source": "phone", "caller": "Jeannine"}, user=None, now=NOW
    )
    session.flush()
    return request


def test_a_request_closed_beyond_the_period_loses_its_personal_data(session, org):
    org.retention_days = 365
    request = closed_request(session, org, days_ago=400, needs=["email"], languages=["fr", "ar"])
    beneficiary_id = request.beneficiary_id
    old_token_hash = request.access_token_hash

    assert erase_expired(session, NOW) == 1
    session.commit()
    session.expire_all()
    request = session.get(HelpRequest, request.id)

    assert session.get(Beneficiary, beneficiary_id) is None
    assert request.beneficiary_id is None
    assert request.address is None
    assert (request.lat, request.lon) == (None, None)
    assert request.need_details is None
    assert request.internal_notes is None
    assert request.referrer_name is None
    assert request.availability == []
    assert request.access_token_hash != old_token_hash
    # What statistics need stays.
    assert request.mode is Mode.HOME
    assert request.needs == ["email"]
    assert request.languages == ["fr", "ar"]
    assert request.municipality.name == "Drummondville"
    assert request.status is RequestStatus.DONE
    assert request.created_at is not None and request.closed_at is not None
    details = {e.kind: e.detail for e in request.events}
    assert details["corrected"] == {"changes": {"address": [None, None], "priority": [1, 2]}}
    assert details["created"] == {"source": "phone"}
    assert details["erased"] == {"reason": "retention"}


def test_requests_inside_the_period_or_still_open_are_untouched(session, org):
    org.retention_days = 30
    recent = closed_request(session, org, days_ago=29)
    open_old = add_request(session, org, age_days=500, internal_notes="Toujours en cours.")
    expired = closed_request(session, org, days_ago=31, status=RequestStatus.CANCELLED)

    assert erase_expired(session, NOW) == 1
    session.commit()
    session.expire_all()
    assert session.get(HelpRequest, expired.id).beneficiary_id is None
    recent = session.get(HelpRequest, recent.id)
    assert recent.beneficiary is not None
    assert recent.address == "12, rue Principale"
    assert recent.internal_notes == "Chien dans la cour."
    open_old = session.get(HelpRequest, open_old.id)
    assert open_old.beneficiary is not None
    assert open_old.internal_notes == "Toujours en cours."


def test_each_organisation_keeps_data_for_its_own_period(session, org):
    org.retention_days = 365
    ours = closed_request(session, org, days_ago=100)
    other, town = add_other_organisation(session)
    other.retention_days = 90
    theirs = closed_request(session, other, days_ago=100, municipality=town)
    assert erase_expired(session, NOW) == 1
    assert ours.beneficiary is not None
    assert theirs.beneficiary is None


def test_a_beneficiary_still_needed_by_another_request_is_kept(session, org):
    org.retention_days = 30
    person = Beneficiary(organisation=org, first_name="Grace", phone="+18195550177")
    old = closed_request(session, org, days_ago=60, beneficiary=person)
    still_open = add_request(session, org, beneficiary=person)
    erase_expired(session, NOW)
    session.commit()
    assert old.beneficiary_id is None
    assert still_open.beneficiary_id == person.id
    assert session.get(Beneficiary, person.id) is not None


def test_running_twice_erases_nothing_more(session, org):
    org.retention_days = 30
    closed_request(session, org, days_ago=60)
    assert erase_expired(session, NOW) == 1
    session.commit()
    assert erase_expired(session, NOW) == 0
    erased_events = session.scalars(
        sa.select(RequestEvent).where(RequestEvent.kind == "erased")
    ).all()
    assert len(erased_events) == 1


def test_unknown_event_details_are_dropped_and_safe_ones_kept():
    assert scrub_detail(
        {
            "from": "new",
            "to": "cancelled",
            "reason": "unreachable",
            "phone": "+18195550142",
            "changes": {"internal_notes": [None, None], "address": ["a", "b"], "priority": [1, 3]},
            "added": {"needs": ["email"], "availability": ["mon-am"]},
        }
    ) == {
        "from": "new",
        "to": "cancelled",
        "reason": "unreachable",
        "changes": {"internal_notes": [None, None], "address": [None, None], "priority": [1, 3]},
        "added": {"needs": ["email"]},
    }


def test_erase_now_works_only_on_closed_requests(session, org, dispatcher_user):
    open_request = add_request(session, org)
    with pytest.raises(ActionRefused) as refused:
        erase_request_now(session, open_request, user=dispatcher_user, now=NOW)
    assert refused.value.code == "erase_open"
    assert open_request.beneficiary is not None

    closed = closed_request(session, org, days_ago=1)
    erase_request_now(session, closed, user=dispatcher_user, now=NOW)
    assert closed.beneficiary_id is None
    assert closed.events[-1].kind == "erased"
    assert closed.events[-1].user_id == dispatcher_user.id
    with pytest.raises(ActionRefused) as refused:
        erase_request_now(session, closed, user=dispatcher_user, now=NOW)
    assert refused.value.code == "erase_done"


def test_the_erase_button_asks_for_confirmation_then_erases(app, dispatcher, in_app):
    rid, bid = in_app(
        lambda session, org: (lambda r: (r.id, r.beneficiary_id))(
            closed_request(session, org, days_ago=2)
        )
    )
    page = dispatcher.get(f"/dispatch/requests/{rid}").get_data(as_text=True)
    assert f'href="/dispatch/requests/{rid}/erase' in page
    page = dispatcher.get(f"/dispatch/requests/{rid}/erase").get_data(as_text=True)
    assert "C'est définitif" in page
    with app.app_context():
        assert db.session.get(Beneficiary, bid) is not None  # nothing happens on the way

    response = dispatcher.post(f"/dispatch/requests/{rid}/erase")
    assert response.status_code == 302
    page = dispatcher.get(response.headers["Location"]).get_data(as_text=True)
    assert "sont effacés" in page
    assert "ont été effacés" in page
    assert "Jeannine" not in page
    assert "Effacer les renseignements personnels maintenant" not in page
    with app.app_context():
        assert db.session.get(Beneficiary, bid) is None


def test_the_erase_button_refuses_an_open_request(app, dispatcher, in_app):
    rid = in_app(lambda session, org: add_request(session, org).id)
    page = dispatcher.get(f"/dispatch/requests/{rid}").get_data(as_text=True)
    assert f"/dispatch/requests/{rid}/erase" not in page
    response = dispatcher.get(f"/dispatch/requests/{rid}/erase")
    assert "Seule une demande fermée peut être effacée" in response.get_data(as_text=True)
    assert "<button" not in response.get_data(as_text=True).split("<main")[1]
    response = dispatcher.post(f"/dispatch/requests/{rid}/erase")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(HelpRequest, rid).beneficiary is not None


def test_the_words_a_person_typed_when_cancelling_are_erased_and_the_codes_kept(session, org):
    """The private page lets the person say why they cancel, in their own words
    ("I am in hospital"): personal data, unlike the dispatchers' reason codes."""
    org.retention_days = 30
    typed = closed_request(
        session,
        org,
        days_ago=40,
        status=RequestStatus.CANCELLED,
        cancel_reason="Je suis à l'hôpital Sainte-Croix jusqu'en mars",
    )
    coded = closed_request(
        session, org, days_ago=40, status=RequestStatus.CANCELLED, cancel_reason="unreachable"
    )

    assert erase_expired(session, NOW) == 2
    session.commit()
    session.expire_all()

    assert session.get(HelpRequest, typed.id).cancel_reason is None
    assert session.get(HelpRequest, coded.id).cancel_reason == "unreachable"
