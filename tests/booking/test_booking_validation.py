"""Wrong answers are refused beside their field, in the page's language, keeping the rest."""

from __future__ import annotations

import html
from datetime import date
from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.models import Municipality

from .builders import all_requests
from .builders import answers
from .builders import error_for
from .builders import error_ids
from .builders import input_value
from .builders import is_checked
from .builders import other_organisation
from .builders import path_of
from .builders import plain
from .builders import private_link
from .builders import textarea_text
from .builders import walk


def post(client, world, **changes):
    response = client.post("/", data=answers(world, **changes))
    return response, response.get_data(as_text=True)


def assert_everything_else_kept(page: str) -> None:
    assert input_value(page, "first_name") == "Jeannine"
    assert input_value(page, "address") == "12, rue Principale"
    assert is_checked(page, "mode", "home")
    assert is_checked(page, "needs", "email") and is_checked(page, "needs", "public_services")
    assert not is_checked(page, "needs", "video_calls")
    assert is_checked(page, "availability", "tue-am") and is_checked(page, "availability", "thu-pm")
    assert not is_checked(page, "availability", "mon-am")
    assert is_checked(page, "languages", "ar") and is_checked(page, "languages", "fr")
    assert not is_checked(page, "languages", "es")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "123"}, "phone", "Ce numéro de téléphone semble incorrect"),
        ({"phone": "555-0142"}, "phone", "Ce numéro de téléphone semble incorrect"),
        ({"phone": "  "}, "phone", "Entrez un numéro de téléphone"),
        ({"municipality": "999999"}, "municipality", "Choisissez votre municipalité"),
        ({"municipality": "abc"}, "municipality", "Choisissez votre municipalité"),
        ({"municipality": ""}, "municipality", "Choisissez votre municipalité"),
        ({"address": ""}, "address", "Entrez votre adresse"),
        ({"consent": None}, "consent", "Cochez cette case"),
        ({"first_name": ""}, "first_name", "Entrez votre prénom"),
        ({"email": "jeannine@"}, "email", "Entrez un courriel comme"),
        ({"needs": []}, "needs", "Cochez au moins un besoin"),
        ({"needs": ["email", "gardening"]}, "needs", "Choisissez dans la liste"),
        ({"needs": ["other"], "need_details": ""}, "need_details", "Dites-nous en quelques mots"),
        ({"languages": []}, "languages", "Cochez au moins une langue"),
        ({"languages": ["fr", "xx"]}, "languages", "Choisissez dans la liste"),
        ({"availability": []}, "availability", "Cochez au moins un moment"),
        ({"availability": ["sun-am"]}, "availability", "Choisissez dans la liste"),
        ({"mode": None}, "mode", "Choisissez comment"),
        ({"mode": "teleport"}, "mode", "Choisissez comment"),
        ({"deadline": "2020-01-15"}, "deadline", "Cette date est passée"),
        ({"deadline": "31/02/2027"}, "deadline", "jour/mois/année"),
        ({"referral": "radio"}, "referral", "Choisissez dans la liste"),
        ({"for_someone_else": "y"}, "partner_name", "Entrez votre nom et votre organisme"),
        ({"need_details": "x" * 10_000}, "need_details", "1000 caractères ou moins"),
        ({"accessibility_notes": "x" * 10_000}, "accessibility_notes", "1000 caractères ou moins"),
        ({"first_name": "J" * 81}, "first_name", "80 caractères ou moins"),
    ],
)
def test_wrong_answer_is_refused_beside_its_field(app, client, world, changes, field, message):
    response, page = post(client, world, **changes)
    assert response.status_code == 400
    assert message in error_for(page, field), error_ids(page)
    assert error_ids(page) == [field]
    assert f'href="#{field}' in page  # the summary at the top links to the field
    assert all_requests(app) == []
    if not set(changes) & {"first_name", "address", "mode", "needs", "availability", "languages"}:
        assert_everything_else_kept(page)


def test_wrong_phone_is_shown_again_as_typed(client, world):
    _, page = post(client, world, phone="819 555-01")
    assert input_value(page, "phone") == "819 555-01"
    assert_everything_else_kept(page)


def test_municipality_of_another_organisation_is_refused(app, client, world):
    with app.app_context():
        _, town = other_organisation(db.session)
        town_id = town.id
    response, page = post(client, world, municipality=str(town_id))
    assert response.status_code == 400
    assert "Choisissez votre municipalité dans la liste." in error_for(page, "municipality")
    assert all_requests(app) == []
    assert_everything_else_kept(page)


