"""Behaviour every page shares: language switch, headers, error pages."""

from __future__ import annotations

import logging

import pytest

from scheduler.core.logs import RedactSecretsFilter


def test_language_switch_shows_english_and_remembers_it(client, world):
    response = client.get("/language/en?next=/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en-CA" dir="ltr">' in page
    assert "Sign in" in page
    assert 'lang="fr"' in page  # the way back to French


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(client, world):
    assert client.get("/language/xx").status_code == 404
    response = client.get("/language/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target",
    ["/ask/how%0d%0aSet-Cookie:%20x=1", "/ask%0ahow", "/%09/evil.example", "/%5Cevil.example"],
)
def test_language_switch_sends_odd_targets_home_instead_of_failing(client, world, target):
    """A line break in ``next`` made the answer fail (a header cannot hold one); a
    backslash is read as a slash by browsers. Both go back to the home page."""
    response = client.get(f"/language/en?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    response = client.get(f"/auth/login?next={target}")
    assert response.status_code == 200


def test_france_organisation_reads_france_wording(app, client, world):
    from scheduler.core.extensions import db
    from scheduler.models import Organisation

    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        org.locale, org.country, org.timezone = "fr_FR", "FR", "Europe/Paris"
        db.session.commit()
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="fr-FR" dir="ltr">' in page
    assert "Adresse e-mail" in page


def test_unknown_page_is_a_friendly_404_in_french(client, world):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_pages_forbid_framing_sniffing_and_referrers(client, world):
    response = client.get("/auth/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_access_log_never_keeps_private_link_secrets():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "%s" %s',
        ("127.0.0.1", "GET /request/AbCdEfGhIjKlMnOpQrStUv12 HTTP/1.1", "200"),
        None,
    )
    RedactSecretsFilter().filter(record)
    assert "AbCdEfGhIjKlMnOpQrStUv12" not in record.getMessage()
    assert "/request/[redacted]" in record.getMessage()


def test_unexpected_error_shows_a_page_not_a_stack_trace(make_app, world):
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "secret internals" not in page
    assert "Traceback" not in page


def test_every_page_names_an_icon_the_site_serves(client, world):
    """Without an icon link, browsers ask for /favicon.ico on every page and log a 404
    in the console of each person using the site."""
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/favicon.svg")
    try:
        assert icon.status_code == 200
        assert icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg")
    finally:
        icon.close()
