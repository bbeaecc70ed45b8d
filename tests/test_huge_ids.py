"""An id in a URL too large for the database (a typo, a probe) is "not found", never a
500: the ids of every page are found from the URL map, as in test_access.py."""

from __future__ import annotations

import re

import pytest

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


def every_id_url(app, number: str) -> list[tuple[str, str]]:
    """(method, URL) of every rule with an integer in its URL, that integer ``number``."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        url = re.sub(r"<int:[^<>]+>", number, rule.rule)
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", url)
        urls += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


@pytest.mark.parametrize("number", [HUGE, "2147483648", "-1"])
def test_an_impossible_id_is_not_found_whatever_the_method(app, client, auth, world, number):
    """A number no row can have, or a negative one, is "not found" for a POST as for a GET:
    a POST to a huge workshop id answered "method not allowed" (405)."""
    urls = every_id_url(app, number)
    assert ("POST", f"/ask/workshop/{number}") in urls
    for role in (None, Role.ADMIN):
        if role is not None:
            auth.login_as(role)
        for method, url in urls:
            response = client.open(url, method=method)
            assert response.status_code == 404, (role, method, url, response.status_code)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_zero_id_is_never_a_wrong_method_or_an_error(app, client, auth, world, method):
    """Id 0 reaches the page, which finds nothing: public pages say "not found", staff
    pages ask to sign in first."""
    for verb, url in every_id_url(app, "0"):
        if verb != method:
            continue
        response = client.open(url, method=verb)
        assert response.status_code in (302, 404), (verb, url, response.status_code)
    assert client.open("/ask/workshop/0", method=method).status_code == 404


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "Page introuvable"),
        ("en", "Page not found"),
        ("ar", "الصفحة غير موجودة"),
        ("es", "Página no encontrada"),
        ("pt", "Página não encontrada"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_huge_workshop_id_is_a_not_found_page_in_the_persons_language(
    client, world, language, title, method
):
    client.get(f"/language/{language}?next=/")
    response = client.open(f"/ask/workshop/{HUGE}", method=method, data={"first_name": "Ana"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in page
    assert f'lang="{language}' in page
