"""The demo has partner organisations, a partner login, and referrals linked to them."""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import HelpRequest
from scheduler.models import PartnerOrganisation
from scheduler.models import User


def test_the_demo_has_partners_a_partner_login_and_their_referrals(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "clsc@escouade.demo" in result.output
    with app.app_context():
        names = set(db.session.scalars(sa.select(PartnerOrganisation.name)))
        assert {"CLSC Drummond", "École primaire Saint-Pierre"} <= names
        login = db.session.scalar(sa.select(User).where(User.email == "clsc@escouade.demo"))
        assert login.partner_organisation.name == "CLSC Drummond"
        referrals = db.session.scalars(
            sa.select(HelpRequest).where(
                HelpRequest.partner_organisation_id == login.partner_organisation_id
            )
        ).all()
        assert referrals
        assert all(r.consent_to_partner_at is not None for r in referrals)
    client = app.test_client()
    client.post("/auth/login", data={"email": "clsc@escouade.demo", "password": "demo-escouade"})
    page = client.get("/partner/referrals").get_data(as_text=True)
    assert referrals[0].reference in page
