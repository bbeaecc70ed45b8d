"""Placing a point by hand: typed coordinates, or one of the geocoder's candidates.

The geocoder is a local HTTP server speaking Nominatim's documented search API
(``/search?q=…&format=json``), since the real service cannot be reached from tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import GeocodedAddress
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import RequestEvent
from scheduler.models import Role
from scheduler.models import Volunteer
from tests.builders import build_world
from tests.builders import make_request
from tests.html_forms import attributes_of

WICKHAM = (45.7511, -72.5058)


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers ``/search`` as Nominatim does: a JSON list of places, best first."""

    asked: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        FakeNominatim.asked.append(query)
        places = [
            {"lat": "45.7532", "lon": "-72.5101", "display_name": "850 Rue Principale, Wickham"},
            {"lat": "45.7480", "lon": "-72.4990", "display_name": "850 Rang 10, Wickham"},
            {"lat": "48.8566", "lon": "2.3522", "display_name": "850 Rue Principale, Paris"},
        ]
        body = json.dumps(places if url.path == "/search" else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nominatim() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNominatim.asked = []
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def home_request(app, world) -> int:
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org, address="850, rue Principale")
        request.lat, request.lon, request.location_approximate = *WICKHAM, True
        db.session.commit()
        return request.id


def test_typed_coordinates_place_a_request_and_the_flag_goes(app, client, auth, home_request):
    auth.login_as(Role.DISPATCHER)
    page = client.get(f"/dispatch/place/request/{home_request}")
    assert page.status_code == 200
    assert "place-status--approximate" in page.get_data(as_text=True)
    response = client.post(
        f"/dispatch/place/request/{home_request}", data={"lat": "45,7530", "lon": "-72.51"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "place-status--precise" in page and "place-status--approximate" not in page
    with app.app_context():
        request = db.session.get(HelpRequest, home_request)
        assert (request.lat, request.lon, request.location_approximate) == (45.753, -72.51, False)
        # The gazetteer keeps it for the next request at the same address.
        row = db.session.scalar(sa.select(GeocodedAddress))
        assert row.source == "dispatcher" and row.lat == 45.753
        assert db.session.scalar(
            sa.select(RequestEvent).where(
                RequestEvent.request_id == home_request, RequestEvent.kind == "placed"
            )
        )


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("", "", "cliquez sur la carte"),
        ("quarante", "-72.5", "45.8812"),
        ("95", "-72.5", "entre -90 et 90"),
        ("48.85", "2.35", "km de Drummondville"),
    ],
)
def test_bad_coordinates_are_refused_with_words_and_kept(
    app, client, auth, home_request, lat, lon, message
):
    auth.login_as(Role.DISPATCHER)
    response = client.post(f"/dispatch/place/request/{home_request}", data={"lat": lat, "lon": lon})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert f'value="{lat}"' in html
    with app.app_context():
        assert db.session.get(HelpRequest, home_request).location_approximate is True


def test_candidates_of_the_geocoder_are_offered_and_one_is_picked(make_app, nominatim):
    app = make_app(
        GEO={"geocoder": "nominatim", "domain": nominatim, "scheme": "http", "min_delay_s": 0}
    )
    with app.app_context():
        world = build_world(db.session)
    client = app.test_client()
    client.post(
        "/auth/login",
        data={"email": world.email_for(Role.DISPATCHER), "password": "correct horse battery"},
    )
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        volunteer.home_address = "850, rue Principale"
        volunteer.home_municipality_id = world.municipality_ids["Wickham"]
        volunteer.home_approximate = True
        db.session.commit()
    page = client.get(f"/dispatch/place/volunteer/{world.volunteer_id}?find=1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "850 Rue Principale, Wickham" in html and "850 Rang 10, Wickham" in html
    assert "Paris" not in html  # too far from the municipality to be the place
    assert FakeNominatim.asked[0]["q"] == ["850, rue Principale, Wickham, QC"]
    response = client.post(
        f"/dispatch/place/volunteer/{world.volunteer_id}", data={"lat": "45.748", "lon": "-72.499"}
    )
    assert response.status_code == 302
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        assert (volunteer.home_lat, volunteer.home_approximate) == (45.748, False)


def test_municipality_centres_are_placed_by_administrators_only(app, client, auth, world):
    town_id = world.municipality_ids["Wickham"]
    auth.login_as(Role.DISPATCHER)
    assert client.get(f"/dispatch/place/municipality/{town_id}").status_code == 403
    auth.logout()
    auth.login_as(Role.ADMIN)
    assert f"/dispatch/place/municipality/{town_id}" in client.get(
        f"/admin/territory/{town_id}"
    ).get_data(as_text=True)
    response = client.post(
        f"/dispatch/place/municipality/{town_id}", data={"lat": "45.76", "lon": "-72.52"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Municipality, town_id).lat == 45.76


def test_nothing_of_another_organisation_can_be_placed(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    assert client.get("/dispatch/place/request/999").status_code == 404
    assert client.get(f"/dispatch/place/planet/{world.volunteer_id}").status_code == 404


def test_the_coordinate_fields_are_well_formed_and_tied_to_their_error(
    app, client, auth, home_request
):
    """A stray quote after each coordinate's value made the browser read a junk attribute
    named '"' on the field, right before its error's aria attributes."""
    auth.login_as(Role.DISPATCHER)
    page = client.get(f"/dispatch/place/request/{home_request}")
    assert [name for name, _ in attributes_of(page.get_data(as_text=True), "place-lat")] == [
        "class",
        "id",
        "name",
        "inputmode",
        "autocomplete",
        "value",
    ]
    refused = client.post(
        f"/dispatch/place/request/{home_request}", data={"lat": "95", "lon": "-72.5"}
    )
    attributes = dict(attributes_of(refused.get_data(as_text=True), "place-lat"))
    assert '"' not in attributes
    assert attributes["value"] == "95"
    assert attributes["aria-invalid"] == "true"
    assert attributes["aria-describedby"] == "place-lat-error"
