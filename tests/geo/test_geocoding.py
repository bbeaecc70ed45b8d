"""The geocoding chain.

The online step is exercised against a small HTTP server on 127.0.0.1 that answers
Nominatim's /search protocol: the real Nominatim cannot be reached from the test
machines (no internet). Everything else (geopy, the HTTP client, the cache) is real.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.core.settings import ConfigurationError
from scheduler.geo import GeoSettings
from scheduler.geo import OnlineGeocoder
from scheduler.geo import address_key
from scheduler.geo import geocoder_for
from scheduler.geo import locate
from scheduler.geo import place_pending
from scheduler.geo import remember_place
from scheduler.geo.geocoding import forget_old_places
from scheduler.models import GeocodedAddress
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import utcnow
from tests.builders import build_world
from tests.builders import make_request


class NominatimLike(BaseHTTPRequestHandler):
    """Answers /search with whatever the test put in ``answers`` for the query."""

    answers: dict[str, tuple[float, float]] = {}
    queries: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        params = parse_qs(urlsplit(self.path).query)
        query = params.get("q", [""])[0]
        type(self).queries.append(query)
        found = type(self).answers.get(query)
        body = []
        if found:
            body = [
                {
                    "lat": str(found[0]),
                    "lon": str(found[1]),
                    "display_name": query,
                    "place_id": 1,
                    "boundingbox": ["0", "0", "0", "0"],
                }
            ]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nominatim():
    NominatimLike.answers = {}
    NominatimLike.queries = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), NominatimLike)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    geocoder = OnlineGeocoder(
        "nominatim",
        user_agent="escouade-tests",
        domain=f"127.0.0.1:{server.server_port}",
        scheme="http",
        timeout_s=5,
        min_delay_s=0,
    )
    yield geocoder, NominatimLike
    server.shutdown()
    server.server_close()


def _org_and_town():
    org = db.session.scalars(sa.select(Organisation)).one()
    town = db.session.scalars(sa.select(Municipality).where(Municipality.name == "Wickham")).one()
    return org, town


def test_address_key_ignores_case_accents_and_punctuation():
    assert address_key("12, Rue de l'Église", "Wickham") == address_key(
        "12 rue de l eglise", "WICKHAM"
    )


def test_no_address_or_no_geocoder_gives_the_municipality_centre_flagged_approximate(app, world):
    with app.app_context():
        org, town = _org_and_town()
        for address in (None, "  ", "12, rue Principale"):
            place = locate(db.session, org, address, town, None, utcnow())
            assert (place.lat, place.lon, place.approximate) == (town.lat, town.lon, True)


def test_online_geocoder_places_the_address_and_caches_it(app, world, nominatim):
    geocoder, server = nominatim
    server.answers["12, rue Principale, Wickham, QC"] = (45.7561, -72.5012)
    with app.app_context():
        org, town = _org_and_town()
        first = locate(db.session, org, "12, rue Principale", town, geocoder, utcnow())
        second = locate(db.session, org, "12 RUE PRINCIPALE", town, geocoder, utcnow())
    assert (first.lat, first.lon, first.approximate, first.source) == (
        45.7561,
        -72.5012,
        False,
        "nominatim",
    )
    assert second == first
    assert len(server.queries) == 1  # the second came from the gazetteer


def test_a_match_in_another_town_is_ignored(app, world, nominatim):
    geocoder, server = nominatim
    server.answers["12, rue Principale, Wickham, QC"] = (46.8139, -71.2080)  # Québec City
    with app.app_context():
        org, town = _org_and_town()
        place = locate(db.session, org, "12, rue Principale", town, geocoder, utcnow())
    assert place.approximate is True
    assert (place.lat, place.lon) == (town.lat, town.lon)


def test_a_miss_is_remembered_and_not_asked_again_until_the_retry_delay(app, world, nominatim):
    geocoder, server = nominatim
    now = utcnow()
    with app.app_context():
        org, town = _org_and_town()
        locate(db.session, org, "999, rang Inconnu", town, geocoder, now)
        locate(db.session, org, "999, rang Inconnu", town, geocoder, now + timedelta(days=1))
        assert len(server.queries) == 1
        locate(
            db.session,
            org,
            "999, rang Inconnu",
            town,
            geocoder,
            now + timedelta(days=31),
            retry_after_days=30,
        )
        assert len(server.queries) == 2


def test_an_unreachable_geocoder_falls_back_to_the_centre(app, world):
    geocoder = OnlineGeocoder(
        "nominatim",
        user_agent="escouade-tests",
        domain="127.0.0.1:9",
        scheme="http",
        timeout_s=2,
        min_delay_s=0,
    )
    with app.app_context():
        org, town = _org_and_town()
        place = locate(db.session, org, "12, rue Principale", town, geocoder, utcnow())
    assert place.approximate is True


def test_a_dispatcher_placement_wins_over_the_geocoder(app, world, nominatim):
    geocoder, server = nominatim
    server.answers["12, rue Principale, Wickham, QC"] = (45.7561, -72.5012)
    with app.app_context():
        org, town = _org_and_town()
        remember_place(db.session, org, "12, rue Principale", town, 45.7500, -72.4900, utcnow())
        place = locate(db.session, org, "12, rue Principale", town, geocoder, utcnow())
    assert (place.lat, place.lon, place.source) == (45.75, -72.49, "dispatcher")
    assert server.queries == []


def test_pending_requests_get_placed(app, world, nominatim):
    geocoder, server = nominatim
    server.answers["40, rang 10, Wickham, QC"] = (45.7602, -72.5101)
    with app.app_context():
        org, town = _org_and_town()
        request = make_request(
            db.session,
            org,
            municipality=town,
            address="40, rang 10",
            lat=town.lat,
            lon=town.lon,
            location_approximate=True,
        )
        db.session.commit()
        assert place_pending(db.session, geocoder, utcnow()) >= 1
        request = db.session.get(HelpRequest, request.id)
        assert (request.lat, request.lon, request.location_approximate) == (
            45.7602,
            -72.5101,
            False,
        )


def test_old_lookups_are_forgotten_after_the_retention_period(app, world, nominatim):
    geocoder, server = nominatim
    server.answers["12, rue Principale, Wickham, QC"] = (45.7561, -72.5012)
    now = utcnow()
    with app.app_context():
        org, town = _org_and_town()
        locate(db.session, org, "12, rue Principale", town, geocoder, now - timedelta(days=400))
        db.session.commit()
        assert forget_old_places(db.session, now, days=365) == 1
        assert db.session.scalar(sa.select(sa.func.count(GeocodedAddress.id))) == 0


def test_config_chooses_the_geocoder():
    assert geocoder_for(GeoSettings.from_config({"geocoder": "none"})) is None
    ban = geocoder_for(GeoSettings.from_config({"geocoder": "ban", "user_agent": "x"}))
    assert ban is not None and ban.name == "ban"
    with pytest.raises(ConfigurationError):
        GeoSettings.from_config({"geocoder": "somewhere"})
    with pytest.raises(ValueError):
        geocoder_for(GeoSettings(geocoder="somewhere"))


def test_the_timed_job_places_new_addresses_with_the_configured_geocoder(make_app, nominatim):
    from scheduler.jobs import JOBS
    from scheduler.jobs.runner import run_job

    geocoder, server = nominatim
    server.answers["40, rang 10, Wickham, QC"] = (45.7602, -72.5101)
    app = make_app(
        GEO={
            "geocoder": "nominatim",
            "domain": geocoder._backend.domain,  # the local server of the fixture
            "scheme": "http",
            "min_delay_s": 0,
            "user_agent": "escouade tests",
        }
    )
    with app.app_context():
        build_world(db.session)
        org, town = _org_and_town()
        request = make_request(
            db.session, org, municipality=town, address="40, rang 10", location_approximate=True
        )
        db.session.commit()
        request_id = request.id
    [job] = [spec for spec in JOBS if spec.id == "place_addresses"]
    assert run_job(app, job, now=utcnow()) == 1
    with app.app_context():
        placed = db.session.get(HelpRequest, request_id)
        assert (placed.lat, placed.lon, placed.location_approximate) == (45.7602, -72.5101, False)
    assert server.queries == ["40, rang 10, Wickham, QC"]
