"""A volunteer without a login gets their calendar link and route sheet from the dispatcher."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pypdf
import pytest

from scheduler.core.extensions import db
from scheduler.core.logs import redact
from scheduler.models import Appointment
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.models import utcnow
from tests.builders import make_request


def visit_tomorrow(app, world) -> str:
    """A home visit for the volunteer without a login; returns the request's reference."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(
            db.session, org, address="12, rang 10", need_details="Mon courriel ne marche plus."
        )
        starts = utcnow().replace(microsecond=0) + timedelta(days=1)
        db.session.add(
            Appointment(
                organisation_id=org.id,
                kind=Mode.HOME,
                request_id=request.id,
                volunteer_id=world.other_volunteer_id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                travel_min_before=20,
                travel_km_before=14.5,
            )
        )
        volunteer = db.session.get(Volunteer, world.other_volunteer_id)
        volunteer.user_id = None  # no login
        db.session.commit()
        return request.reference


def test_dispatcher_makes_the_link_and_the_volunteer_opens_their_sheet(app, client, auth, world):
    reference = visit_tomorrow(app, world)
    auth.login_as(Role.DISPATCHER)
    page = client.get(f"/dispatch/volunteers/{world.other_volunteer_id}/calendar")
    assert "Créer le lien du calendrier" in page.get_data(as_text=True)
    made = client.post(f"/dispatch/volunteers/{world.other_volunteer_id}/calendar/create")
    assert made.status_code == 302
    html = client.get(f"/dispatch/volunteers/{world.other_volunteer_id}/calendar").get_data(
        as_text=True
    )
    feed = re.search(r"http://[^\"]+/feeds/volunteer/([A-Za-z0-9_\-]+)\.ics", html)
    sheet = re.search(r"http://[^\"]+(/feeds/sheet/[A-Za-z0-9_\-]+)\"", html)
    assert feed and sheet
    # Access logs never keep the secret of the sheet's link.
    assert feed.group(1) not in redact(f"GET {sheet.group(1)}/pdf HTTP/1.1")
    # Shown again on the next visit: the dispatcher can read it out a second time.
    again = client.get(f"/dispatch/volunteers/{world.other_volunteer_id}/calendar")
    assert feed.group(1) in again.get_data(as_text=True)
    auth.logout()

    own = client.get(sheet.group(1))
    assert own.status_code == 200
    text = own.get_data(as_text=True)
    assert reference in text and "12, rang 10" in text and "Mon courriel ne marche plus." in text
    assert own.headers["X-Robots-Tag"] == "noindex, nofollow"
    pdf = client.get(sheet.group(1) + "/pdf")
    assert pdf.mimetype == "application/pdf"
    assert reference in pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()

    # Stopping the link closes the sheet too.
    auth.login_as(Role.DISPATCHER)
    client.post(f"/dispatch/volunteers/{world.other_volunteer_id}/calendar/revoke")
    auth.logout()
    assert client.get(sheet.group(1)).status_code == 404


def test_the_sheet_link_is_rate_limited_and_unknown_secrets_are_404(make_app):
    app = make_app(RATELIMIT_ENABLED=True, FEEDS={"rate_limit": "3 per hour"})
    client = app.test_client()
    secret = "A" * 24
    answers = [client.get(f"/feeds/sheet/{secret}").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]


def test_volunteers_cannot_make_links_for_others(client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    answer = client.post(f"/dispatch/volunteers/{world.other_volunteer_id}/calendar/create")
    assert answer.status_code == 403


def test_a_volunteer_with_a_login_keeps_their_link_to_themselves(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    answer = client.post(f"/dispatch/volunteers/{world.volunteer_id}/calendar/create")
    assert answer.status_code == 302
    page = client.get(f"/dispatch/volunteers/{world.volunteer_id}/calendar")
    html = page.get_data(as_text=True)
    assert "/feeds/volunteer/" not in html and "/feeds/sheet/" not in html
    assert "Mon calendrier" in html
    assert f"/dispatch/volunteers/{world.volunteer_id}/sheet.pdf" in html


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "demandez-nous-en un nouveau"), ("en", "ask us for a new one")],
)
@pytest.mark.parametrize("suffix", ["", "/pdf"])
def test_an_old_sheet_link_opens_the_not_found_page_in_the_persons_language(
    client, world, language, words, suffix
):
    """A volunteer opening a stopped sheet link on their phone got a bare English "Not
    found": the sheet is a page for people, not a calendar app."""
    client.get(f"/language/{language}?next=/")
    answer = client.get(f"/feeds/sheet/{'A' * 24}{suffix}")
    assert answer.status_code == 404
    assert answer.mimetype == "text/html"
    assert words in answer.get_data(as_text=True)
    assert "no-store" in answer.headers["Cache-Control"]
