"""The embedded database keeps the same referential rules as PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import Organisation

from .builders import make_request


def test_deleting_a_person_unlinks_their_requests_instead_of_leaving_a_dangling_id(app, world):
    with app.app_context():
        org = db.session.get_one(Organisation, world.org_id)
        request = make_request(db.session, org)
        db.session.commit()
        request_id, person_id = request.id, request.beneficiary_id
        db.session.execute(sa.delete(Beneficiary).where(Beneficiary.id == person_id))
        db.session.commit()
        db.session.expire_all()
        assert db.session.get_one(HelpRequest, request_id).beneficiary_id is None


def test_a_row_pointing_at_nothing_is_refused(app, world):
    with app.app_context():
        org = db.session.get_one(Organisation, world.org_id)
        request = make_request(db.session, org)
        db.session.commit()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(
                sa.update(HelpRequest)
                .where(HelpRequest.id == request.id)
                .values(municipality_id=999_999_999)
            )
            db.session.flush()
        db.session.rollback()
