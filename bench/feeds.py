"""How fast a volunteer's calendar feed is built and served, and how much memory it takes.

    .venv/bin/python -m bench.feeds [--events 500] [--repeat 30]

A volunteer with home visits (each with its travel event) and phone calls, on a
temporary SQLite database, served through the Flask test client (the whole
request path: token lookup, queries, texts, iCalendar, ETag; no network). Prints
medians, and the peak of Python memory allocated while building and serving once.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.app import create_app
from scheduler.calendars import render
from scheduler.calendars import tokens
from scheduler.calendars.events import FeedWindow
from scheduler.calendars.events import volunteer_events
from scheduler.calendars.feed import FeedCalendar
from scheduler.calendars.feed import _vevent_bytes
from scheduler.calendars.feed import build_feed
from scheduler.calendars.settings import FeedSettings
from scheduler.core.extensions import db
from scheduler.core.tokens import new_token
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import RequestStatus
from scheduler.models import Volunteer
from scheduler.models import utcnow

ZONE = ZoneInfo("America/Toronto")


def populate(events: int) -> Volunteer:
    """A volunteer whose feed has ``events`` events: 2 per home visit, 1 per call."""
    org = Organisation(name="Aide numérique Banc d'essai", slug="bench", timezone=ZONE.key)
    town = Municipality(organisation=org, name="Drummondville", region="QC", lat=45.88, lon=-72.48)
    volunteer = Volunteer(organisation=org, first_name="Sylvie", last_name="Tremblay")
    db.session.add_all([org, town, volunteer])
    today = utcnow().astimezone(ZONE).date()
    visits, calls = events // 3, events - 2 * (events // 3)
    for index in range(visits + calls):
        home = index < visits
        _, token_hash = new_token()
        request = HelpRequest(
            organisation=org,
            reference=f"ESC-B{index:05d}",
            access_token_hash=token_hash,
            beneficiary=Beneficiary(
                organisation=org,
                first_name=f"Personne {index}",
                phone="+18195550142",
                accessibility_notes="Sonner deux fois; chien gentil, mais bruyant.",
            ),
            mode=Mode.HOME if home else Mode.PHONE,
            needs=["email", "video_calls"],
            need_details="Je voudrais parler en vidéo avec mes petits-enfants à Calgary.\n"
            "Mon fils m'a donné une tablette, je ne sais pas m'en servir.",
            municipality=town,
            address=f"{index + 1}, rue Principale" if home else None,
            lat=45.88 if home else None,
            lon=-72.48 if home else None,
            location_approximate=not home,
            languages=["fr"],
            status=RequestStatus.CONFIRMED,
            consent_at=utcnow(),
        )
        day = today + timedelta(days=1 + index // 4)
        start = datetime.combine(day, clock(9 + 2 * (index % 4)), tzinfo=ZONE).astimezone(UTC)
        db.session.add(
            Appointment(
                organisation=org,
                kind=request.mode,
                request=request,
                volunteer=volunteer,
                starts_at=start,
                ends_at=start + timedelta(minutes=90 if home else 30),
                status=AppointmentStatus.CONFIRMED,
                travel_min_before=20 if home else None,
                travel_km_before=15.5 if home else None,
            )
        )
    db.session.commit()
    return volunteer


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm: caches, compiled templates, first query
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.db'}",
                "RATELIMIT_ENABLED": False,
            }
        )
        settings = FeedSettings.from_mapping(app.config.get("FEEDS"))
        with app.app_context():
            db.create_all()
            volunteer = populate(args.events)
            token = tokens.issue_volunteer_token(
                db.session, volunteer, now=utcnow(), key=tokens.key_from_secret("bench")
            )
            path = f"/feeds/volunteer/{token}.ics"

            window = FeedWindow.of(volunteer.organisation, utcnow(), settings)
            events = volunteer_events(db.session, volunteer, window, settings)
            calendar = FeedCalendar(
                timezone=ZONE.key, name="Bench", refresh=settings.refresh, covers=window.days
            )
            pure_ms = median_ms(lambda: build_feed(events, calendar), args.repeat)

            def cold_build() -> bytes:
                _vevent_bytes.cache_clear()  # as if every event had changed
                return build_feed(events, calendar)

            cold_ms = median_ms(cold_build, args.repeat)
            render_ms = median_ms(
                lambda: render.volunteer_feed(
                    db.session, volunteer, now=utcnow(), settings=settings
                ),
                args.repeat,
            )

        client = app.test_client()
        first = client.get(path)
        assert first.status_code == 200, first.status
        etag = first.headers["ETag"]
        serve_ms = median_ms(lambda: client.get(path), args.repeat)
        not_modified_ms = median_ms(
            lambda: client.get(path, headers={"If-None-Match": etag}), args.repeat
        )
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

        tracemalloc.start()
        client.get(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    size = len(first.get_data())
    print(
        f"Volunteer feed with {len(events)} events ({size / 1024:.0f} KiB), "
        f"median of {args.repeat} runs:"
    )
    print(f"  build the iCalendar bytes, every event new (builder)  {cold_ms:8.1f} ms")
    print(f"  build the iCalendar bytes, events unchanged (builder) {pure_ms:8.1f} ms")
    print(f"  build the feed from the database (queries + texts)    {render_ms:8.1f} ms")
    print(f"  serve it over HTTP, 200 with the body                 {serve_ms:8.1f} ms")
    print(f"  answer a conditional request, 304                     {not_modified_ms:8.1f} ms")
    print(f"  peak Python memory while serving it once              {peak / 2**20:8.1f} MiB")


if __name__ == "__main__":
    main()
