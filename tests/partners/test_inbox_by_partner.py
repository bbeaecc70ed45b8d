"""The dispatcher's inbox names the referring partner and filters by partner."""

from __future__ import annotations

from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import Role

from ..booking.builders import plain
from ..builders import make_request


def test_the_inbox_shows_the_partner_and_filters_by_it(app, client, auth, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        ours = make_request(db.session, org, partner_organisation_id=world.partner_id)
        theirs = make_request(db.session, org, partner_organisation_id=world.other_partner_id)
        alone = make_request(db.session, org)
        db.session.commit()
        references = ours.reference, theirs.reference, alone.reference
    auth.login_as(Role.DISPATCHER)
    page = plain(client.get("/dispatch/requests").get_data(as_text=True))
    assert "Orientée par" in page or "Orienté par" in page
    assert "CCAS de Test" in page and "École des Tilleuls" in page
    assert all(reference in page for reference in references)
    filtered = client.get(f"/dispatch/requests?partner={world.partner_id}")
    assert filtered.status_code == 200
    page = plain(filtered.get_data(as_text=True))
    assert references[0] in page
    assert references[1] not in page and references[2] not in page
    # A partner of nowhere is said, not a crash, and filters nothing out.
    unknown = client.get("/dispatch/requests?partner=987654")
    assert unknown.status_code == 400
    assert references[2] in plain(unknown.get_data(as_text=True))


def test_the_request_page_names_the_partner_that_follows_it(app, client, auth, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org, partner_organisation_id=world.partner_id)
        db.session.commit()
        request_id = request.id
    auth.login_as(Role.DISPATCHER)
    page = plain(client.get(f"/dispatch/requests/{request_id}").get_data(as_text=True))
    assert "CCAS de Test" in page
