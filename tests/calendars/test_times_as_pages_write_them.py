"""A time is written the same way on the pages and in the calendars: a volunteer reads
"8 h 53" on their week page and in the alarm, not "08 h 53" in one of them."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale

from routes.weekly import clock
from scheduler.calendars.texts import local_time

MONTREAL = ZoneInfo("America/Montreal")


@pytest.mark.parametrize("locale", ["fr_CA", "fr_FR", "en_CA", "es", "ar"])
@pytest.mark.parametrize("hour_minute", [(8, 53), (9, 0), (13, 5), (0, 30)])
def test_the_calendar_writes_the_time_as_the_pages_do(app, locale, hour_minute):
    wall = time(*hour_minute)
    moment = datetime(2026, 12, 8, *hour_minute, tzinfo=MONTREAL).astimezone(UTC)
    with app.test_request_context(), force_locale(locale):
        on_the_page = clock(wall)
    assert local_time(moment, MONTREAL, locale) == on_the_page


def test_french_times_have_no_leading_zero_and_do_not_break():
    moment = datetime(2026, 12, 8, 8, 53, tzinfo=MONTREAL)
    assert local_time(moment, MONTREAL, "fr_CA") == "8\u00a0h\u00a053"
    assert local_time(moment.replace(minute=0), MONTREAL, "fr_CA") == "8\u00a0h"
