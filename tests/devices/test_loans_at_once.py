"""Two loans of the same device at the same instant (two desks, a series published while a
dispatcher lends the laptop): one is recorded, the other refused, on SQLite as on
PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.devices import DeviceRefused
from scheduler.devices import add_device
from scheduler.devices import lend
from scheduler.devices import loans as device_loans
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import DeviceLoan
from scheduler.models import DeviceState
from scheduler.models import utcnow
from tests.builders import org_today


def meet(barrier: threading.Barrier) -> None:
    """Wait for the other thread here; with a hold, it waits for this one to finish
    instead, and this wait gives up first."""
    try:
        barrier.wait(timeout=2)
    except threading.BrokenBarrierError:
        pass


@pytest.mark.parametrize("starts_in_days", [0, 10], ids=["handed-over-today", "reserved-ahead"])
def test_two_loans_of_one_device_at_once_make_one_loan(app, world, monkeypatch, starts_in_days):
    """Both loans check the device before either records anything: only one may have it.
    Each runs on its own connection to the same database file (or PostgreSQL server)."""
    with app.app_context():
        device = add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label="PC-11")
        db.session.commit()
        device_id = device.id
    today = org_today(app, world.org_id)
    starts_on = today + timedelta(days=starts_in_days)
    both_checked = threading.Barrier(2)
    checked = device_loans._reserved

    def check_together(session, device, starts, due):
        found = checked(session, device, starts, due)
        meet(both_checked)  # without a hold, both find the device free
        return found

    monkeypatch.setattr(device_loans, "_reserved", check_together)
    outcomes: list[str] = []

    def lend_it(holder: str) -> None:
        with app.app_context():
            device = db.session.get(Device, device_id)
            try:
                lend(
                    db.session,
                    device,
                    starts_on=starts_on,
                    due_on=starts_on + timedelta(days=7),
                    today=today,
                    actor=None,
                    now=utcnow(),
                    holder_name=holder,
                )
                db.session.commit()
                outcomes.append("lent")
            except DeviceRefused as refused:
                db.session.rollback()
                outcomes.append(refused.code)

    desks = [threading.Thread(target=lend_it, args=(f"Famille {n}",)) for n in (1, 2)]
    for desk in desks:
        desk.start()
    for desk in desks:
        desk.join(timeout=60)
    assert sorted(outcomes) == sorted(
        ["lent", "not_in_stock" if starts_in_days == 0 else "reserved"]
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(DeviceLoan.id))) == 1
        expected = DeviceState.LOANED if starts_in_days == 0 else DeviceState.IN_STOCK
        assert db.session.get(Device, device_id).state is expected


def _run_together(*jobs) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def test_two_devices_lent_at_once_get_two_receipt_numbers(app, world, monkeypatch):
    """Two desks lending two laptops in the same instant both compute the next receipt
    number: they take turns, and get R-…-0001 and R-…-0002 (on PostgreSQL the second
    one failed on the unique number)."""
    with app.app_context():
        ids = [
            add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label=f"PC-2{n}").id
            for n in (1, 2)
        ]
        db.session.commit()
    both_numbered = threading.Barrier(2)
    numbered = device_loans._receipt_number

    def number_together(session, organisation_id, year):
        number = numbered(session, organisation_id, year)
        meet(both_numbered)
        return number

    monkeypatch.setattr(device_loans, "_receipt_number", number_together)
    today = org_today(app, world.org_id)
    outcomes: list[str] = []

    def lend_one(device_id: int) -> None:
        with app.app_context():
            try:
                lend(
                    db.session,
                    db.session.get(Device, device_id),
                    starts_on=today,
                    due_on=today + timedelta(days=7),
                    today=today,
                    actor=None,
                    now=utcnow(),
                    holder_name="Famille Roy",
                )
                db.session.commit()
                outcomes.append("lent")
            except Exception as error:  # noqa: BLE001  the failure is the finding
                db.session.rollback()
                outcomes.append(type(error).__name__)

    _run_together(*(lambda i=i: lend_one(i) for i in ids))
    assert outcomes == ["lent", "lent"]
    with app.app_context():
        receipts = sorted(db.session.scalars(sa.select(DeviceLoan.receipt_number)))
    assert receipts == [f"R-{today.year}-0001", f"R-{today.year}-0002"]


def test_a_family_handed_two_devices_at_once_gets_one(app, world, monkeypatch):
    """Two desks handing a device to the same family in the same instant (two laptops):
    the family may receive one; the second desk is told it already has one."""
    from scheduler.devices import hand_over
    from scheduler.devices import handover as handovers
    from scheduler.models import Enrolment
    from scheduler.models import EnrolmentStatus

    from .test_handover import _family

    _series_id, enrolment_id = _family(app, world, EnrolmentStatus.COMPLETED)
    with app.app_context():
        add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label="RECONDI-02")
        db.session.commit()
        ids = list(db.session.scalars(sa.select(Device.id).order_by(Device.id)))
    both_checked = threading.Barrier(2)
    checked = handovers.may_receive

    def check_together(session, enrolment):
        refusal = checked(session, enrolment)
        meet(both_checked)
        return refusal

    monkeypatch.setattr(handovers, "may_receive", check_together)
    outcomes: list[str] = []

    def give_one(device_id: int) -> None:
        with app.app_context():
            try:
                hand_over(
                    db.session,
                    db.session.get(Enrolment, enrolment_id),
                    db.session.get(Device, device_id),
                    holder_name="Famille Dubois",
                    today=org_today(app, world.org_id),
                    actor=None,
                    now=utcnow(),
                )
                db.session.commit()
                outcomes.append("given")
            except DeviceRefused as refused:
                db.session.rollback()
                outcomes.append(refused.code)
            except Exception as error:  # noqa: BLE001  the failure is the finding
                db.session.rollback()
                outcomes.append(type(error).__name__)

    _run_together(*(lambda i=i: give_one(i) for i in ids))
    assert sorted(outcomes) == ["already_given", "given"]
    with app.app_context():
        gifts = db.session.scalars(sa.select(DeviceLoan).where(DeviceLoan.gift.is_(True))).all()
        assert len(gifts) == 1
