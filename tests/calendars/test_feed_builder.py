"""The pure builder: events in, RFC 5545 bytes out."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.calendars.feed import EventStatus
from scheduler.calendars.feed import FeedCalendar
from scheduler.calendars.feed import FeedEvent
from scheduler.calendars.feed import Reminder
from scheduler.calendars.feed import build_feed
from scheduler.calendars.feed import clean_text

from .parsers import read_both

TORONTO = ZoneInfo("America/Toronto")
STAMP = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
CALENDAR = FeedCalendar(
    timezone="America/Toronto", name="Aide numérique – Sylvie", refresh=timedelta(hours=1)
)


def event(uid: str = "a@escouade", hour: int = 10, **fields: object) -> FeedEvent:
    start = datetime(2026, 10, 20, hour, 0, tzinfo=TORONTO)
    fields.setdefault("summary", "Home visit: Jeannine (Wickham)")
    return FeedEvent(
        uid=uid,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        last_modified=STAMP,
        **fields,  # type: ignore[arg-type]
    )


def lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def test_calendar_has_the_headers_subscribers_need():
    body = build_feed([event()], CALENDAR)
    text = body.decode()
    for line in (
        "BEGIN:VCALENDAR",
        "PRODID:-//Escouade//Escouade calendar feeds//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Aide numérique – Sylvie",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "TZID:America/Toronto",
        "DTSTART;TZID=America/Toronto:20261020T100000",
        "DTEND;TZID=America/Toronto:20261020T113000",
        "DTSTAMP:20261001T120000Z",
        "LAST-MODIFIED:20261001T120000Z",
        "UID:a@escouade",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
    ):
        assert line + "\r\n" in text, line
    assert text.count("BEGIN:VTIMEZONE") == 1


def test_same_events_in_any_order_give_the_same_bytes():
    first, second = event("a@escouade", 10), event("b@escouade", 14)
    assert build_feed([first, second], CALENDAR) == build_feed([second, first], CALENDAR)


def test_lines_are_crlf_and_folded_at_75_octets_without_splitting_characters():
    long_text = "Ma demande d'assurance-emploi 😀 مرحبا بكم " * 20
    body = build_feed([event(description=long_text, location=long_text)], CALENDAR)
    for line in lines(body):
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line is valid UTF-8 on its own
    assert read_both(body)["events"][0]["description"] == long_text.strip()


def test_empty_feed_still_describes_its_time_zone():
    calendar = FeedCalendar(timezone="Europe/Paris", covers=(date(2026, 1, 1), date(2026, 12, 31)))
    parsed = read_both(build_feed([], calendar))
    assert parsed["timezones"] == ["Europe/Paris"]
    assert parsed["events"] == []


def test_cancelled_event_keeps_its_uid_and_loses_its_reminder():
    body = build_feed(
        [event(status=EventStatus.CANCELLED, sequence=2, reminders=(Reminder(30, "Go"),))],
        CALENDAR,
    )
    (parsed,) = read_both(body)["events"]
    assert parsed["uid"] == "a@escouade"
    assert parsed["status"] == "CANCELLED"
    assert parsed["sequence"] == 2
    assert parsed["alarms"] == []


def test_reminder_is_a_display_alarm_before_the_start():
    body = build_feed([event(reminders=(Reminder(48, "Leave at 9:42"),))], CALENDAR)
    (parsed,) = read_both(body)["events"]
    assert parsed["alarms"] == [
        {
            "properties": ["ACTION", "DESCRIPTION", "TRIGGER"],
            "trigger": -48 * 60,
            "description": "Leave at 9:42",
        }
    ]


def test_free_event_is_transparent_and_busy_event_opaque():
    body = build_feed([event("a@x", free=True), event("b@x", hour=14)], CALENDAR)
    transp = {e["uid"]: e["transp"] for e in read_both(body)["events"]}
    assert transp == {"a@x": "TRANSPARENT", "b@x": "OPAQUE"}


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "https://example.org/a b", "data:text/html,x", "https://x\r\nX-A:b"],
)
def test_links_that_are_not_plain_web_phone_or_map_uris_are_left_out(url):
    (parsed,) = read_both(build_feed([event(url=url)], CALENDAR))["events"]
    assert parsed["url"] is None


@pytest.mark.parametrize("geo", [(float("nan"), 1.0), (91.0, 0.0), (45.0, float("inf"))])
def test_impossible_coordinates_are_left_out(geo):
    (parsed,) = read_both(build_feed([event(geo=geo)], CALENDAR))["events"]
    assert parsed["geo"] is None


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        FeedEvent(
            uid="x",
            starts_at=datetime(2026, 10, 20, 10),
            ends_at=datetime(2026, 10, 20, 11),
            summary="x",
            last_modified=STAMP,
        )


def test_clean_text_turns_every_line_break_into_one_and_drops_controls():
    raw = "a\r\nb\rc\nd\u2028e\x85f\x00g\x07h\x1bi\ud800j\tk"
    assert clean_text(raw) == "a\nb\nc\nd\ne\nfghij k"
    assert clean_text(raw, single_line=True) == "a b c d e fghij k"


def test_time_zone_lists_each_change_with_its_onset_in_the_time_before_it():
    body = build_feed([], FeedCalendar(timezone="America/Toronto", covers=(date(2026, 1, 1),) * 2))
    zone = body.decode().split("BEGIN:VTIMEZONE\r\n")[1].split("END:VTIMEZONE")[0]
    assert "RDATE" not in zone
    assert zone.split("\r\n")[0] == "TZID:America/Toronto"
    assert [line for line in zone.split("\r\n") if line.startswith("DTSTART")] == [
        "DTSTART:20260101T000000",
        "DTSTART:20260308T020000",  # 02:00 EST, clocks jump to 03:00 EDT
        "DTSTART:20261101T020000",  # 02:00 EDT, clocks go back to 01:00 EST
    ]
