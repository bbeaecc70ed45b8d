"""The observatory counts referrals by the partner organisation that sent them."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime

from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import RequestStatus
from scheduler.models import Role
from scheduler.observatory import build_dashboard
from scheduler.observatory.scope import Scope

from ..booking.builders import plain
from ..builders import make_request

MARCH = Scope(date(2026, 3, 1), date(2026, 3, 31))
IN_MARCH = datetime(2026, 3, 10, 15, tzinfo=UTC)


def test_referrals_are_counted_by_partner_with_what_became_of_them(app, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        for status in (RequestStatus.NEW, RequestStatus.DONE, RequestStatus.CANCELLED):
            make_request(
                db.session,
                org,
                partner_organisation_id=world.partner_id,
                status=status,
                created_at=IN_MARCH,
            )
        make_request(
            db.session, org, partner_organisation_id=world.other_partner_id, created_at=IN_MARCH
        )
        make_request(db.session, org, created_at=IN_MARCH)  # nobody referred it
        make_request(  # another month
            db.session,
            org,
            partner_organisation_id=world.partner_id,
            created_at=datetime(2026, 4, 2, tzinfo=UTC),
        )
        db.session.commit()
        dash = build_dashboard(db.session, org, MARCH, today=date(2026, 4, 15))
    lines = {t.key: t for t in dash.by_partner}
    assert set(lines) == {"CCAS de Test", "École des Tilleuls"}
    ccas = lines["CCAS de Test"]
    assert (ccas.received, ccas["served"], ccas["cancelled"], ccas["waiting"]) == (3, 1, 1, 1)
    assert lines["École des Tilleuls"].received == 1
    assert dash.by_partner[0].key == "CCAS de Test"  # most referrals first


def test_the_dashboard_shows_the_table_of_referrals_by_partner(app, client, auth, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        make_request(db.session, org, partner_organisation_id=world.partner_id, created_at=IN_MARCH)
        db.session.commit()
    auth.login_as(Role.DISPATCHER)
    page = client.get("/observatory?period=month&value=2026-03")
    assert page.status_code == 200
    text = plain(page.get_data(as_text=True))
    assert 'id="table-partner"' in text and "CCAS de Test" in text
