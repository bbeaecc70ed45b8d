"""Partner organisations from the administrator's pages to a partner's list of referrals.

An administrator adds a partner and invites its staff (audited); the staff member signs in
with the temporary password, refers a person through the step-by-step form with the
person's consent to the partner and a note for the dispatchers, and follows the status
of their own referrals only.
"""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.core.i18n import clock_text
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AuditEntry
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import PartnerOrganisation
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import PlanUnassigned
from scheduler.models import RequestStatus
from scheduler.models import Role
from scheduler.models import Source
from scheduler.models import User
from scheduler.models import utcnow

from ..booking.builders import all_requests
from ..booking.builders import plain
from ..booking.builders import walk
from ..builders import make_request


def partner_named(app, name: str) -> PartnerOrganisation:
    with app.app_context():
        partner = db.session.scalar(
            sa.select(PartnerOrganisation).where(PartnerOrganisation.name == name)
        )
        db.session.expunge_all()
        return partner


def test_an_admin_adds_a_partner_and_invites_its_staff_who_then_signs_in(app, client, auth):
    auth.login_as(Role.ADMIN)
    response = client.post(
        "/admin/partners",
        data={"name": "Banque alimentaire du Centre", "kind": "food_bank", "contact_email": ""},
    )
    assert response.status_code == 303
    partner = partner_named(app, "Banque alimentaire du Centre")
    assert partner.active and partner.kind.value == "food_bank"
    page = client.post(
        f"/admin/partners/{partner.id}/staff",
        data={"email": "Nadia@Banque.example", "display_name": "Nadia"},
    )
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    password = re.search(r'<span class="secret">([^<]+)</span>', page.get_data(as_text=True))
    assert password is not None
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "nadia@banque.example"))
        assert user.role is Role.PARTNER and user.partner_organisation_id == partner.id
        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
        assert {"partner.create", "partner.invite"} <= set(actions)
    auth.logout()
    signed_in = auth.login("nadia@banque.example", password.group(1))
    assert signed_in.headers["Location"] == "/partner/referrals"
    page = plain(client.get("/partner/referrals").get_data(as_text=True))
    assert "Nos orientations" in page and "Banque alimentaire du Centre" in page


def test_a_partner_asking_for_e_mails_needs_a_contact_address(app, client, auth):
    auth.login_as(Role.ADMIN)
    response = client.post(
        "/admin/partners", data={"name": "CLSC", "kind": "social_services", "notify_on_status": "y"}
    )
    assert response.status_code == 400
    assert "Entrez le courriel de contact" in plain(response.get_data(as_text=True))
    assert partner_named(app, "CLSC") is None


