"""Text typed by beneficiaries can never break a feed or add a property to it.

Hostile names and notes go through the whole path (database, feed, HTTP) and are
read back by both parsers: each event keeps exactly the properties the feed
writes, no ATTENDEE appears, no event is added, and the text comes back whole.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.core.extensions import db

from .builders import Loaded
from .builders import local
from .builders import local_today
from .builders import make_call
from .builders import make_visit
from .builders import team_link
from .builders import volunteer_link
from .parsers import read_with_ical
from .parsers import read_with_icaljs

# NUL is left out: PostgreSQL refuses it in text (test_feed_builder covers it).
HOSTILE_NAMES = [
    "Jeanne\r\nATTENDEE:mailto:x@evil",
    "Ali\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil",
    "Zoé;ROLE=CHAIR,x\\y",
    "\\nATTENDEE:mailto:y@evil",
    "فاطمة 👩🏽‍💻",
    "Rosa\rORGANIZER:mailto:z@evil",
    "Tab\tBell\x07Esc\x1bDel\x7f",
    "Line\u2028Para\u2029Next\x85",
]
HOSTILE_NOTE = (
    "Bonjour\r\nATTENDEE;CN=Evil:mailto:x@evil\r\n"
    "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected@evil\r\nSUMMARY:Injected\r\nEND:VEVENT\r\n"
    "BEGIN:VALARM\nACTION:AUDIO\nEND:VALARM\n"
    " folded continuation?\n"
    'semi;colons, commas, back\\slashes \\n \\, "quotes" <b>html</b> & ampersands\n'
    "مرحبا، أحتاج مساعدة في البريد الإلكتروني 📧✉️\n"
    "\u202eRTL override\u202c and \ufeffBOM"
)
ALLOWED = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SEQUENCE",
    "LAST-MODIFIED",
    "CREATED",
    "STATUS",
    "SUMMARY",
    "LOCATION",
    "GEO",
    "DESCRIPTION",
    "URL",
    "CLASS",
    "TRANSP",
}
ALARM = ["ACTION", "DESCRIPTION", "TRIGGER"]


@pytest.fixture
def hostile(app, world):
    """One home visit and one call per hostile name, each with the hostile note."""
    with app.app_context():
        rows = Loaded.of(db.session, world)
        day = local_today() + timedelta(days=3)
        uids, tokens = [], []
        for index, name in enumerate(HOSTILE_NAMES):
            maker = make_visit if index % 2 == 0 else make_call
            appointment = maker(
                db.session,
                rows.org,
                rows.volunteer,
                local(day, 8) + timedelta(hours=index),
                first_name=name,
                request_fields={
                    "need_details": HOSTILE_NOTE,
                    "address": "12, rue\r\nX-EVIL:1;Principale",
                },
                beneficiary_fields={"accessibility_notes": HOSTILE_NOTE[:900]},
            )
            uids.append(appointment.uid)
            tokens.append(appointment.request.token)
        db.session.commit()
        links = {
            "volunteer": volunteer_link(db.session, rows.volunteer),
            "team": team_link(db.session, world.email_for("dispatcher")),
        }
    links.update({f"request-{i}": f"/request/{t}/appointment.ics" for i, t in enumerate(tokens)})
    return uids, links


def unfolded(body: bytes) -> list[str]:
    return body.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


@pytest.mark.parametrize("reader", [read_with_ical, read_with_icaljs], ids=["ical", "ical.js"])
def test_hostile_text_adds_no_property_and_no_event(client, hostile, reader):
    uids, links = hostile
    for name, path in links.items():
        body = client.get(path).get_data()
        calendar = reader(body)
        events = calendar["events"]
        expected = 1 if name.startswith("request") else len(uids)
        travel = [e for e in events if e["uid"].startswith("travel-")]
        assert len(events) - len(travel) == expected, name
        for event in events:
            assert set(event["properties"]) <= ALLOWED, (name, event["properties"])
            assert event["attendees"] == 0
            assert all(a["properties"] == ALARM for a in event["alarms"])
            assert event["uid"].removeprefix("travel-").removeprefix("team-") in uids
            assert "evil" not in (event["url"] or "")


def test_every_line_of_the_file_is_a_property_we_write(client, hostile):
    _, links = hostile
    known = ALLOWED | {
        "BEGIN",
        "END",
        "PRODID",
        "VERSION",
        "CALSCALE",
        "METHOD",
        "NAME",
        "X-WR-CALNAME",
        "DESCRIPTION",
        "X-WR-CALDESC",
        "REFRESH-INTERVAL",
        "X-PUBLISHED-TTL",
        "TZID",
        "TZNAME",
        "TZOFFSETFROM",
        "TZOFFSETTO",
        "ACTION",
        "TRIGGER",
    }
    for path in links.values():
        for line in unfolded(client.get(path).get_data()):
            name = line.split(":", 1)[0].split(";", 1)[0]
            assert name in known, line


def test_hostile_text_reads_back_whole_in_both_parsers(client, hostile):
    from scheduler.calendars.feed import clean_text

    _, links = hostile
    body = client.get(links["volunteer"]).get_data()
    for reader in (read_with_ical, read_with_icaljs):
        events = [e for e in reader(body)["events"] if not e["uid"].startswith("travel-")]
        for event, name in zip(events, HOSTILE_NAMES, strict=True):
            assert clean_text(name, single_line=True) in event["summary"]
            assert "Dans ses mots : " + clean_text(HOSTILE_NOTE) in event["description"]
