"""A person asks for help through the public form, in each mode."""

from __future__ import annotations

import pytest

from scheduler.core.extensions import db
from scheduler.core.tokens import hash_token
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import RequestStatus
from scheduler.models import Site
from scheduler.models import Source

from .builders import all_requests
from .builders import answers
from .builders import other_organisation
from .builders import path_of
from .builders import plain
from .builders import private_link
from .builders import walk


def test_form_speaks_french_by_default(client, world):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="fr-CA" dir="ltr">' in page
    assert "Quelqu'un vient chez moi" in page
    assert "On m'appelle" in page
    assert "Je viens à une permanence" in page
    assert "Question 1 sur 6" in page


def test_form_switches_to_english_in_one_click(client, world):
    client.get("/language/en?next=/")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en-CA" dir="ltr">' in page
    assert "Someone comes to my home" in page
    assert "Question 1 of 6" in page


def test_form_offers_the_territory_and_active_sites_only(app, client, world):
    with app.app_context():
        db.session.get(Municipality, world.municipality_ids["L'Avenir"]).active = False
        db.session.add(
            Site(
                organisation_id=world.org_id,
                name="Local fermé",
                address="1, rue Fermée",
                lat=45.9,
                lon=-72.5,
                active=False,
            )
        )
        other_organisation(db.session)
    page = walk(client, world, "where", mode="dropin")
    assert ">Wickham</option>" in page
    assert "Avenir" not in page
    assert "Victoriaville" not in page
    assert "Local Brock" in page
    assert "Local fermé" not in page


def test_form_shows_drop_in_hours_in_local_time(client, world):
    page = plain(walk(client, world, "where", mode="dropin"))
    assert "Mardi, 9 h – 10 h" in page


def test_form_names_languages_in_their_own_words(client, world):
    page = walk(client, world, "contact")
    assert '<span class="option__label" lang="ar" dir="auto">العربية</span>' in page
    assert "Español" in page
    assert "Українська" in page


def test_form_is_built_for_phones_and_screen_readers(client, world):
    page = walk(client, world, "contact")
    assert 'type="tel"' in page and 'inputmode="tel"' in page and 'autocomplete="tel"' in page
    assert 'autocomplete="given-name"' in page
    assert 'autocomplete="email"' in page
    assert "<legend" in page and "<fieldset" in page
    assert '<label for="first_name"' in page or 'for="first_name"' in page
    assert 'name="viewport"' in page
    assert "booking.css" in page
    assert "<script>" not in page  # scripts only as files (CSP)
    assert " style=" not in page


