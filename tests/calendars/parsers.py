"""Read a feed back with two strict parsers that did not write it.

- ``ical`` (PyPI, allenporter/ical): a pydantic model of RFC 5545, run here in-process;
- Mozilla's ical.js (the parser inside Thunderbird), run with Node from ``tests/js``.

Both answers are normalised to the same plain dictionaries so that tests can
compare them with each other and with what was meant. A missing tool fails the
test with the command that installs it: these checks must run for real.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from ical.calendar_stream import IcsCalendarStream
from ical.parsing.component import ParsedComponent
from ical.parsing.component import parse_content

JS_DIR = Path(__file__).resolve().parent.parent / "js"


def _iso(moment: Any) -> str | None:
    if moment is None:
        return None
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise AssertionError(f"expected an aware date-time, got {moment!r}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _children(component: ParsedComponent, name: str) -> list[ParsedComponent]:
    return [c for c in component.components if c.name == name]


def read_with_ical(body: bytes) -> dict[str, Any]:
    """The feed as the ``ical`` package reads it (raises if it does not parse)."""
    text = body.decode("utf-8")
    calendar = IcsCalendarStream.calendar_from_ics(text)
    (root,) = parse_content(text)
    raw_events = {
        next(p.value for p in c.properties if p.name == "uid"): c for c in _children(root, "vevent")
    }
    events = []
    for event in calendar.events:
        raw = raw_events[event.uid]
        events.append(
            {
                "uid": event.uid,
                "properties": sorted(p.name.upper() for p in raw.properties),
                "start": _iso(event.dtstart),
                "end": _iso(event.dtend),
                "summary": event.summary,
                "description": event.description,
                "location": event.location,
                "status": event.status.value if event.status else None,
                "sequence": event.sequence,
                "url": str(event.url) if event.url else None,
                "geo": [event.geo.lat, event.geo.lng] if event.geo else None,
                "transp": event.transparency,
                "attendees": len(event.attendees),
                "alarms": [
                    {
                        "properties": sorted(p.name.upper() for p in a.properties),
                        "trigger": int(alarm.trigger.total_seconds()),
                        "description": alarm.description,
                    }
                    for a, alarm in zip(_children(raw, "valarm"), event.alarm, strict=True)
                ],
            }
        )
    return {
        "properties": sorted(p.name.upper() for p in root.properties),
        "components": [c.name.upper() for c in root.components],
        "timezones": [tz.tz_id for tz in calendar.timezones],
        "events": sorted(events, key=lambda e: (e["start"], e["uid"])),
    }


def read_with_icaljs(body: bytes) -> dict[str, Any]:
    """The feed as Mozilla's ical.js reads it (fails the test if it does not parse)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run ical.js: install the Debian package nodejs.")
    if not (JS_DIR / "node_modules" / "ical.js").is_dir():
        pytest.fail(f"ical.js is not installed: run `npm ci` in {JS_DIR}.")
    result = subprocess.run(
        [node, "parse.mjs"], input=body, cwd=JS_DIR, capture_output=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    (calendar,) = json.loads(result.stdout)
    events = []
    for event in calendar["events"]:
        events.append(
            {
                "uid": event["uid"],
                "properties": sorted(event["properties"]),
                "start": _js_iso(event["start"]),
                "end": _js_iso(event["end"]),
                "summary": event["summary"],
                "description": event["description"],
                "location": event["location"],
                "status": event["status"],
                "sequence": event["sequence"],
                "url": event["url"],
                "geo": event["geo"],
                "transp": event["transp"],
                "attendees": event["attendees"],
                "alarms": [
                    {
                        "properties": sorted(a["properties"]),
                        "trigger": a["trigger"],
                        "description": a["description"],
                    }
                    for a in event["alarms"]
                ],
            }
        )
    return {
        "properties": sorted(calendar["properties"]),
        "components": calendar["components"],
        "timezones": calendar["timezones"],
        "events": sorted(events, key=lambda e: (e["start"], e["uid"])),
    }


def _js_iso(value: str | None) -> str | None:
    # ical.js prints milliseconds: 2026-11-01T06:30:00.000Z
    return value.replace(".000Z", "Z") if value else None


def read_both(body: bytes) -> dict[str, Any]:
    """What both parsers read, after checking they read the same thing."""
    ours = read_with_ical(body)
    theirs = read_with_icaljs(body)
    if ours != theirs:
        differences = [
            (key, ours[key], theirs[key])
            for key in ours
            if key != "events" and ours[key] != theirs[key]
        ]
        for mine, other in zip(ours["events"], theirs["events"], strict=False):
            differences += [
                (f"{mine['uid']} {key}", mine[key], other.get(key))
                for key in mine
                if mine[key] != other.get(key)
            ]
        if len(ours["events"]) != len(theirs["events"]):
            differences.append(("events", len(ours["events"]), len(theirs["events"])))
        raise AssertionError(f"ical and ical.js disagree (what, ical, ical.js): {differences}")
    return ours


def by_uid(calendar: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["uid"]: e for e in calendar["events"]}
