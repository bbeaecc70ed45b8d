"""Every kind of feed reads back the same in two strict parsers that did not write it."""

from __future__ import annotations

import pytest

from scheduler.core.extensions import db

from .builders import team_link
from .parsers import read_with_ical
from .parsers import read_with_icaljs

CALENDAR_HEADERS = {"PRODID", "VERSION", "CALSCALE", "METHOD"}
FEED_HEADERS = CALENDAR_HEADERS | {"X-WR-CALNAME", "NAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"}
EVENT_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SEQUENCE",
    "LAST-MODIFIED",
    "STATUS",
    "SUMMARY",
    "CLASS",
    "TRANSP",
}


def feed_paths(app, world, scenario) -> dict[str, str]:
    with app.app_context():
        team = team_link(db.session, world.email_for("dispatcher"))
    return {
        "volunteer": scenario.link,
        "team": team,
        "site": f"/feeds/site/{world.site_id}.ics",
        "request": f"/request/{scenario.visit_request_token}/appointment.ics",
    }


@pytest.mark.parametrize("kind", ["volunteer", "team", "site", "request"])
def test_feed_reads_the_same_in_ical_and_icaljs(app, client, world, scenario, kind):
    path = feed_paths(app, world, scenario)[kind]
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data()

    python_view = read_with_ical(body)
    javascript_view = read_with_icaljs(body)
    assert python_view == javascript_view

    headers = FEED_HEADERS if kind != "request" else CALENDAR_HEADERS
    assert headers <= set(python_view["properties"])
    assert python_view["timezones"] == ["America/Toronto"]
    assert python_view["components"][0] == "VTIMEZONE"
    events = python_view["events"]
    assert events, f"the {kind} feed is empty"
    for event in events:
        assert EVENT_PROPERTIES <= set(event["properties"]), event["uid"]
        assert event["attendees"] == 0
    if kind == "request":
        assert len(events) == 1
    uids = [e["uid"] for e in events]
    assert len(uids) == len(set(uids))


def test_feed_written_twice_is_byte_for_byte_the_same(client, scenario):
    first = client.get(scenario.link).get_data()
    second = client.get(scenario.link).get_data()
    assert first == second
