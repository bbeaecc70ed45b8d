"""The one-page public form (POST ``/``, an old tab or a partner's saved page) sent twice
(a double click, two tabs) makes one request, and the second sending shows the first's
confirmation with a word."""

from __future__ import annotations

import re
import threading

import sqlalchemy as sa

from routes.booking import pages
from scheduler.core.extensions import db
from scheduler.models import FormSubmission

from .builders import all_requests
from .builders import answers
from .builders import plain


def once_key(page: str) -> str:
    found = re.search(r'name="once" value="([^"]+)"', page)
    assert found, "the one-page form carries a one-use key"
    return found.group(1)


def refused_page_key(client, world) -> str:
    """The one-page form as shown again after a mistake: it carries a fresh key."""
    page = client.post("/", data=answers(world, phone="12")).get_data(as_text=True)
    return once_key(page)


def test_the_same_form_sent_twice_makes_one_request(app, client, world):
    key = refused_page_key(client, world)
    first = client.post("/", data=answers(world, once=key))
    assert first.status_code == 303 and first.headers["Location"].endswith("/thanks")
    again = client.post("/", data=answers(world, once=key))
    assert again.status_code == 303 and again.headers["Location"].endswith("/thanks")
    assert len(all_requests(app)) == 1
    page = plain(client.get("/thanks").get_data(as_text=True))
    assert "Ce formulaire a déjà été envoyé" in page
    [stored] = all_requests(app)
    assert stored.reference in page


def test_a_saved_page_without_a_key_sent_twice_makes_one_request(app, client, world):
    assert client.post("/", data=answers(world)).status_code == 303
    again = client.post("/", data=answers(world))
    assert again.status_code == 303
    assert len(all_requests(app)) == 1
    assert "Ce formulaire a déjà été envoyé" in plain(client.get("/thanks").get_data(as_text=True))
    # Other answers are another request.
    assert client.post("/", data=answers(world, first_name="Paulette")).status_code == 303
    assert len(all_requests(app)) == 2


def test_a_refused_sending_leaves_the_key_usable_and_everything_typed(app, client, world):
    key = refused_page_key(client, world)
    refused = client.post("/", data=answers(world, once=key, phone="12"))
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Je ne reçois plus mes courriels." in page and "12, rue Principale" in page
    assert client.post("/", data=answers(world, once=key)).status_code == 303
    assert len(all_requests(app)) == 1


def test_a_forged_key_is_refused_without_creating(app, client, world):
    assert client.post("/", data=answers(world, once="<b>x</b>")).status_code == 400
    assert all_requests(app) == []


def test_two_sendings_at_the_same_instant_make_one_request(app, world, monkeypatch):
    """Both sendings are checked and past every test before either stores anything: the
    one-use key, claimed with the request, lets only one through (SQLite's write lock, or
    PostgreSQL's unique index, makes the second wait for the first and then lose). Sent
    from a saved page without a key: the answers are the key."""
    both_checked = threading.Barrier(2)
    real_key = getattr(pages, "_one_page_key", None)

    def key_together() -> str:
        try:
            both_checked.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        assert real_key is not None
        return real_key()

    monkeypatch.setattr(pages, "_one_page_key", key_together, raising=False)
    budget_left = pages.budget.budget_left

    def left_together() -> bool:
        # Before the key existed, the two sendings still meet here, after their checks.
        if real_key is None:
            try:
                both_checked.wait(timeout=3)
            except threading.BrokenBarrierError:
                pass
        return budget_left()

    monkeypatch.setattr(pages.budget, "budget_left", left_together)
    statuses: list[int] = []

    def send() -> None:
        response = app.test_client().post("/", data=answers(world))
        statuses.append(response.status_code)

    clicks = [threading.Thread(target=send) for _ in range(2)]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join(timeout=60)
    assert statuses == [303, 303]
    assert len(all_requests(app)) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(FormSubmission.id))) == 1
