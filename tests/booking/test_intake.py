"""A dispatcher takes a request over the phone."""

from __future__ import annotations

import html

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Beneficiary
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import Source
from scheduler.models import User

from .builders import all_requests
from .builders import answers
from .builders import error_for
from .builders import other_organisation
from .builders import path_of
from .builders import private_link


def intake_answers(world, **changes):
    data = answers(world, consent="y", internal_note="A rappelé deux fois, très inquiète.")
    data.pop("website")
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_intake_page_is_for_staff_only(client, auth, world):
    response = client.get("/dispatch/intake")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.login_as(Role.VOLUNTEER)
    assert client.get("/dispatch/intake").status_code == 403
    assert client.post("/dispatch/intake", data=intake_answers(world)).status_code == 403


def test_intake_asks_about_the_caller_and_the_consent_read_aloud(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    page = html.unescape(client.get("/dispatch/intake").get_data(as_text=True))
    assert "Demande par téléphone" in page
    assert "La personne qui appelle" in page
    assert "J'ai lu l'avis de confidentialité à la personne et elle est d'accord." in page
    assert "Note interne" in page
    assert 'name="website"' not in page  # no robot trap on the staff side


def test_dispatcher_intake_stores_a_phone_request_by_that_dispatcher(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    response = client.post("/dispatch/intake", data=intake_answers(world))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/dispatch/intake/done")

    [stored] = all_requests(app)
    with app.app_context():
        dispatcher = db.session.scalars(
            sa.select(User).where(User.email == world.email_for(Role.DISPATCHER))
        ).one()
    assert stored.source is Source.PHONE
    assert stored.created_by_id == dispatcher.id
    assert stored.internal_notes == "A rappelé deux fois, très inquiète."
    assert stored.consent_at is not None
    [created] = stored.events
    assert created.user_id == dispatcher.id
    assert created.detail["consent"] == "read_to_caller"
    assert stored.locale == "fr_CA"

    done = client.get("/dispatch/intake/done")
    page = html.unescape(done.get_data(as_text=True))
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    assert stored.reference in page
    link = private_link(page)
    assert f"nous avons bien reçu votre demande {stored.reference}" in page
    assert link in page.split('id="text-message"', 1)[1]
    assert client.get(path_of(link)).status_code == 200


def test_intake_without_the_consent_read_aloud_is_refused(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    response = client.post("/dispatch/intake", data=intake_answers(world, consent=None))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Lisez l'avis de confidentialité" in html.unescape(error_for(page, "consent"))
    assert all_requests(app) == []


def test_text_for_the_caller_is_in_their_language(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    client.post("/dispatch/intake", data=intake_answers(world, languages=["en", "es"]))
    [stored] = all_requests(app)
    assert stored.locale == "en_CA"
    page = html.unescape(client.get("/dispatch/intake/done").get_data(as_text=True))
    assert f"we have your request {stored.reference}" in page


def test_a_known_caller_is_found_by_phone_and_their_record_reused(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    client.post("/dispatch/intake", data=intake_answers(world))
    [first] = all_requests(app)

    found = html.unescape(
        client.get("/dispatch/intake?lookup_phone=819.555.0142").get_data(as_text=True)
    )
    assert "Jeannine" in found and first.reference in found
    assert f"/dispatch/intake?beneficiary={first.beneficiary_id}" in found

    form = client.get(f"/dispatch/intake?beneficiary={first.beneficiary_id}")
    page = html.unescape(form.get_data(as_text=True))
    assert 'value="Jeannine"' in page
    assert "(819) 555-0142" in page
    assert f'name="beneficiary_id" type="hidden" value="{first.beneficiary_id}"' in page

    data = intake_answers(
        world, beneficiary_id=str(first.beneficiary_id), email="jeannine@example.com"
    )
    assert client.post("/dispatch/intake", data=data).status_code == 303
    first_again, second = all_requests(app)
    assert second.beneficiary_id == first.beneficiary_id
    assert second.beneficiary.email == "jeannine@example.com"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Beneficiary.id))) == 1


def test_unknown_caller_number_says_so(client, auth, world):
    auth.login_as(Role.DISPATCHER)
    page = html.unescape(
        client.get("/dispatch/intake?lookup_phone=819 555 0199").get_data(as_text=True)
    )
    assert "Personne n'a encore ce numéro" in page
    page = html.unescape(client.get("/dispatch/intake?lookup_phone=12").get_data(as_text=True))
    assert "Ce numéro de téléphone semble incorrect" in page


def test_a_record_of_another_organisation_is_never_reused(app, client, auth, world):
    with app.app_context():
        org, _ = other_organisation(db.session)
        stranger = Beneficiary(organisation=org, first_name="Rosalind", phone="+18195550142")
        db.session.add(stranger)
        db.session.commit()
        stranger_id = stranger.id
    auth.login_as(Role.DISPATCHER)
    page = client.get(f"/dispatch/intake?beneficiary={stranger_id}").get_data(as_text=True)
    assert "Rosalind" not in page
    response = client.post(
        "/dispatch/intake", data=intake_answers(world, beneficiary_id=str(stranger_id))
    )
    assert response.status_code == 400
    assert "La fiche de cette personne est introuvable" in response.get_data(as_text=True)
    assert all_requests(app) == []
    found = client.get("/dispatch/intake?lookup_phone=8195550142").get_data(as_text=True)
    assert "Rosalind" not in found


def test_done_page_links_to_the_request_in_the_inbox(client, auth, app, world):
    auth.login_as(Role.DISPATCHER)
    client.post("/dispatch/intake", data=intake_answers(world))
    [stored] = all_requests(app)
    page = client.get("/dispatch/intake/done").get_data(as_text=True)
    assert f'href="/dispatch/requests/{stored.id}"' in page


def test_admin_may_take_calls_too(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    assert client.post("/dispatch/intake", data=intake_answers(world)).status_code == 303
    [stored] = all_requests(app)
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        assert stored.organisation_id == org.id


def test_a_caller_id_too_large_for_the_database_is_simply_unknown(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    huge = "99999999999999999999"
    assert client.get(f"/dispatch/intake?beneficiary={huge}").status_code == 200
    response = client.post("/dispatch/intake", data=intake_answers(world, beneficiary_id=huge))
    assert response.status_code in (303, 400), response.status_code
