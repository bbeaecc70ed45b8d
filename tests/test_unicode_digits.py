"""A number typed with digits other than 0-9 ("²", "①", "٣") is refused in words or
ignored, like any other wrong value: ``str.isdigit`` says yes to them and ``int`` then
raised, a server error on the observatory's filters, the audit trail's pages, the phone
intake, the public workshop choice and the leader's attendance page."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.core.validation import plain_number
from scheduler.models import Role
from scheduler.workshops.enrolment import Person
from scheduler.workshops.enrolment import enrol
from tests.workshops.builders import KEY
from tests.workshops.builders import make_series


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        ("²", None),
        ("١٢", None),
        ("①", None),
        ("", None),
        ("-3", None),
        ("1.5", None),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),
    ],
)
def test_a_plain_number_is_written_in_ascii_digits_only(text, number):
    assert plain_number(text) == number


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (Role.DISPATCHER, "/observatory?site=²", 400),
        (Role.DISPATCHER, "/observatory?municipality=①", 400),
        # An export with a wrong filter comes back to the dashboard, which says why.
        (Role.DISPATCHER, "/observatory/export/requests.csv?site=²", 400),
        (Role.DISPATCHER, "/dispatch/intake?beneficiary=²", 200),
        (Role.ADMIN, "/admin/audit?page=²", 400),
        (None, "/ask/workshop?municipality=²", 400),
    ],
)
def test_a_number_in_other_digits_in_a_query_is_no_server_error(
    client, auth, world, role, url, status
):
    if role is not None:
        auth.login_as(role)
    response = client.get(url, follow_redirects=True)
    assert response.status_code == status, response.status_code
    if url.startswith("/observatory"):
        assert "Choisissez dans la liste." in response.get_data(as_text=True)


def test_the_phone_intake_ignores_a_known_caller_id_in_other_digits(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    response = client.post("/dispatch/intake", data={"beneficiary_id": "²", "mode": "home"})
    assert response.status_code == 400
    assert "error-summary" in response.get_data(as_text=True)


def test_attendance_ticked_with_other_digits_is_refused_in_words(app, client, auth, world):
    with app.app_context():
        series = make_series(
            db.session, world, sessions=1, first=datetime.now(UTC) - timedelta(minutes=5)
        )
        session_id = series.sessions[0].id
        enrolment, _ = enrol(
            db.session,
            series,
            Person("Ana", "+18195550001"),
            key=KEY,
            now=datetime.now(UTC) - timedelta(days=1),
            locale="fr_CA",
        )
        db.session.commit()
    auth.login_as(Role.VOLUNTEER)
    for typed in ("²", "٣"):
        response = client.post(f"/me/workshops/sessions/{session_id}", data={"present": typed})
        assert response.status_code == 400, (typed, response.status_code)
        assert "Ana" in response.get_data(as_text=True)