@pytest.mark.parametrize(
    ("mode", "extra", "duration"),
    [
        (Mode.HOME, {}, 90),
        (Mode.PHONE, {"address": "should not be kept"}, 30),
        (Mode.DROPIN, {"address": "should not be kept"}, 60),
    ],
)
def test_each_mode_is_stored_with_its_own_fields(app, client, world, mode, extra, duration):
    data = answers(world, mode=mode.value, **extra)
    if mode is Mode.DROPIN:
        data["site"] = str(world.site_id)
    response = client.post("/", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/thanks")

    [stored] = all_requests(app)
    assert stored.mode is mode
    assert stored.status is RequestStatus.NEW
    assert stored.source is Source.ONLINE
    assert stored.needs == ["email", "public_services"]
    assert stored.municipality_id == world.municipality_ids["Wickham"]
    assert stored.availability == ["tue-am", "thu-pm"]
    assert stored.any_time is False
    assert stored.languages == ["fr", "ar"]
    assert stored.locale == "fr_CA"
    assert stored.duration_min == duration
    assert stored.consent_at is not None
    assert stored.created_by_id is None
    assert (stored.lat, stored.lon, stored.location_approximate) == (45.75, -72.5, True)
    assert stored.beneficiary.first_name == "Jeannine"
    assert stored.beneficiary.phone == "+18195550142"
    assert stored.beneficiary.email is None
    assert [e.kind for e in stored.events] == ["created"]
    assert stored.reference.startswith("ESC-")
    if mode is Mode.HOME:
        assert stored.address == "12, rue Principale"
        assert stored.site_id is None
    else:
        assert stored.address is None
    if mode is Mode.DROPIN:
        assert stored.site_id == world.site_id
    else:
        assert stored.site_id is None


def test_confirmation_shows_the_reference_and_a_private_link_that_works(app, client, world):
    client.post("/", data=answers(world))
    [stored] = all_requests(app)
    done = client.get("/thanks")
    page = done.get_data(as_text=True)
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    assert "Votre demande est envoyée" in page
    assert stored.reference in page
    link = private_link(page)
    token = link.rsplit("/", 1)[1]
    assert link.startswith("http://localhost/request/")
    assert hash_token(token) == stored.access_token_hash
    assert token not in stored.access_token_hash

    status = client.get(path_of(link))
    status_page = status.get_data(as_text=True)
    assert status.status_code == 200
    assert stored.reference in status_page
    assert "Nous avons reçu votre demande" in status_page
    assert "(819) 555-0142" in status_page  # shown the way people write it
    assert "Annuler ma demande" in status_page


def test_confirmation_without_a_fresh_request_goes_back_to_the_form(client, world):
    response = client.get("/thanks")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")


def test_filling_in_for_someone_else_is_a_partner_request(app, client, world):
    data = answers(
        world,
        for_someone_else="y",
        partner_name="Marie, intervenante, CLSC Drummond",
        referral="social_worker",
        referral_name="CLSC Drummond",
        email="jeannine@example.com",
    )
    assert client.post("/", data=data).status_code == 303
    [stored] = all_requests(app)
    assert stored.source is Source.PARTNER
    assert stored.referral.value == "social_worker"
    assert stored.referrer_name == "Marie, intervenante, CLSC Drummond · CLSC Drummond"
    assert stored.beneficiary.email == "jeannine@example.com"


def test_any_time_needs_no_grid(app, client, world):
    data = answers(world, any_time="y", availability=["mon-am"])
    assert client.post("/", data=data).status_code == 303
    [stored] = all_requests(app)
    assert stored.any_time is True
    assert stored.availability == []


def test_a_deadline_is_kept(app, client, world):
    from datetime import date
    from datetime import timedelta

    deadline = date.today() + timedelta(days=10)
    assert client.post("/", data=answers(world, deadline=deadline.isoformat())).status_code == 303
    [stored] = all_requests(app)
    assert stored.deadline == deadline


def test_a_request_made_in_english_remembers_english(app, client, world):
    client.get("/language/en?next=/")
    assert client.post("/", data=answers(world)).status_code == 303
    [stored] = all_requests(app)
    assert stored.locale == "en_CA"
    page = client.get("/thanks").get_data(as_text=True)
    assert "Your request is sent" in page


def test_france_organisation_reads_france_wording_and_numbers(app, client, world):
    from scheduler.models import Organisation

    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        org.locale, org.country, org.timezone = "fr_FR", "FR", "Europe/Paris"
        db.session.commit()
    assert "Utiliser mon portable" in walk(client, world, "what")
    assert "Votre commune" in walk(client, world, "where")
    assert "Votre adresse e-mail" in walk(client, world, "contact")
    response = client.post("/", data=answers(world, phone="06 12 34 56 78"))
    assert response.status_code == 303
    [stored] = all_requests(app)
    assert stored.beneficiary.phone == "+33612345678"
    assert stored.locale == "fr_FR"


def test_confirmation_is_not_left_for_the_next_person_on_a_shared_computer(client, world):
    assert client.post("/", data=answers(world)).status_code == 303
    assert client.get("/thanks").status_code == 200  # a reload still works
    with client.session_transaction() as session:
        kept = dict(session["booking_done"])
        kept["until"] -= 31 * 60
        session["booking_done"] = kept  # a new value, so that the session is saved
    response = client.get("/thanks")
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "booking_done" not in session
