"""Build an iCalendar file (RFC 5545) from plain event values.

Pure: no Flask, no database, no translations, no clock. The same events and
calendar settings always give the same bytes, so a hash of the bytes is a
stable HTTP ETag and calendar apps can poll cheaply.

Text comes from people (beneficiaries type their own notes), so every value is
cleaned before it is written: line breaks become the escaped ``\\n`` of the
TEXT type, other control characters are dropped, and ``icalendar`` escapes
``\\``, ``;`` and ``,``. A value can therefore never end its line and start a
property of its own. URIs are written only when they are made of URI
characters and use a scheme calendar apps open.
"""

from __future__ import annotations

import enum
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from icalendar import Alarm
from icalendar import Calendar
from icalendar import Component
from icalendar import Event
from icalendar import Timezone
from icalendar import TimezoneDaylight
from icalendar import TimezoneStandard
from icalendar import vDuration
from icalendar import vText
from icalendar import vUri

from scheduler.core.text import BIDI_CONTROLS

PRODID = "-//Escouade//Escouade calendar feeds//EN"

#: Schemes a calendar app can open from an event: a web page, a phone number, a map.
URI_SCHEMES = ("https", "http", "tel", "geo")
_URI = re.compile(r"^(?:" + "|".join(URI_SCHEMES) + r"):[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
#: Longest text written in one property, in characters; longer text is cut.
MAX_TEXT = 4000
_END = b"END:VCALENDAR\r\n"
#: What, besides its inputs, the bytes depend on: this module and the icalendar release.
_FORMAT = hashlib.sha256(
    Path(__file__).read_bytes() + icalendar.__version__.encode("ascii")
).digest()


class EventStatus(enum.StrEnum):
    TENTATIVE = "TENTATIVE"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Reminder:
    """A VALARM that pops up ``minutes_before`` the start of its event."""

    minutes_before: int
    text: str


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One VEVENT. Times are aware; they are written in the calendar's zone.

    ``uid`` must never change for the life of what the event stands for, and
    ``sequence`` must go up whenever its time or place changes. ``last_modified``
    is also written as DTSTAMP, which keeps the file the same until the data changes.
    """

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    last_modified: datetime
    sequence: int = 0
    status: EventStatus = EventStatus.CONFIRMED
    created_at: datetime | None = None
    location: str | None = None
    #: (latitude, longitude) in degrees.
    geo: tuple[float, float] | None = None
    description: str | None = None
    url: str | None = None
    #: Shown as free time (TRANSP:TRANSPARENT), e.g. the drive before a visit.
    free: bool = False
    #: CLASS:PRIVATE hides the details from people the calendar is shared with.
    private: bool = True
    reminders: tuple[Reminder, ...] = ()

    def __post_init__(self) -> None:
        for name in ("starts_at", "ends_at", "last_modified"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime, got {value!r}")
        if self.ends_at <= self.starts_at:
            raise ValueError(f"event {self.uid!r} ends before it starts")


@dataclass(frozen=True, slots=True)
class FeedCalendar:
    """What the whole file says about itself.

    :param timezone: IANA name of the zone events are written in (one VTIMEZONE).
    :param name: X-WR-CALNAME and NAME; None for a one-off file people import,
        so that calendar apps do not make a new calendar for it.
    :param refresh: how often subscribers should fetch again (REFRESH-INTERVAL,
        X-PUBLISHED-TTL); None for a one-off file.
    :param covers: first and last day the VTIMEZONE must describe besides the
        events' own days (the feed's window), so an empty feed still has one.
    """

    timezone: str
    name: str | None = None
    description: str | None = None
    refresh: timedelta | None = None
    covers: tuple[date, date] | None = None


def clean_text(value: str, *, single_line: bool = False, max_length: int = MAX_TEXT) -> str:
    """Text safe for an iCalendar TEXT value.

    Every kind of line break becomes ``\\n`` (or a space when ``single_line``);
    other control and unpaired surrogate characters, and bidirectional controls (see
    :mod:`scheduler.core.text`), are dropped; tabs become
    spaces. Letters of any script and emoji are kept.
    """
    text = _LINE_BREAKS.sub(" " if single_line else "\n", value)
    kept = []
    for char in text:
        if char == "\t":
            kept.append(" ")
        elif char in BIDI_CONTROLS:
            continue  # a right-to-left override would show a name reversed
        elif char == "\n" or unicodedata.category(char) not in ("Cc", "Cs"):
            kept.append(char)
    text = "".join(kept).strip()
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def clean_uri(value: str | None) -> str | None:
    """The URI if it is well-formed and opens in a calendar app, else None."""
    if value is None or not _URI.match(value):
        return None
    return value


def clean_geo(geo: tuple[float, float] | None) -> tuple[float, float] | None:
    if geo is None:
        return None
    lat, lon = float(geo[0]), float(geo[1])
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return round(lat, 6), round(lon, 6)


def feed_etag(events: Iterable[FeedEvent], calendar: FeedCalendar) -> str:
    """A strong entity tag for ``build_feed(events, calendar)``, without building it.

    The bytes are a function of the events, the calendar and this module (and the
    icalendar release), so a hash of those names exactly one file: a calendar app
    polling an unchanged feed gets its 304 without the feed being serialised.
    """
    digest = hashlib.sha256(_FORMAT)
    digest.update(repr(calendar).encode("utf-8"))
    for event in _ordered(events):
        digest.update(b"\x1e")
        digest.update(repr(event).encode("utf-8"))
    return digest.hexdigest()[:40]


def build_feed(events: Iterable[FeedEvent], calendar: FeedCalendar) -> bytes:
    """The iCalendar bytes (UTF-8, CRLF, folded at 75 octets) for ``events``.

    Events are written in start order, then by UID, so the output does not
    depend on the order they were given in. Each event's lines are cached:
    polling rebuilds a feed whose events mostly did not change.
    """
    ordered = _ordered(events)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if calendar.name:
        name = clean_text(calendar.name, single_line=True, max_length=200)
        cal.add("name", vText(name))
        cal.add("x-wr-calname", vText(name))
    if calendar.description:
        description = clean_text(calendar.description)
        cal.add("description", vText(description))
        cal.add("x-wr-caldesc", vText(description))
    if calendar.refresh is not None:
        cal.add("refresh-interval", vDuration(calendar.refresh), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(calendar.refresh))

    zone = ZoneInfo(calendar.timezone)
    days = [e.starts_at.astimezone(zone).date() for e in ordered]
    days += [e.ends_at.astimezone(zone).date() for e in ordered]
    if calendar.covers is not None:
        days += list(calendar.covers)
    if not days:
        raise ValueError("an empty feed needs FeedCalendar.covers to describe its time zone")
    cal.add_component(_vtimezone(calendar.timezone, min(days).year, max(days).year))

    head = bytes(cal.to_ical())
    if not head.endswith(_END):
        raise RuntimeError("icalendar did not end the calendar as expected")
    body = b"".join(_vevent_bytes(event, calendar.timezone) for event in ordered)
    return head[: -len(_END)] + body + _END


def _ordered(events: Iterable[FeedEvent]) -> list[FeedEvent]:
    return sorted(events, key=lambda e: (e.starts_at, e.uid))


@lru_cache(maxsize=8192)
def _vevent_bytes(event: FeedEvent, tzid: str) -> bytes:
    return bytes(_vevent(event, ZoneInfo(tzid)).to_ical())


@lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The zone's offsets from 1 January of ``first_year`` to the end of ``last_year``.

    One STANDARD or DAYLIGHT block per change of offset, each with its own DTSTART
    (the onset in local time before the change, as RFC 5545 reads it) and no RDATE:
    ical.js, the parser inside Thunderbird, drops the DTSTART of a block that also
    has RDATEs, and would then be an hour off for part of the year. Cached: the
    component is never changed once built.
    """
    zone = ZoneInfo(tzid)
    start = datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    vtimezone = Timezone()
    vtimezone.add("tzid", tzid)
    first = start.astimezone(zone)
    offset = _offset(first)
    vtimezone.add_component(_observance(first, offset, offset))
    for instant in _offset_changes(zone, start, end):
        local = instant.astimezone(zone)
        before = _offset((instant - timedelta(seconds=1)).astimezone(zone))
        vtimezone.add_component(_observance(local, before, _offset(local)))
    return vtimezone


