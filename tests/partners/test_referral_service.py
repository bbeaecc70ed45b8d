"""A partner's referral goes through the same service as every other request.

:func:`scheduler.requests.intake.create_request` is the one function behind the public
form, the phone intake and a partner's referral: a referral obeys the same rules and is
linked to its partner organisation, with the consent given to the partner recorded.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import PartnerOrganisation
from scheduler.models import Referral
from scheduler.models import Source
from scheduler.models import User
from scheduler.requests import intake

from ..booking.test_intake_service import NOW
from ..booking.test_intake_service import OPTIONS
from ..booking.test_intake_service import answers_for


def refer(world, partner_id=None, **changes):
    org = db.session.get(Organisation, world.org_id)
    partner = db.session.get(PartnerOrganisation, partner_id or world.partner_id)
    staff = db.session.scalar(sa.select(User).where(User.partner_organisation_id == partner.id))
    return intake.create_request(
        db.session,
        org,
        answers_for(world, **changes),
        options=OPTIONS,
        now=NOW,
        locale="fr_CA",
        created_by=staff,
        internal_note="Elle préfère être appelée après 14 h.",
        partner=partner,
    )


def test_a_referral_is_linked_to_its_partner_with_consent_to_the_partner(app, world):
    with app.app_context():
        created = refer(world)
        request = db.session.get(HelpRequest, created.request.id)
        assert request.partner_organisation_id == world.partner_id
        assert request.source is Source.PARTNER
        assert request.consent_to_partner_at == NOW
        assert request.referral is Referral.SOCIAL_WORKER
        assert request.referrer_name == "CCAS de Test"
        assert request.internal_notes == "Elle préfère être appelée après 14 h."
        assert request.created_by.email == "partner@example.org"
        event = request.events[0]
        assert event.detail["consent"] == intake.CONSENT_TO_PARTNER
        assert event.detail["partner_organisation_id"] == world.partner_id


def test_a_public_request_has_no_partner_and_no_consent_to_one(app, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        created = intake.create_request(
            db.session, org, answers_for(world), options=OPTIONS, now=NOW, locale="fr_CA"
        )
        assert created.request.partner_organisation_id is None
        assert created.request.consent_to_partner_at is None


def test_a_referral_obeys_the_same_rules_as_the_public_form(app, world):
    with app.app_context():
        with pytest.raises(intake.AddressRequired):
            refer(world, address=" ")
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(HelpRequest.id))) == 0


def test_a_deactivated_partner_cannot_refer(app, world):
    with app.app_context():
        db.session.get(PartnerOrganisation, world.partner_id).active = False
        db.session.commit()
        with pytest.raises(intake.PartnerNotActive):
            refer(world)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(HelpRequest.id))) == 0
