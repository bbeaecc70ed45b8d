"""The private link: see where a request stands, its appointment, and cancel it."""

from __future__ import annotations

import html
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import RequestStatus
from scheduler.models import Site

from ..builders import make_request
from .builders import add_appointment
from .builders import all_requests
from .builders import answers
from .builders import french_clock
from .builders import path_of
from .builders import plain
from .builders import private_link


def book(client, world, **changes) -> str:
    """Send the form and return the private link's path."""
    assert client.post("/", data=answers(world, **changes)).status_code == 303
    return path_of(private_link(client.get("/thanks").get_data(as_text=True)))


@pytest.mark.parametrize(
    "path",
    [
        "/request/AAAAAAAAAAAAAAAAAAAAAAAA",
        "/request/short",
        "/request/" + "x" * 80,
        "/request/AAAAAAAAAAAAAAAAAAAAAAAA/cancel",
    ],
)
def test_unknown_link_is_a_plain_404(client, world, path):
    book(client, world)
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page introuvable" in page
    assert "ESC-" not in page and "Jeannine" not in page


def test_cancel_needs_a_confirmation_then_closes_everything(app, client, world):
    link = book(client, world)
    [stored] = all_requests(app)
    with app.app_context():
        appointment_id = add_appointment(
            db.session, stored, volunteer_id=world.volunteer_id, status=AppointmentStatus.SCHEDULED
        ).id

    confirm = client.get(link + "/cancel")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Annuler votre demande?" in page
    assert "Oui, annuler ma demande" in page
    assert all_requests(app)[0].status is RequestStatus.NEW  # nothing happens on GET

    response = client.post(link + "/cancel", data={"reason": "Mon fils m'a aidé."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(link)
    [cancelled] = all_requests(app)
    assert cancelled.status is RequestStatus.CANCELLED
    assert cancelled.closed_at is not None
    assert cancelled.cancel_reason == "Mon fils m'a aidé."
    assert [e.kind for e in cancelled.events] == ["created", "cancelled"]
    assert cancelled.events[1].detail["appointments_cancelled"] == 1
    with app.app_context():
        appointment = db.session.get(Appointment, appointment_id)
        assert appointment.status is AppointmentStatus.CANCELLED
        assert appointment.cancelled_at is not None
        assert appointment.sequence == 1

    page = client.get(link).get_data(as_text=True)
    assert "Votre demande est annulée." in page
    assert "Cette demande est annulée" in page
    assert "Annuler ma demande" not in page


def test_cancelling_twice_changes_nothing(app, client, world):
    link = book(client, world)
    client.post(link + "/cancel", data={})
    closed_at = all_requests(app)[0].closed_at
    response = client.post(link + "/cancel", data={"reason": "encore"})
    assert response.status_code == 303
    [stored] = all_requests(app)
    assert stored.closed_at == closed_at
    assert stored.cancel_reason is None
    assert [e.kind for e in stored.events] == ["created", "cancelled"]


def test_cancelling_from_two_tabs_at_once_cancels_once(
    app, client, world, live_server, monkeypatch
):
    """The private link open twice (or a double tap): both posts find the request open in
    the same instant; only one cancels it and tells the team, the other changes nothing."""
    import threading
    import urllib.parse
    import urllib.request

    from scheduler.requests import private_link as links

    link = book(client, world)
    both_read = threading.Barrier(2, timeout=10)
    original = links.find_by_token

    def read_together(session, token):
        found = original(session, token)
        if threading.current_thread().name.startswith("tab-"):
            both_read.wait()
        return found

    monkeypatch.setattr(links, "find_by_token", read_together)
    statuses: list[int] = []

    def cancel(reason: str) -> None:
        body = urllib.parse.urlencode({"reason": reason}).encode()
        with urllib.request.urlopen(f"{live_server}{link}/cancel", body, timeout=20) as answer:
            statuses.append(answer.status)

    tabs = [
        threading.Thread(target=cancel, args=(f"onglet {n}",), name=f"tab-{n}") for n in range(2)
    ]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=30)
    assert statuses == [200, 200]
    [stored] = all_requests(app)
    assert stored.status is RequestStatus.CANCELLED
    assert [e.kind for e in stored.events] == ["created", "cancelled"]


def test_cancel_reason_is_limited(app, client, world):
    link = book(client, world)
    response = client.post(link + "/cancel", data={"reason": "x" * 500})
    assert response.status_code == 400
    assert "200 caractères ou moins" in response.get_data(as_text=True)
    assert all_requests(app)[0].status is RequestStatus.NEW


def test_confirmed_appointment_shows_when_where_and_who_in_local_time(app, client, world):
    link = book(client, world)
    [stored] = all_requests(app)
    with app.app_context():
        request = db.session.get(HelpRequest, stored.id)
        request.status = RequestStatus.CONFIRMED
        appointment = add_appointment(db.session, request, volunteer_id=world.volunteer_id)
        local = appointment.starts_at.astimezone(ZoneInfo("America/Toronto"))
    response = client.get(link)
    page = plain(response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "no-store"
    assert "Votre rendez-vous est confirmé" in page
    assert "Sylvie" in page and "Tremblay" not in page  # the first name only
    # A home visit is announced as a window of arrival around the planned start.
    first, last = local - timedelta(minutes=15), local + timedelta(minutes=15)
    assert "La personne bénévole arrive" in page
    assert f"entre {french_clock(first)} et {french_clock(last)}" in page
    # The address keeps its own direction (bdi) inside a right-to-left page.
    assert "Chez vous : <bdi>12, rue Principale, Wickham</bdi>" in page
    token = link.rsplit("/", 1)[1]
    assert f'href="/request/{token}/appointment.ics"' in response.get_data(as_text=True)


def test_no_calendar_link_before_an_appointment(client, world):
    link = book(client, world)
    assert "appointment.ics" not in client.get(link).get_data(as_text=True)


def test_past_or_unconfirmed_appointments_are_not_promised(app, client, world):
    link = book(client, world)
    [stored] = all_requests(app)
    with app.app_context():
        add_appointment(db.session, stored, volunteer_id=world.volunteer_id, days_ahead=-2)
        add_appointment(
            db.session,
            stored,
            volunteer_id=world.volunteer_id,
            days_ahead=4,
            status=AppointmentStatus.SCHEDULED,
        )
    page = client.get(link).get_data(as_text=True)
    assert "Votre rendez-vous" not in page


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (RequestStatus.TRIAGED, "Nous cherchons une personne bénévole"),
        (RequestStatus.PLANNED, "Nous avons trouvé quelqu'un pour vous aider"),
        (RequestStatus.DONE, "L'aide a été donnée"),
        (RequestStatus.NO_SHOW, "Le rendez-vous n'a pas eu lieu"),
    ],
)
def test_status_is_told_in_plain_words(app, client, world, status, words):
    link = book(client, world)
    with app.app_context():
        db.session.execute(sa.update(HelpRequest).values(status=status))
        db.session.commit()
    page = html.unescape(client.get(link).get_data(as_text=True))
    assert words in page


