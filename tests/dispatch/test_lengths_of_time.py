"""Lengths of time on plan pages and route sheets read as lengths in each language."""

from __future__ import annotations

import pytest

from routes.dispatch.display import minutes_text


def length(app, minutes, language):
    with app.test_request_context(headers={"Accept-Language": language}):
        return minutes_text(minutes)


@pytest.mark.parametrize(
    ("minutes", "english", "french"),
    [
        (25, "25 min", "25\u00a0min"),
        (120, "2 h", "2\u00a0h"),
        (65, "1 h 05 min", "1\u00a0h\u00a005"),
    ],
)
def test_a_length_of_time_reads_as_one_in_english_and_in_french(app, minutes, english, french):
    """English route sheets read "2 h 00 of help", the shape of a French clock time; in
    French a length never breaks across lines."""
    assert length(app, minutes, "en") == english
    assert length(app, minutes, "fr") == french


def test_the_availability_page_gives_its_example_hours_in_the_page_language(client, auth):
    auth.login_as("volunteer")
    client.get("/language/en?next=/me/availability")
    page = client.get("/me/availability").get_data(as_text=True)
    assert "9 a.m. to noon and 1 p.m. to 4 p.m." in page
    assert "9 h to 12 h" not in page
    client.get("/language/fr?next=/me/availability")
    page = client.get("/me/availability").get_data(as_text=True)
    assert "de 9 h à 12 h et de 13" in page