def test_inactive_municipality_is_refused(app, client, world):
    with app.app_context():
        db.session.get(Municipality, world.municipality_ids["Wickham"]).active = False
        db.session.commit()
    response, page = post(client, world)
    assert response.status_code == 400
    assert "Choisissez votre municipalité" in error_for(page, "municipality")


def test_drop_in_needs_a_site_of_the_organisation(app, client, world):
    response, page = post(client, world, mode="dropin", site="424242")
    assert response.status_code == 400
    assert "Choisissez la permanence" in error_for(page, "site")
    assert all_requests(app) == []


def test_too_long_text_is_kept_so_it_can_be_shortened(client, world):
    long_text = "Bonjour " * 1250
    _, page = post(client, world, need_details=long_text)
    assert textarea_text(page, "need_details") == long_text.strip()
    assert "(il en a 9999)" in error_for(page, "need_details")


def test_html_in_text_is_stored_as_text_and_never_run(app, client, world):
    script = '<script>alert("x")</script><b onmouseover="alert(1)">hi</b>'
    response, _ = post(
        client,
        world,
        need_details=script,
        accessibility_notes=script,
        first_name="<img src=x onerror=alert(1)>",
        address="<svg onload=alert(1)>",
    )
    assert response.status_code == 303
    [stored] = all_requests(app)
    assert stored.need_details == script
    assert stored.beneficiary.accessibility_notes == script
    assert stored.beneficiary.first_name == "<img src=x onerror=alert(1)>"

    link = private_link(client.get("/thanks").get_data(as_text=True))
    page = client.get(path_of(link)).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "<b onmouseover" not in page
    assert "<img src=x" not in page
    assert "<svg onload" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert html.escape("<img src=x onerror=alert(1)>", quote=False) in page


def test_html_in_text_is_escaped_when_the_form_comes_back(client, world):
    script = "<script>alert(1)</script>"
    _, page = post(client, world, need_details=script, phone="12")
    assert "<script>alert(1)</script>" not in page
    assert textarea_text(page, "need_details") == script


def test_control_characters_are_dropped_not_a_crash(app, client, world):
    response, _ = post(client, world, need_details="ligne 1\x00\r\nligne 2\x07")
    assert response.status_code == 303
    [stored] = all_requests(app)
    assert stored.need_details == "ligne 1\nligne 2"


def test_deadline_today_is_accepted_but_next_year_and_more_is_checked(app, client, world):
    far = date.today() + timedelta(days=500)
    response, page = post(client, world, deadline=far.isoformat())
    assert response.status_code == 400
    assert "plus d'un an" in html.unescape(error_for(page, "deadline"))


def test_messages_follow_the_page_language(client, world):
    client.get("/language/en?next=/")
    response, page = post(client, world, phone="123", consent=None)
    assert response.status_code == 400
    assert "This phone number does not look right" in error_for(page, "phone")
    assert "Please tick this box" in error_for(page, "consent")
    assert "Please correct the following" in page


def test_only_the_home_visit_needs_an_address(app, client, world):
    response, _ = post(client, world, mode="phone", address="")
    assert response.status_code == 303
    [stored] = all_requests(app)
    assert stored.address is None


def test_a_number_from_abroad_written_with_its_country_code_is_accepted(app, client, world):
    response, _ = post(client, world, phone="+33 6 12 34 56 78")
    assert response.status_code == 303
    [stored] = all_requests(app)
    assert stored.beneficiary.phone == "+33612345678"


def test_error_summary_is_in_the_page_language_and_links_to_each_field(client, world):
    _, page = post(client, world, phone="123", consent=None)
    text = plain(page)
    assert "Veuillez corriger ce qui suit :" in text
    assert '<a href="#phone">Ce numéro de téléphone semble incorrect.' in text
    assert '<a href="#consent">Cochez cette case' in text
    assert "(facultatif)" in text


def test_a_less_common_language_ticked_stays_in_sight(client, world):
    page = walk(client, world, "contact")
    assert '<details class="more-languages">' in page  # folded away at first
    _, page = post(client, world, phone="123", languages=["uk"])
    assert '<details class="more-languages" open>' in page
    assert is_checked(page, "languages", "uk")
    assert not is_checked(page, "languages", "fr")