def test_drop_in_request_page_shows_the_site_and_its_hours(app, client, world):
    link = book(client, world, mode="dropin", site=str(world.site_id))
    page = plain(client.get(link).get_data(as_text=True))
    assert "Local Brock, 255, rue Brock, Drummondville" in page
    assert "Mardi, 9 h – 10 h" in page
    assert "Mardi matin, Jeudi après-midi" in page  # when the person is free


def test_a_link_made_by_someone_else_in_the_database_still_works(app, client, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        made = make_request(db.session, org, site=db.session.get(Site, world.site_id))
        db.session.commit()
        token = made.token
    assert client.get(f"/request/{token}").status_code == 200


def test_privacy_notice_tells_what_why_who_how_long_and_whom_to_write(app, client, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        org.retention_days = 180
        db.session.commit()
    page = html.unescape(client.get("/privacy").get_data(as_text=True))
    assert "Avis de confidentialité" in page
    assert "Ce que nous recueillons" in page
    assert "180 jours" in page
    assert "vieprivee@escouade.example" in page
    assert "Loi 25" in page
    assert "RGPD" not in page


def test_privacy_notice_in_france_follows_the_gdpr(app, client, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        org.locale, org.country, org.timezone = "fr_FR", "FR", "Europe/Paris"
        db.session.commit()
    page = html.unescape(client.get("/privacy").get_data(as_text=True))
    assert "Politique de confidentialité" in page
    assert "RGPD" in page and "CNIL" in page
    assert "Loi 25" not in page


def test_footer_links_to_the_privacy_notice(client, world):
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)


def test_the_persons_own_words_keep_their_direction_on_an_arabic_page(client, world):
    """A Latin first name or note inside a right-to-left page is isolated, so that
    "Fatima <b>" does not come out as "> Fatima <b" at the line's other end."""
    link = book(client, world, first_name="Fatima <b>", need_details="Mon courriel (Gmail)")
    client.get("/language/ar")
    thanks = client.get("/thanks").get_data(as_text=True)
    assert "<bdi>Fatima &lt;b&gt;</bdi>" in thanks
    page = client.get(link).get_data(as_text=True)
    assert "<dd><bdi>Fatima &lt;b&gt;</bdi></dd>" in page
    assert '<span class="summary-text" dir="auto">Mon courriel (Gmail)</span>' in page
