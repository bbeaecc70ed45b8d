"""The demo's devices: Drummond's eight laptops reserved for the leaders of every coming
workshop session, an overdue tablet for the dispatcher's panel; in the Nord, refurbished
computers, one already handed to each family that completed its cycle."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.demo import seed_demo
from scheduler.devices import free_devices
from scheduler.devices import overdue_loans
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import DeviceLoan
from scheduler.models import DeviceState
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import WorkshopSession

NOW = datetime(2026, 10, 6, 14, 0, tzinfo=UTC)


def test_the_demo_laptops_travel_with_the_workshops_and_one_loan_is_overdue(app):
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
        (late,) = overdue_loans(db.session, org.id, NOW.date())
        assert late.holder_name == "Famille Lemieux" and late.device.kind is DeviceKind.TABLET
        coming = db.session.scalars(
            sa.select(WorkshopSession).where(WorkshopSession.starts_at > NOW)
        ).all()
        drummond = [s for s in coming if s.series.organisation_id == org.id]
        assert drummond
        for wsession in drummond:
            day = wsession.starts_at.astimezone(ZoneInfo(org.timezone)).date()
            carried = db.session.scalars(
                sa.select(DeviceLoan).where(DeviceLoan.session_id == wsession.id)
            ).all()
            assert len(carried) == wsession.laptops_needed == 8
            assert {loan.volunteer_id for loan in carried} <= {v.id for v in wsession.leaders}
            assert free_devices(db.session, org.id, day) == []


def test_the_nord_families_that_completed_their_cycle_have_their_computer(app):
    with app.app_context():
        seed_demo(db.session, now=NOW, nord=True)
        nord = db.session.scalars(
            sa.select(Organisation).where(Organisation.slug.like("nord-%"))
        ).one()
        devices = db.session.scalars(
            sa.select(Device).where(Device.organisation_id == nord.id)
        ).all()
        refurbished = [d for d in devices if d.label.startswith("RECONDI")]
        assert len(refurbished) == 20
        assert any(d.state is DeviceState.REFURBISHING for d in refurbished)
        completed = db.session.scalars(
            sa.select(Enrolment).where(
                Enrolment.organisation_id == nord.id, Enrolment.status == EnrolmentStatus.COMPLETED
            )
        ).all()
        assert completed
        gifts = db.session.scalars(
            sa.select(DeviceLoan).where(
                DeviceLoan.organisation_id == nord.id, DeviceLoan.gift.is_(True)
            )
        ).all()
        assert {g.enrolment_id for g in gifts} == {e.id for e in completed}
        assert all(g.device.state is DeviceState.GIVEN for g in gifts)
        # Every population the observatory shows names where it comes from.
        towns = db.session.scalars(
            sa.select(Municipality).where(Municipality.organisation_id == nord.id)
        ).all()
        assert towns and all(t.population and "GeoNames" in t.population_source for t in towns)
