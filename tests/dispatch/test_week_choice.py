"""The week chosen on the plan page: one spelling, the ISO ``2026-W49`` the page's links
and its ``<input type="week">`` use; anything absurd is a sentence in the dispatcher's
language on the page, never an error page."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from scheduler.dispatch import week_code
from scheduler.models import Role
from scheduler.models import utcnow


def next_week_code() -> str:
    today = utcnow().date()
    return week_code(today - timedelta(days=today.weekday()) + timedelta(days=7))


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


@pytest.mark.parametrize("spelling", ["{year}W{week}", "{year}-w{week}", " {year}-W{week} "])
def test_another_spelling_of_a_week_is_sent_to_the_iso_address(client, auth, world, spelling):
    auth.login_as(Role.DISPATCHER)
    code = next_week_code()
    year, week = code.split("-W")
    response = client.get(
        "/dispatch/plans", query_string={"week": spelling.format(year=year, week=week)}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/dispatch/plans?week={code}")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert f'value="{code}"' in page.get_data(as_text=True)  # the week input can show it


def test_the_iso_week_is_shown_at_once(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    code = next_week_code()
    response = client.get("/dispatch/plans", query_string={"week": code})
    assert response.status_code == 200
    assert f'value="{code}"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "week", "sentence"),
    [
        ("fr", "", "Indiquez une semaine comme 2026-W49."),
        ("fr", "   ", "Indiquez une semaine comme 2026-W49."),
        ("fr", "2026-W54", "Indiquez une semaine comme 2026-W49."),
        ("fr", "9999-W01", "Choisissez une semaine entre"),
        ("fr", "9999-W54", "Indiquez une semaine comme 2026-W49."),
        ("fr", "0000-W01", "Indiquez une semaine comme 2026-W49."),
        ("en", "", "Enter a week such as 2026-W49."),
        ("en", "2026-W54", "Enter a week such as 2026-W49."),
        ("en", "9999-W52", "Choose a week between"),
    ],
)
def test_an_absurd_or_empty_week_is_a_sentence_in_the_dispatchers_language(
    client, auth, world, language, week, sentence
):
    auth.login_as(Role.DISPATCHER)
    client.get(f"/language/{language}?next=/dispatch/plans")
    shown = client.get("/dispatch/plans", query_string={"week": week})
    assert shown.status_code == 400
    assert sentence in text(shown)
    planned = client.post("/dispatch/plans/solve", data={"week": week})
    assert planned.status_code == 400
    assert sentence in text(planned)


def test_the_page_without_a_chosen_week_shows_the_coming_one(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    response = client.get("/dispatch/plans")
    assert response.status_code == 200
    assert "Indiquez une semaine" not in text(response)
