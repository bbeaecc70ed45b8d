"""The booking pages write times as every other page, message and calendar does
(:func:`scheduler.core.i18n.clock_text`): "9 h", "9 h 45" in French, in Québec as in
France, never "09 h 00" or "09:00"; the same helper in each public language."""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from flask_babel import gettext

from scheduler.core.extensions import db
from scheduler.core.i18n import clock_text
from scheduler.core.i18n import locale_for
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import RequestStatus

from ..workshops.builders import make_series
from .builders import add_appointment
from .builders import all_requests
from .builders import path_of
from .builders import plain
from .builders import private_link
from .builders import walk


def written(page: str, locale: str, first: time, last: time) -> bool:
    """Whether the page holds the hours as the shared clock writes them, not as the tail
    of a longer number ("9 h 45" inside "09 h 45" does not count)."""
    hours = plain(f"{clock_text(first, locale)} – {clock_text(last, locale)}")
    return re.search(r"(?<!\d)" + re.escape(hours), page) is not None


@pytest.mark.parametrize("language", ["fr", "en", "ar", "es", "pt"])
def test_drop_in_hours_on_the_form_use_the_shared_clock(app, client, world, language):
    client.get(f"/language/{language}?next=/")
    page = plain(walk(client, world, "where", mode="dropin"))
    locale = locale_for(language, "fr_CA", "CA")
    assert written(page, locale, time(9), time(10))  # the site opens on Tuesdays, 9:00–10:00
    assert "09 h 00" not in page


@pytest.mark.parametrize(
    ("country", "locale", "zone"),
    [("CA", "fr_CA", "America/Toronto"), ("FR", "fr_FR", "Europe/Paris")],
)
def test_french_pages_say_9_h_in_quebec_and_in_france(app, client, world, country, locale, zone):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        org.country, org.locale, org.timezone = country, locale, zone
        db.session.commit()
    page = plain(walk(client, world, "where", mode="dropin"))
    assert "Mardi, 9 h – 10 h" in page
    assert "09:00" not in page and "09 h 00" not in page


@pytest.mark.parametrize("language", ["fr", "en", "ar", "es", "pt"])
def test_the_arrival_window_on_the_request_page_uses_the_shared_clock(app, client, world, language):
    client.get(f"/language/{language}?next=/")
    walk(client, world, "check")
    client.post("/ask/check")
    link = path_of(private_link(client.get("/thanks").get_data(as_text=True)))
    [stored] = all_requests(app)
    with app.app_context():
        request = db.session.get(HelpRequest, stored.id)
        request.status = RequestStatus.CONFIRMED
        appointment = add_appointment(db.session, request, volunteer_id=world.volunteer_id)
        start = appointment.starts_at.astimezone(ZoneInfo("America/Toronto"))
    page = plain(client.get(link).get_data(as_text=True))
    first, last = start - timedelta(minutes=15), start + timedelta(minutes=15)
    locale = locale_for(language, "fr_CA", "CA")
    with app.test_request_context("/"), force_locale(locale):
        window = plain(
            gettext(
                "between %(start)s and %(end)s",
                start=clock_text(first.time(), locale),
                end=clock_text(last.time(), locale),
            )
        )
    assert re.search(r"<dd>" + re.escape(window) + r"</dd>", page)
    if language == "fr":
        assert re.search(rf"<dd>entre {first.hour} h 45 et {last.hour} h 15</dd>", page)
    if language == "en":
        assert "<dd>between " in page
    else:  # the sentence is the language's own, not the English one left untranslated
        assert "between" not in page and " – " not in window


@pytest.mark.parametrize("language", ["fr", "en", "ar", "es", "pt"])
def test_workshop_sessions_on_the_public_list_use_the_shared_clock(app, client, world, language):
    zone = ZoneInfo("America/Toronto")
    first = datetime.combine(date.today() + timedelta(days=10), time(9, 0), tzinfo=zone)
    with app.app_context():
        make_series(db.session, world, first=first)
    client.get(f"/language/{language}?next=/")
    page = plain(client.get("/workshops").get_data(as_text=True))
    locale = locale_for(language, "fr_CA", "CA")
    assert re.search(r"(?<!\d)" + re.escape(plain(clock_text(time(9), locale))), page)
    if language == "fr":
        assert re.search(r", 9 h(?! \d)", page) and "09 h 00" not in page


@pytest.mark.parametrize("locale", ["pt", "pt_BR", "pt_PT"])
def test_portuguese_times_read_9h_and_9h45_in_brazil_as_in_portugal(locale):
    assert clock_text(time(9), locale) == "9h"
    assert clock_text(time(9, 45), locale) == "9h45"
    assert clock_text(time(13, 5), locale) == "13h05"


def test_portuguese_pages_say_9h_not_09_00(app, client, world):
    client.get("/language/pt?next=/")
    page = plain(walk(client, world, "where", mode="dropin"))
    assert "9h – 10h" in page
    assert "09:00" not in page
