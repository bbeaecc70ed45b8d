"""The public form, one question per screen: answers wait on the server until sent."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import BookingDraft
from scheduler.models import utcnow
from scheduler.requests.drafts import forget_stale_drafts

from .builders import all_requests
from .builders import answers
from .builders import error_for
from .builders import is_checked
from .builders import path_of
from .builders import plain
from .builders import private_link
from .builders import step_data
from .builders import walk


def drafts(app) -> list[BookingDraft]:
    with app.app_context():
        found = db.session.scalars(sa.select(BookingDraft)).all()
        db.session.expunge_all()
        return list(found)


def test_each_screen_asks_one_question_and_says_where_the_person_is(client, world):
    page = plain(client.get("/").get_data(as_text=True))
    assert "Question 1 sur 6" in page
    assert "Comment voulez-vous être aidé?" in page
    assert 'name="needs"' not in page and 'name="phone"' not in page
    assert "Retour" not in page  # nothing before the first screen
    page = plain(walk(client, world, "when"))
    assert "Question 4 sur 6" in page
    assert 'href="/ask/where"' in page  # the back link
    assert 'name="availability"' in page and 'name="first_name"' not in page


def test_an_abandoned_form_leaves_no_request_and_its_draft_is_erased(app, client, world):
    walk(client, world, "contact")
    assert all_requests(app) == []
    [draft] = drafts(app)
    assert draft.answers["address"] == ["12, rue Principale"]
    assert draft.done_steps == ["how", "what", "where", "when"]
    with app.app_context():
        assert forget_stale_drafts(db.session, utcnow(), timedelta(minutes=120)) == 0
        later = utcnow() + timedelta(minutes=121)
        assert forget_stale_drafts(db.session, later, timedelta(minutes=120)) == 1
    assert drafts(app) == []
    # The person comes back later: the answers are gone, said in plain words.
    response = client.get("/ask/when")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Vos réponses ont été effacées après une longue pause" in plain(page)


def test_the_browser_keeps_only_the_key_of_its_draft(client, world):
    walk(client, world, "contact")
    with client.session_transaction() as session:
        kept = dict(session)
    assert set(kept) >= {"booking_draft"}
    assert "Jeannine" not in repr(kept) and "Principale" not in repr(kept)


def test_sending_from_the_check_page_creates_one_request_and_deletes_the_draft(app, client, world):
    page = plain(walk(client, world, "check"))
    assert "Vérifiez vos réponses" in page
    for text in ("Quelqu'un vient chez moi", "12, rue Principale", "Mardi matin", "Jeannine"):
        assert text in page
    assert page.count(">Modifier<") >= 6
    response = client.post("/ask/check")
    assert response.status_code == 303 and response.headers["Location"] == "/thanks"
    [stored] = all_requests(app)
    assert stored.address == "12, rue Principale"
    assert stored.languages == ["fr", "ar"]
    assert stored.locale == "fr_CA"
    assert drafts(app) == []
    link = path_of(private_link(client.get("/thanks").get_data(as_text=True)))
    assert client.get(link).status_code == 200
    # Sending twice (a double tap) does not make a second request.
    assert client.post("/ask/check").status_code == 303
    assert len(all_requests(app)) == 1


def test_the_check_page_shows_the_phone_number_as_it_will_be_kept(client, world):
    """Typed in Arabic-Indic digits, "٨١٩ ٥٥٥ ٠١٤٢" would come out with its groups in the
    reverse order on the page; the person checks the number we will call instead."""
    page = walk(client, world, "check", phone="٨١٩ ٥٥٥ ٠١٤٢")
    assert ">(819) 555-0142</span>" in page
    assert "٠١٤٢" not in page
    # What cannot be read is shown as typed (the contact screen has already refused it).
    assert "(819) 555-0142" in walk(client, world, "check", phone="819 555-0142")


def test_a_second_tap_arriving_after_the_first_was_sent_shows_the_same_confirmation(
    app, client, world
):
    """The browser had not yet taken the first answer's cookie: the second send carries the
    same draft key, finds the draft gone into the request, and is shown its confirmation
    rather than « your answers were erased »."""
    walk(client, world, "check")
    cookie = client.get_cookie("session").value
    first = client.post("/ask/check", data={})
    assert (first.status_code, first.headers["Location"]) == (303, "/thanks")
    client.set_cookie("session", cookie)  # the old cookie, as the second tap sends it
    second = client.post("/ask/check", data={})
    assert (second.status_code, second.headers["Location"]) == (303, "/thanks")
    [stored] = all_requests(app)
    page = client.get("/thanks").get_data(as_text=True)
    assert stored.reference in page
    assert "erased" not in page and "effacées" not in page


def test_a_double_tap_on_send_makes_one_request_and_both_taps_show_its_confirmation(
    app, client, world, live_server, monkeypatch
):
    """Both taps of « Envoyer ma demande » reach the server with the same draft in the same
    instant: one request is made, and whichever answer the browser shows leads to its
    confirmation, never to an error page or a second request.

    The server answers each tap in a thread of its own: both are held once they have read
    the draft, until the other has read it too, so that both go on to send it."""
    import http.client
    import threading
    from urllib.parse import urlsplit

    from scheduler.requests import drafts as draft_store

    walk(client, world, "check")
    cookie = f"session={client.get_cookie('session').value}"
    both_read = threading.Barrier(2, timeout=10)
    tapping = threading.Event()
    held: list[str] = []
    found = draft_store.find_draft

    def read_together(*args, **kwargs):
        draft = found(*args, **kwargs)
        if tapping.is_set() and threading.current_thread() is not threading.main_thread():
            both_read.wait()
            held.append(threading.current_thread().name)
        return draft

    monkeypatch.setattr(draft_store, "find_draft", read_together)
    server = urlsplit(live_server)
    answers: list[tuple[int, str, str]] = []

    def tap() -> None:
        connection = http.client.HTTPConnection(server.hostname, server.port, timeout=30)
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/ask/check", body="", headers=headers)
        answer = connection.getresponse()
        kept = (answer.getheader("Set-Cookie") or cookie).split(";")[0]
        answers.append((answer.status, answer.getheader("Location") or "", kept))

    taps = [threading.Thread(target=tap, name=f"tap-{n}") for n in range(2)]
    tapping.set()
    for one in taps:
        one.start()
    for one in taps:
        one.join(timeout=30)
    tapping.clear()
    # Two server threads read the draft before either sent it: the race took place.
    assert len(set(held)) == 2, held
    assert [(status, where) for status, where, _ in answers] == [(303, "/thanks")] * 2
    [stored] = all_requests(app)
    for _, _, kept in answers:
        connection = http.client.HTTPConnection(server.hostname, server.port, timeout=30)
        connection.request("GET", "/thanks", headers={"Cookie": kept})
        page = connection.getresponse().read().decode()
        assert stored.reference in page


def test_a_screen_cannot_be_skipped(client, world):
    response = client.get("/ask/contact")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    client.post("/ask/how", data=step_data(world, "how"))
    assert client.get("/ask/check").headers["Location"] == "/ask/what"
    assert client.post("/ask/when", data=step_data(world, "when")).status_code == 303
    assert client.get("/ask/nowhere").status_code == 404


def test_a_mistake_stays_on_its_screen_with_what_was_typed(client, world):
    walk(client, world, "contact")
    data = step_data(world, "contact", phone="123", first_name="Réjeanne")
    response = client.post("/ask/contact", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ce numéro de téléphone" in error_for(page, "phone")
    assert 'value="Réjeanne"' in page
    assert error_for(page, "address") == ""  # other screens' questions are not judged here


def test_only_what_the_mode_needs_is_asked(client, world):
    page = walk(client, world, "where", mode="phone")
    assert 'name="municipality"' in page and 'name="address"' not in page
    assert 'name="site"' not in page
    page = walk(client, world, "where", mode="dropin")
    assert 'name="site"' in page and 'name="address"' not in page
    page = walk(client, world, "where", mode="home")
    assert 'name="address"' in page


def test_changing_the_way_of_help_asks_where_again_then_returns_to_check(app, client, world):
    walk(client, world, "check", mode="phone", address="")
    response = client.post("/ask/how?change=1", data={"mode": "home"})
    assert response.headers["Location"] == "/ask/where?change=1"  # an address is now needed
    response = client.post(
        "/ask/where?change=1",
        data={"municipality": str(world.municipality_ids["Wickham"]), "address": "3, rang 4"},
    )
    assert response.headers["Location"] == "/ask/check"
    page = plain(client.get("/ask/check").get_data(as_text=True))
    assert "3, rang 4" in page
    # A change that needs nothing else goes straight back.
    response = client.post("/ask/when?change=1", data={"any_time": "y"})
    assert response.headers["Location"] == "/ask/check"


def test_unticking_a_box_on_a_screen_really_unticks_it(client, world):
    walk(client, world, "check")
    client.post("/ask/what", data={"needs": ["email"]})
    page = client.get("/ask/what").get_data(as_text=True)
    assert is_checked(page, "needs", "email")
    assert not is_checked(page, "needs", "public_services")


def test_a_robot_on_the_last_screen_is_refused_and_nothing_is_kept(app, client, world):
    walk(client, world, "contact")
    data = step_data(world, "contact", website="http://spam.example")
    response = client.post("/ask/contact", data=data)
    assert response.status_code == 400
    assert all_requests(app) == []


def test_the_one_page_post_still_works(app, client, world):
    response = client.post("/", data=answers(world))
    assert response.status_code == 303 and response.headers["Location"].endswith("/thanks")
    assert len(all_requests(app)) == 1


def test_the_browser_language_picks_the_first_screens_language(client, world):
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in page
    assert "¿Cómo quiere recibir ayuda?" in page
    page = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    page = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert '<html lang="fr-CA" dir="ltr">' in page  # not offered: the organisation's
    # A choice made on the page wins over the browser.
    client.get("/language/pt?next=/")
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="pt" dir="ltr">' in page


def test_the_first_screen_offers_the_languages_by_their_own_names(client, world):
    page = client.get("/").get_data(as_text=True)
    for code, name in [
        ("fr", "Français"),
        ("en", "English"),
        ("ar", "العربية"),
        ("es", "Español"),
        ("pt", "Português"),
    ]:
        assert f'lang="{code}"' in page and name in page


def test_an_organisation_offers_its_own_languages(make_app):
    from .builders import app_with_world

    app, world = app_with_world(
        make_app, PUBLIC={"languages": ["fr", "en"], "organisation_languages": {}}
    )
    client = app.test_client()
    page = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="fr-CA" dir="ltr">' in page
    assert "العربية</a>" not in page
    assert client.get("/language/ar?next=/").status_code == 404


def test_a_private_link_opens_in_the_requests_language(app, client, world):
    client.get("/language/es?next=/")
    walk(client, world, "check")
    client.post("/ask/check")
    link = path_of(private_link(client.get("/thanks").get_data(as_text=True)))
    [stored] = all_requests(app)
    assert stored.locale == "es"
    fresh = app.test_client()  # another browser, which prefers French
    page = fresh.get(link, headers={"Accept-Language": "fr-CA"}).get_data(as_text=True)
    assert "Su solicitud" in page and '<html lang="es"' in page
    fresh.get("/language/en?next=/")
    assert "Your request" in fresh.get(link).get_data(as_text=True)


def test_a_request_sent_from_the_form_writes_one_log_line_without_personal_data(
    client, world, caplog
):
    walk(client, world, "check")
    with caplog.at_level("INFO", logger="scheduler"):
        client.post("/ask/check")
    [line] = [
        r.getMessage() for r in caplog.records if "sent from the public form" in r.getMessage()
    ]
    assert line.startswith("request ESC-") and "in fr_CA (home)" in line
    assert "Jeannine" not in line and "555" not in line
