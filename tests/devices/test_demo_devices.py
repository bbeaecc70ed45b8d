"""The demo organisation owns the eight laptops its workshops carry, one of them overdue,
so the dispatcher sees the overdue panel at once."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.demo import seed_demo
from scheduler.devices import free_devices
from scheduler.devices import overdue_loans
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import Organisation

NOW = datetime(2026, 10, 6, 14, 0, tzinfo=UTC)


def test_the_demo_has_eight_laptops_and_one_overdue_loan(app):
    with app.app_context():
        seed_demo(db.session, now=NOW)
        org = db.session.scalars(
            sa.select(Organisation).where(Organisation.slug == "drummond")
        ).one()
        laptops = db.session.scalars(
            sa.select(Device).where(
                Device.organisation_id == org.id, Device.kind == DeviceKind.LAPTOP
            )
        ).all()
        assert len(laptops) == 8
        today = NOW.date()
        (late,) = overdue_loans(db.session, org.id, today)
        assert late.holder_name == "Famille Lemieux"
        assert len(free_devices(db.session, org.id, today)) == 7
