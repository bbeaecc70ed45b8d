"""A beneficiary's confirmed appointment as a one-event file to keep."""

from __future__ import annotations

from datetime import timedelta

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import RequestStatus

from ..builders import make_request
from .builders import Loaded
from .builders import local
from .builders import local_today
from .builders import make_appointment
from .parsers import read_both


def path(scenario) -> str:
    return f"/request/{scenario.visit_request_token}/appointment.ics"


def test_endpoint_has_the_name_other_pages_link_to(app, scenario):
    from flask import url_for

    with app.test_request_context():
        assert (
            url_for("feeds.request_ics", token="x" * 24) == f"/request/{'x' * 24}/appointment.ics"
        )


def test_confirmed_visit_is_a_one_event_file_to_download(app, client, scenario):
    response = client.get(path(scenario))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.ics"')
    calendar = read_both(response.get_data())
    assert "X-WR-CALNAME" not in calendar["properties"]  # imported once, not a new calendar
    (event,) = calendar["events"]
    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        assert event["uid"] == visit.uid
        reference = visit.request.reference
    assert event["summary"] == "Aide numérique à domicile : Aide numérique Test"
    assert event["location"] == "12, rue Principale, Drummondville"
    assert "Sylvie, bénévole, viendra chez vous." in event["description"]
    assert f"Votre référence : {reference}" in event["description"]
    assert "Tremblay" not in response.get_data(as_text=True)
    assert sorted(a["trigger"] for a in event["alarms"]) == [-86400, -3600]


def test_no_file_before_confirmation_or_after_cancellation(app, client, world, scenario):
    with app.app_context():
        rows = Loaded.of(db.session, world)
        pending = make_request(db.session, rows.org)
        db.session.commit()
        token = pending.token
    assert client.get(f"/request/{token}/appointment.ics").status_code == 404
    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        visit.status = AppointmentStatus.SCHEDULED
        visit.request.status = RequestStatus.TRIAGED  # a draft plan: nothing is promised yet
        db.session.commit()
    assert client.get(path(scenario)).status_code == 404
    with app.app_context():
        # Published: the request is planned, and its scheduled appointment can be kept.
        db.session.get(Appointment, scenario.visit_id).request.status = RequestStatus.PLANNED
        db.session.commit()
    assert client.get(path(scenario)).status_code == 200
    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        visit.status = AppointmentStatus.CONFIRMED
        visit.cancel(visit.starts_at - timedelta(days=1))
        db.session.commit()
    assert client.get(path(scenario)).status_code == 404
    assert client.get("/request/AAAAAAAAAAAAAAAAAAAAAAAA/appointment.ics").status_code == 404


def test_file_is_in_the_language_the_person_booked_in(app, client, world):
    with app.app_context():
        rows = Loaded.of(db.session, world)
        org = db.session.get(Organisation, world.org_id)
        org.contact_phone = "+18195550100"
        request = make_request(db.session, rows.org, mode=Mode.PHONE, address=None, locale="en_CA")
        make_appointment(
            db.session,
            rows.org,
            starts_at=local(local_today() + timedelta(days=1), 14),
            minutes=30,
            request=request,
            volunteer=rows.other,
        )
        db.session.commit()
        token = request.token
    (event,) = read_both(client.get(f"/request/{token}/appointment.ics").get_data())["events"]
    assert event["summary"] == "Phone call from Aide numérique Test"
    assert "Omar, a volunteer, will call you at (819) 555-0142." in event["description"]
    assert "To change or cancel, contact us: (819) 555-0100" in event["description"]
    assert event["location"] is None
