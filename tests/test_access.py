"""Every staff page is closed to the public and to volunteers.

The pages are found from the URL map, so a new dispatcher or admin page is
covered the day it is added.
"""

from __future__ import annotations

import re

import pytest

from scheduler.models import Role

STAFF_PREFIXES = ("/dispatch", "/admin")
ADMIN_PREFIXES = ("/admin",)


def staff_urls(app) -> list[tuple[str, str]]:
    """(method, url) for every staff route, with 1 in place of each URL variable."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(STAFF_PREFIXES):
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, url))
    return urls


def test_staff_pages_exist(app):
    # Guard against this file testing nothing.
    assert staff_urls(app), "no staff pages registered"


def test_every_staff_page_sends_signed_out_visitors_to_sign_in(app, client, world):
    for method, url in staff_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url, response.status_code)
        assert "/auth/login" in response.headers["Location"], (method, url)


def test_every_staff_page_is_forbidden_to_volunteers(app, client, auth, world):
    auth.login_as(Role.VOLUNTEER)
    for method, url in staff_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 403, (method, url, response.status_code)


@pytest.mark.parametrize("role", [Role.DISPATCHER])
def test_admin_pages_are_forbidden_to_dispatchers(app, client, auth, world, role):
    auth.login_as(role)
    admin = [(m, u) for m, u in staff_urls(app) if u.startswith(ADMIN_PREFIXES)]
    for method, url in admin:
        response = client.open(url, method=method)
        assert response.status_code == 403, (method, url, response.status_code)


#: What a partner's staff may open: the public pages and the partner's own pages. Token
#: links (feeds, a person's private link) answer to their secret, not to a role.
PARTNER_OPEN = (
    "/partner/",
    "/ask/",
    "/request/",
    "/feeds/",
    "/auth/",
    "/language/",
    "/static/",
    "/messages/inbound/",
    # The API answers to its tokens only, never to a session: see the test below.
    "/api/",
)
#: What the API serves without a token: its description and the root pointing to it.
PUBLIC_API_ENDPOINTS = ("api-docs.openapi_json", "api_index.index")
PARTNER_OPEN_EXACT = ("/", "/thanks", "/privacy", "/workshops", "/api")


def test_every_staff_page_is_forbidden_to_partners(app, client, auth, world):
    auth.login_as(Role.PARTNER)
    for method, url in staff_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 403, (method, url, response.status_code)


def test_a_partner_reaches_no_page_but_the_public_ones_and_its_own(app, client, auth, world):
    """Every route of the map, as a partner: anything not public nor the partner's own is
    refused (403) or not found (404) — the volunteers' /me pages, the observatory…"""
    auth.login_as(Role.PARTNER)
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule in PARTNER_OPEN_EXACT or rule.rule.startswith(PARTNER_OPEN):
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code in (403, 404), (method, url, response.status_code)
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ADMIN])
def test_a_signed_in_session_opens_no_api_operation(app, client, auth, world, role):
    """The API's operations need a token (401 without one), whoever is signed in; only
    its description, /api/v1/openapi.json, and the root pointing to it are public."""
    auth.login_as(role)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint in PUBLIC_API_ENDPOINTS:
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, json={})
            assert response.status_code == 401, (method, url, response.status_code)
            checked += 1
    assert checked >= 6
    assert client.get("/api/v1/openapi.json").status_code == 200
