"""Robots and forged posts are stopped; people are not bothered."""

from __future__ import annotations

import re

from .builders import all_requests
from .builders import answers
from .builders import app_with_world
from .builders import booking_config
from .builders import input_value
from .builders import plain
from .builders import walk


def test_a_robot_filling_the_hidden_field_is_refused_calmly_and_nothing_is_kept(app, client, world):
    response = client.post("/", data=answers(world, website="http://spam.example"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nous n'avons pas pu envoyer ce formulaire" in page.replace("&#39;", "'")
    assert all_requests(app) == []


def test_the_hidden_field_tells_screen_reader_users_to_leave_it_empty(client, world):
    page = walk(client, world, "contact")
    block = re.search(r'<div class="honeypot">(.*?)</div>', page, re.S).group(1)
    assert "Laissez ce champ vide" in block
    assert 'tabindex="-1"' in block
    assert 'autocomplete="off"' in block


def test_after_the_budget_one_address_gets_a_friendly_429(make_app):
    app, world = app_with_world(
        make_app, RATELIMIT_ENABLED=True, BOOKING=booking_config(rate_limit="2 per hour")
    )
    client = app.test_client()
    # Three people at one address (the same answers twice would be one request).
    for name in ("Jeannine", "Paulette"):
        assert client.post("/", data=answers(world, first_name=name)).status_code == 303
    response = client.post("/", data=answers(world, first_name="Rosalie"))
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Merci de patienter un peu" in page
    assert "Attendez une heure" in page
    assert len(all_requests(app)) == 2

    other = app.test_client()
    response = other.post(
        "/", data=answers(world, first_name="Rosalie"), environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert response.status_code == 303  # the limit is per address
    assert len(all_requests(app)) == 3


def test_typing_mistakes_do_not_use_up_the_budget(make_app):
    app, world = app_with_world(
        make_app, RATELIMIT_ENABLED=True, BOOKING=booking_config(rate_limit="1 per hour")
    )
    client = app.test_client()
    for _ in range(3):
        assert client.post("/", data=answers(world, phone="12")).status_code == 400
    assert client.post("/", data=answers(world)).status_code == 303
    assert client.post("/", data=answers(world)).status_code == 429


def test_a_flood_of_bad_posts_is_stopped_too(make_app):
    app, world = app_with_world(
        make_app, RATELIMIT_ENABLED=True, BOOKING=booking_config(attempt_limit="3 per hour")
    )
    client = app.test_client()
    for _ in range(3):
        assert client.post("/", data=answers(world, phone="12")).status_code == 400
    assert client.post("/", data=answers(world)).status_code == 429
    assert client.get("/").status_code == 200  # reading the form is never limited


def test_a_post_without_the_form_token_is_refused_and_shown_again_filled_in(make_app):
    app, world = app_with_world(make_app, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/", data=answers(world, first_name="Rosalie"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Cette page est restée ouverte longtemps" in plain(page)
    assert input_value(page, "first_name") == "Rosalie"
    assert all_requests(app) == []

    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/", data={**answers(world), "csrf_token": token})
    assert response.status_code == 303
    assert len(all_requests(app)) == 1


def test_a_post_too_large_says_to_shorten_it_in_the_pages_language(client, world):
    """Over [FLASK] MAX_CONTENT_LENGTH, nothing was read: the page says so and what to do,
    not that nothing was lost and to try again in a moment (the same post would fail)."""
    walk(client, world, "what")
    response = client.post("/ask/what", data={"needs": "other", "need_details": "x" * 400_000})
    page = plain(response.get_data(as_text=True))
    assert response.status_code == 413
    assert "raccourcissez le texte le plus long" in page
    assert "réessayer dans un moment" not in page
