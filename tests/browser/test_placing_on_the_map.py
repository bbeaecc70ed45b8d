"""A dispatcher clicks on the interactive map to place an address (Chromium, Leaflet).

The tiles come from a local HTTP server speaking the z/x/y PNG tile API of slippy-map
tile servers (``/{z}/{x}/{y}.png``), since no real tile server can be reached in tests.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Role
from tests.builders import make_request

from .conftest import DESKTOP
from .steps import sign_in

pytestmark = pytest.mark.browser


def png_tile(size: int = 256) -> bytes:
    """A plain light-green 256×256 PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((0xDD, 0xEE, 0xDD)) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


class TileServer(BaseHTTPRequestHandler):
    tile = png_tile()
    served: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = self.path.strip("/").removesuffix(".png").split("/")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            self.send_error(404)
            return
        TileServer.served.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.tile)))
        self.end_headers()
        self.wfile.write(self.tile)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tiles() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), TileServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    TileServer.served = []
    yield f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def app(make_app, tiles):
    return make_app(MAPS={"tile_url": tiles, "attribution": "Test tiles", "max_zoom": 18})


def test_clicking_on_the_map_places_the_address(app, world, open_page):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org, address="850, rue Principale")
        request.location_approximate = True
        db.session.commit()
        request_id = request.id
        start = (request.lat or request.municipality.lat, request.lon or request.municipality.lon)

    page = open_page(viewport=DESKTOP)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto(f"/dispatch/requests/{request_id}")
    page.get_by_role("link", name="Placer sur la carte").click()
    expect(page.locator("#place-status")).to_have_class("place-status place-status--approximate")

    live = page.locator(".place-map")
    expect(live).to_be_visible()
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    assert TileServer.served, "the map asked the local tile server for tiles"

    box = live.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
    latitude = page.get_by_label("Latitude")
    expect(latitude).not_to_have_value("")
    page.get_by_role("button", name="Enregistrer cet emplacement").click()

    expect(page.locator("#place-status")).to_have_class("place-status place-status--precise")
    expect(page.locator(".place-status--approximate")).to_have_count(0)
    with app.app_context():
        placed = db.session.get(HelpRequest, request_id)
        assert placed.location_approximate is False
        # Clicked up and right of the centre: north-east of where the map opened.
        assert placed.lat > start[0] and placed.lon > start[1]


def test_the_plan_page_draws_its_routes_over_the_tiles(app, world, open_page):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        for town in ("Wickham", "L'Avenir"):
            make_request(
                db.session,
                org,
                municipality_id=world.municipality_ids[town],
                address="850, rue Principale",
                availability=["mon-am", "tue-am", "wed-am", "thu-am", "fri-am"],
            )
        db.session.commit()
    page = open_page(viewport=DESKTOP)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto("/dispatch/plans")
    page.get_by_role("button", name="Planifier cette semaine").click()
    expect(page.get_by_role("button", name="Publier")).to_be_visible()
    first = page.locator(".route-map").first
    expect(first).to_have_class("route-map route-map--live")
    # Numbered stops as markers over the tiles; the server's drawing stays for printing.
    expect(first.locator(".leaflet-marker-icon.map-number").first).to_be_attached()
    assert first.locator(".leaflet-marker-icon.map-number span").first.inner_text() == "1"
    expect(first.locator(".leaflet-tile-loaded").first).to_be_attached()
    expect(first.locator(".route-map__svg")).to_be_hidden()


def test_a_stops_popup_names_its_municipality_as_typed(app, world, open_page):
    """A dispatcher clicks a numbered stop on the live map: its popup names the person, the
    request and the municipality, even one whose name holds markup (shown, never run)."""
    odd = "Drummondville <b>&</b>"
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        town = db.session.get(Municipality, world.municipality_ids["Drummondville"])
        town.name = odd
        request = make_request(
            db.session,
            org,
            municipality_id=town.id,
            address="850, rue Principale",
            availability=["mon-am", "tue-am", "wed-am", "thu-am", "fri-am"],
        )
        request.beneficiary.first_name = "Aline"
        db.session.commit()
        reference = request.reference
    page = open_page(viewport=DESKTOP)
    sign_in(page, world.email_for(Role.DISPATCHER))
    page.goto("/dispatch/plans")
    page.get_by_role("button", name="Planifier cette semaine").click()
    expect(page.get_by_role("button", name="Publier")).to_be_visible()
    page.evaluate("document.querySelectorAll('details.route-map__day').forEach(d => d.open = true)")
    marker = page.locator(f'.leaflet-marker-icon.map-number[title*="{reference}"]').first
    expect(marker).to_be_attached()
    marker.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content .map-popup").first
    expect(popup).to_be_visible()
    expect(popup.locator(".map-popup__who")).to_contain_text(f"Aline ({reference})")
    expect(popup.locator(".map-popup__place")).to_contain_text(odd)
    expect(popup.locator("b")).to_have_count(0)
    # A drop-in stop is named by its site, and its municipality is said below.
    page.keyboard.press("Escape")
    duty = page.locator('.leaflet-marker-icon.map-number[title*="Local Brock"]').first
    duty.dispatch_event("click")
    site = page.locator(".leaflet-popup-content .map-popup").first
    expect(site.locator(".map-popup__place")).to_have_text("Local Brock")
    expect(site.locator(".map-popup__municipality")).to_have_text(odd)
