"""Lists on the public pages (a site's opening hours, the needs and free times of a request)
use the language's own comma: "، " (U+060C) in Arabic, ", " in French and the others;
Babel's list patterns say which (:func:`scheduler.core.i18n.list_separator`)."""

from __future__ import annotations

import re
from datetime import time

import pytest
from babel.dates import get_day_names

from scheduler.core.i18n import clock_text
from scheduler.core.i18n import list_separator

from .builders import path_of
from .builders import plain
from .builders import private_link
from .builders import walk

ARABIC_COMMA = "\u060c"


def tuesday_at_nine(language: str) -> str:
    """The first opening of the test site as the page's language writes its start."""
    day = get_day_names("wide", locale=language)[1]
    nine = plain(clock_text(time(9), language))
    return f"{day[:1].upper()}{day[1:]}{list_separator(language)}{nine}"


@pytest.mark.parametrize(("locale", "separator"), [("ar", "، "), ("ar_MA", "، "), ("fr_CA", ", ")])
def test_the_list_separator_is_the_languages_own(locale, separator):
    assert list_separator(locale) == separator


@pytest.mark.parametrize("language", ["ar", "fr", "pt"])
def test_drop_in_hours_put_the_languages_comma_between_day_and_hours(app, client, world, language):
    client.get(f"/language/{language}?next=/")
    page = plain(walk(client, world, "where", mode="dropin"))
    assert tuesday_at_nine(language) in page
    if language == "ar":
        assert (
            "," not in re.sub(r"<[^>]*>", "", page.split('class="option__hint site-hours"')[1])[:80]
        )


def test_an_arabic_request_page_lists_needs_and_free_times_with_the_arabic_comma(
    app, client, world
):
    client.get("/language/ar?next=/")
    walk(client, world, "check")
    client.post("/ask/check")
    page = plain(
        client.get(path_of(private_link(client.get("/thanks").get_data(as_text=True)))).get_data(
            as_text=True
        )
    )
    answers = re.findall(r"<dd>([^<]*)", page)
    lists = [a for a in answers if ARABIC_COMMA in a]
    assert len(lists) >= 2, answers  # the needs and the free times
    assert not any(", " in a for a in lists)