def test_deactivating_a_partner_stops_its_staff(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    response = client.post(f"/admin/partners/{world.partner_id}/active", data={"active": "0"})
    assert response.status_code == 303
    auth.logout()
    refused = auth.login_as(Role.PARTNER)
    assert refused.status_code == 400  # a disabled login cannot sign in


def test_a_partner_refers_a_person_through_the_booking_path(app, client, auth, world):
    auth.login_as(Role.PARTNER)
    page = plain(walk(client, world, "contact"))
    assert "Vous remplissez ce formulaire pour quelqu'un d'autre" not in page
    page = plain(walk(client, world, "check"))
    assert "Orientée par CCAS de Test" in page
    # Without the person's consent to the partner, nothing is sent, and it says why.
    refused = client.post("/ask/check", data={"note": "Rappeler après 14 h"})
    assert refused.status_code == 400
    assert "Cochez cette case une fois que la personne" in plain(refused.get_data(as_text=True))
    assert all_requests(app) == []
    sent = client.post(
        "/ask/check", data={"consent_to_partner": "y", "note": "Rappeler après 14 h"}
    )
    assert sent.status_code == 303 and sent.headers["Location"] == "/thanks"
    [stored] = all_requests(app)
    assert stored.partner_organisation_id == world.partner_id
    assert stored.source is Source.PARTNER and stored.consent_to_partner_at is not None
    assert stored.internal_notes == "Rappeler après 14 h"
    thanks = plain(client.get("/thanks").get_data(as_text=True))
    assert f"/partner/referrals/{stored.id}" in thanks
    listing = plain(client.get("/partner/referrals").get_data(as_text=True))
    assert stored.reference in listing and "Reçue" in listing
    assert "Rappeler après 14 h" not in listing


def _book(world, request_id: int, start) -> None:
    """An hour's appointment for the referral with the world's volunteer (in an app context)."""
    db.session.add(
        Appointment(
            organisation_id=world.org_id,
            kind=db.session.get(HelpRequest, request_id).mode,
            request_id=request_id,
            volunteer_id=world.volunteer_id,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=AppointmentStatus.SCHEDULED,
        )
    )


def _referral(app, world, partner_id, **fields):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        made = make_request(db.session, org, partner_organisation_id=partner_id, **fields)
        db.session.commit()
        return made.id


def test_a_partner_sees_its_referrals_statuses_and_nothing_else(app, client, auth, world):
    ours = _referral(app, world, world.partner_id, internal_notes="Chien méchant")
    planned = _referral(app, world, world.partner_id, status=RequestStatus.PLANNED)
    left_out = _referral(app, world, world.partner_id)
    theirs = _referral(app, world, world.other_partner_id)
    with app.app_context():
        start = utcnow().replace(microsecond=0) + timedelta(days=3)
        _book(world, planned, start)
        plan = Plan(
            organisation_id=world.org_id, week_start=start.date(), status=PlanStatus.PUBLISHED
        )
        db.session.add(plan)
        db.session.flush()
        db.session.add(
            PlanUnassigned(
                plan_id=plan.id,
                request_id=left_out,
                reason="no_language_match",
                detail={"languages": ["ar"], "days": [1]},
            )
        )
        db.session.commit()
    auth.login_as(Role.PARTNER)
    page = plain(client.get("/partner/referrals").get_data(as_text=True))
    assert "Planifiée" in page and "Reçue" in page
    assert "Aucun bénévole qui parle arabe n’est disponible le mardi." in page
    assert "Chien méchant" not in page and "Sylvie" not in page and "Tremblay" not in page
    assert client.get(f"/partner/referrals/{ours}").status_code == 200
    detail = plain(client.get(f"/partner/referrals/{planned}").get_data(as_text=True))
    assert "Rendez-vous" in detail and "Sylvie" not in detail
    assert client.get(f"/partner/referrals/{theirs}").status_code == 404
    assert client.get("/partner/referrals/987654").status_code == 404
    with app.app_context():
        reference = db.session.get(HelpRequest, theirs).reference
    assert reference not in page


@pytest.mark.parametrize(("language", "locale"), [("fr", "fr_CA"), ("en", "en_CA")])
def test_a_partner_reads_the_appointment_time_as_every_other_page_writes_it(
    app, client, auth, world, language, locale
):
    """ "10 h" in French, as on the person's own page and in the calendars, not "10 h 00"."""
    planned = _referral(app, world, world.partner_id, status=RequestStatus.PLANNED)
    day = utcnow().astimezone(ZoneInfo("America/Toronto")).date() + timedelta(days=3)
    start = datetime.combine(day, time(10), tzinfo=ZoneInfo("America/Toronto")).astimezone(UTC)
    with app.app_context():
        _book(world, planned, start)
        db.session.commit()
    auth.login_as(Role.PARTNER)
    client.get(f"/language/{language}")
    hour = plain(clock_text(time(10), locale))
    for path in ("/partner/referrals", f"/partner/referrals/{planned}"):
        page = plain(client.get(path).get_data(as_text=True))
        assert re.search(r", " + re.escape(hour) + r"(?![ :]\d)", page), path
        assert "10 h 00" not in page


def test_staff_and_volunteers_do_not_reach_the_partner_pages(client, auth, world):
    for role in (Role.VOLUNTEER, Role.DISPATCHER, Role.ADMIN):
        auth.login_as(role)
        assert client.get("/partner/referrals").status_code == 403, role
        auth.logout()


def test_a_partner_login_never_becomes_staff_by_a_change_of_role(app, client, auth, world):
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == "partner@example.org"))
    auth.login_as(Role.ADMIN)
    response = client.post(f"/admin/users/{user_id}/role", data={"role": "dispatcher"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).role is Role.PARTNER
    page = plain(client.get(f"/admin/users/{user_id}").get_data(as_text=True))
    assert "CCAS de Test" in page and "Personnel d'un partenaire" in page


def test_setting_a_partner_active_without_a_clear_choice_changes_nothing(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    for data in ({}, {"active": ""}, {"active": "oui"}, {"active": "01"}):
        response = client.post(f"/admin/partners/{world.partner_id}/active", data=data)
        assert response.status_code == 400
        assert "Rien n'a été changé" in plain(response.get_data(as_text=True))
        with app.app_context():
            assert db.session.get(PartnerOrganisation, world.partner_id).active
    assert (
        client.post(f"/admin/partners/{world.partner_id}/active", data={"active": "0"}).status_code
        == 303
    )
    with app.app_context():
        assert not db.session.get(PartnerOrganisation, world.partner_id).active
