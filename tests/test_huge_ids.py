"""An id in a URL too large for the database (a typo, a probe) is "not found", never a
500: the ids of every page are found from the URL map, as in test_access.py."""

from __future__ import annotations

import re

from scheduler.models import Role

HUGE = "99999999999999999999"


def id_urls(app) -> list[str]:
    """Every GET page with an integer in its URL, that integer made huge, the rest 1."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "<int:" not in rule.rule:
            continue
        url = re.sub(r"<int:[^<>]+>", HUGE, rule.rule)
        urls.append(re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", url))
    return urls


def test_a_huge_id_is_not_found_on_every_page(app, client, auth, world):
    assert id_urls(app), "no page takes an id"
    for role in (Role.ADMIN, Role.DISPATCHER):
        auth.login_as(role)
        for url in id_urls(app):
            response = client.get(url)
            assert response.status_code in (403, 404), (role, url, response.status_code)
        auth.logout()
