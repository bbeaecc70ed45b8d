"""Two loans of the same device at the same instant (two desks, a series published while a
dispatcher lends the laptop): one is recorded, the other refused, on SQLite as on
PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date
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


@pytest.mark.parametrize("starts_in_days", [0, 10], ids=["handed-over-today", "reserved-ahead"])
def test_two_loans_of_one_device_at_once_make_one_loan(app, world, monkeypatch, starts_in_days):
    """Both loans check the device before either records anything: only one may have it.
    Each runs on its own connection to the same database file (or PostgreSQL server)."""
    with app.app_context():
        device = add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label="PC-11")
        db.session.commit()
        device_id = device.id
    today = date.today()
    starts_on = today + timedelta(days=starts_in_days)
    both_checked = threading.Barrier(2)
    checked = device_loans._reserved

    def check_together(session, device, starts, due):
        found = checked(session, device, starts, due)
        try:
            # Without a hold both find the device free; with one, the second waits for the
            # first to finish, and this wait gives up first.
            both_checked.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
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