def _offset(moment: datetime) -> timedelta:
    offset = moment.utcoffset()
    assert offset is not None
    return offset


def _offset_changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """The UTC instants in [start, end) when the zone's offset changes, to the second."""
    changes = []
    step = timedelta(hours=6)
    moment = start
    while moment < end:
        following = min(moment + step, end)
        if _offset(moment.astimezone(zone)) != _offset(following.astimezone(zone)):
            low, high = moment, following  # offset differs at high; find the first such second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _offset(middle.astimezone(zone)) == _offset(low.astimezone(zone)):
                    low = middle
                else:
                    high = middle
            changes.append(high)
        moment = following
    return changes


def _observance(local: datetime, before: timedelta, after: timedelta) -> Component:
    """One STANDARD or DAYLIGHT block: from ``local`` on, the offset is ``after``."""
    block: Component = TimezoneDaylight() if local.dst() else TimezoneStandard()
    onset = (local.astimezone(UTC) + before).replace(tzinfo=None)
    block.add("dtstart", onset)
    block.add("tzname", local.tzname() or _offset_name(after))
    block.add("tzoffsetfrom", before)
    block.add("tzoffsetto", after)
    return block


def _offset_name(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _vevent(event: FeedEvent, zone: ZoneInfo) -> Event:
    vevent = Event()
    vevent.add("uid", vText(clean_text(event.uid, single_line=True, max_length=200)))
    stamp = event.last_modified.astimezone(UTC).replace(microsecond=0)
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", stamp)
    if event.created_at is not None:
        vevent.add("created", event.created_at.astimezone(UTC).replace(microsecond=0))
    vevent.add("dtstart", _wall_time(event.starts_at, zone))
    vevent.add("dtend", _wall_time(event.ends_at, zone))
    vevent.add("sequence", max(0, int(event.sequence)))
    vevent.add("status", event.status.value)
    vevent.add("summary", vText(clean_text(event.summary, single_line=True, max_length=250)))
    vevent.add("class", "PRIVATE" if event.private else "PUBLIC")
    vevent.add("transp", "TRANSPARENT" if event.free else "OPAQUE")
    if event.location:
        location = clean_text(event.location, single_line=True, max_length=400)
        if location:
            vevent.add("location", vText(location))
    geo = clean_geo(event.geo)
    if geo is not None:
        vevent.add("geo", geo)
    if event.description:
        description = clean_text(event.description)
        if description:
            vevent.add("description", vText(description))
    url = clean_uri(event.url)
    if url is not None:
        vevent.add("url", vUri(url))
    if event.status is not EventStatus.CANCELLED:
        for reminder in event.reminders:
            vevent.add_component(_valarm(reminder, event.summary))
    return vevent


def _wall_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """The instant as local time with the zone's TZID, or in UTC when that would be ambiguous.

    When clocks go back, a local time such as 01:30 happens twice; RFC 5545 reads it as
    the first, and parsers differ in practice. Such an instant is written in UTC instead,
    which every reader takes the same way.
    """
    local = moment.astimezone(zone).replace(microsecond=0)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return local.astimezone(UTC)
    return local


def _valarm(reminder: Reminder, summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(minutes=-max(0, reminder.minutes_before)))
    text = clean_text(reminder.text or summary, single_line=True, max_length=250)
    alarm.add("description", vText(text or "Reminder"))
    return alarm
