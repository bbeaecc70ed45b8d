"""A message never ends a line on a link it does not have ("Your calendar: " and nothing)."""

from __future__ import annotations

from scheduler.messages.texts import text_for
from scheduler.models import MessageKind

DAY = {
    "first_name": "Marc",
    "day": "mardi 8 décembre",
    "change": "",
    "visits": "- 10 h : visite, 1859, rue de l'Église, Saint-Eugène",
}


def test_a_volunteer_day_without_a_calendar_link_has_no_calendar_line():
    body = text_for(MessageKind.VOLUNTEER_DAY, "fr", {**DAY, "calendar_link": ""}).body
    assert "agenda" not in body
    assert body.endswith("Saint-Eugène")


def test_a_volunteer_day_with_a_calendar_link_still_gives_it():
    link = "https://escouade.example/me/calendar"
    body = text_for(MessageKind.VOLUNTEER_DAY, "en", {**DAY, "calendar_link": link}).body
    assert body.endswith(f"Your calendar: {link}")


def test_a_referral_status_without_an_address_leaves_the_referrals_line_out():
    values = {
        "partner": "CLSC Drummond",
        "reference": "ESC-DZTX",
        "status": "un rendez-vous est prévu le mardi 8 décembre, 10 h.",
        "link": "",
        "organisation": "Aide numérique Drummond",
    }
    body = text_for(MessageKind.REFERRAL_STATUS, "fr", values).body
    assert "orientations" not in body
    assert body.endswith("Aide numérique Drummond")


def test_an_organisations_own_text_loses_only_the_empty_link_line():
    own = {"fr": {"body": "Salut {first_name}.\n{visits}\nLien : {calendar_link}\nMerci!"}}
    body = text_for(MessageKind.VOLUNTEER_DAY, "fr", {**DAY, "calendar_link": ""}, own).body
    assert body == f"Salut Marc.\n{DAY['visits']}\nMerci!"


def test_a_one_line_message_is_never_emptied_by_a_missing_link():
    values = {
        "first_name": "Rosa",
        "reference": "ESC-YGCX",
        "link": "",
        "organisation": "Aide numérique Drummond",
        "contact": "(819) 555-0100",
    }
    body = text_for(MessageKind.BOOKING, "fr", values).body
    assert "ESC-YGCX" in body
