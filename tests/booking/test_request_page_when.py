"""Once a plan is published, the person's request page says when; a drop-in
confirmation says which day to come and where; the calendar file speaks their language."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import force_locale

from scheduler.core.extensions import db
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import RequestStatus

from .builders import add_appointment
from .builders import all_requests
from .builders import french_clock
from .builders import path_of
from .builders import plain
from .builders import private_link
from .builders import walk


def send(client, world, **changes) -> str:
    walk(client, world, "check", **changes)
    assert client.post("/ask/check").status_code == 303
    return path_of(private_link(client.get("/thanks").get_data(as_text=True)))


def publish(app, world, *, kind: Mode | None = None, **fields) -> tuple[str, str]:
    """Put the request in a published plan: planned, with a scheduled appointment."""
    [stored] = all_requests(app)
    with app.app_context():
        request = db.session.get(HelpRequest, stored.id)
        request.status = RequestStatus.PLANNED
        db.session.commit()
        appointment = add_appointment(
            db.session,
            request,
            volunteer_id=world.volunteer_id,
            status=AppointmentStatus.SCHEDULED,
            **fields,
        )
        local = appointment.starts_at.astimezone(ZoneInfo("America/Toronto"))
        return french_clock(local), local.strftime("%Y-%m-%d")


def test_after_publishing_a_phone_call_the_page_says_the_day_time_and_who(app, client, world):
    link = send(client, world, mode="phone", address="")
    page = plain(client.get(link).get_data(as_text=True))
    assert "Votre rendez-vous" not in page
    assert "Ajouter à mon calendrier" not in page
    time_words, _ = publish(app, world)
    response = client.get(link)
    page = plain(response.get_data(as_text=True))
    assert "Votre rendez-vous" in page
    assert time_words in page
    assert "Sylvie" in page  # the volunteer's first name
    assert "Au téléphone" in page
    assert "Le jour et l'heure sont plus bas" in page  # no more "we will call you"
    html = response.get_data(as_text=True)
    assert 'class="button button--large" href="/request/' in html  # add to my calendar
    assert "Ajouter à mon calendrier" in page and "Annuler ma demande" in page
    token = link.rsplit("/", 1)[1]
    ics = client.get(f"/request/{token}/appointment.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.data


def test_a_home_visit_is_announced_as_a_window_of_arrival(app, client, world):
    link = send(client, world)
    time_words, _ = publish(app, world)
    page = plain(client.get(link).get_data(as_text=True))
    clock = r"(\d+ h(?: \d\d)?)"
    arrives = rf"La personne bénévole arrive</dt>\s*<dd>entre {clock} et {clock}</dd>"
    window = re.search(arrives, page)
    assert window is not None
    assert time_words not in window.groups()  # a window, not a minute


def test_a_drop_in_confirmation_says_which_day_and_where(app, client, world):
    walk(client, world, "check", mode="dropin", site=str(world.site_id), availability=["tue-am"])
    client.post("/ask/check")
    page = plain(client.get("/thanks").get_data(as_text=True))
    assert "Quand et où venir" in page
    assert "Mardi" in page  # the site opens on Tuesdays, 9:00–10:00
    assert "9 h – 10 h" in page
    assert "Local Brock" in page and "255, rue Brock" in page
    assert "Venez ce jour-là" in page


def test_a_drop_in_outside_the_persons_times_says_so(app, client, world):
    walk(client, world, "check", mode="dropin", site=str(world.site_id), availability=["fri-pm"])
    client.post("/ask/check")
    page = plain(client.get("/thanks").get_data(as_text=True))
    assert "C'est la prochaine ouverture" in page


def test_the_calendar_file_of_a_request_made_in_arabic_is_in_arabic(app, client, world):
    client.get("/language/ar?next=/")
    link = send(client, world)
    publish(app, world)
    token = link.rsplit("/", 1)[1]
    ics = client.get(f"/request/{token}/appointment.ics")
    assert ics.status_code == 200
    text = ics.get_data(as_text=True)
    assert "سيأتي إلى بيتك" in text.replace("\r\n ", "")
    with app.app_context(), force_locale("ar"):
        assert db.session.scalar(sa.select(HelpRequest.locale)) == "ar"
