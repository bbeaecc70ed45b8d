"""A loan that has not started (laptops promised to a coming session, a family's loan
booked ahead) is cancelled, not returned: the device never left."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.devices import free_devices
from scheduler.models import AuditEntry
from scheduler.models import DeviceKind
from scheduler.models import DeviceLoan
from scheduler.models import DeviceState
from scheduler.models import Role
from tests.builders import org_today

from ..people.factories import text_of


def _reserve(app, client, world, starts_in_days: int) -> tuple[int, int]:
    with app.app_context():
        device = add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label="PC-07")
        db.session.commit()
        device_id = device.id
    today = org_today(app, world.org_id)
    client.post(
        f"/dispatch/devices/{device_id}/lend",
        data={
            "volunteer_id": "",
            "holder_name": "Famille Roy",
            "starts_on": (today + timedelta(days=starts_in_days)).isoformat(),
            "due_on": (today + timedelta(days=starts_in_days + 7)).isoformat(),
        },
    )
    with app.app_context():
        loan = db.session.scalars(sa.select(DeviceLoan)).one()
        return device_id, loan.id


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_future_reservation_offers_cancelling_not_recording_a_return(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    device_id, loan_id = _reserve(app, client, world, starts_in_days=10)
    page = text_of(client.get(f"/dispatch/devices/{device_id}").get_data(as_text=True))
    assert "Annuler la réservation" in page
    assert "Enregistrer le retour" not in page
    # A return posted anyway (an old page) is refused in words and records nothing.
    refused = client.post(f"/dispatch/devices/loans/{loan_id}/return", follow_redirects=True)
    assert "Annulez plutôt la réservation" in text_of(refused.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(DeviceLoan, loan_id).returned_on is None
    assert "device.return" not in _actions(app)

    cancelled = client.post(f"/dispatch/devices/loans/{loan_id}/cancel", follow_redirects=True)
    text = text_of(cancelled.get_data(as_text=True))
    assert "La réservation R-" in text and "est annulée" in text
    assert "Réservation annulée" in text
    with app.app_context():
        loan = db.session.get(DeviceLoan, loan_id)
        assert loan.cancelled_on == org_today(app, world.org_id) and loan.returned_on is None
        assert loan.device.state is DeviceState.IN_STOCK
        # Its days are free again for another session.
        day = org_today(app, world.org_id) + timedelta(days=12)
        assert [d.id for d in free_devices(db.session, world.org_id, day)] == [device_id]
    assert _actions(app)[-1] == "device.reservation_cancel"


def test_a_started_loan_still_records_its_return_and_cannot_be_cancelled(app, client, auth, world):
    auth.login_as(Role.DISPATCHER)
    device_id, loan_id = _reserve(app, client, world, starts_in_days=0)
    page = text_of(client.get(f"/dispatch/devices/{device_id}").get_data(as_text=True))
    assert "Enregistrer le retour" in page and "Annuler la réservation" not in page
    refused = client.post(f"/dispatch/devices/loans/{loan_id}/cancel", follow_redirects=True)
    assert "enregistrez plutôt le retour" in text_of(refused.get_data(as_text=True))
    back = client.post(f"/dispatch/devices/loans/{loan_id}/return", follow_redirects=True)
    assert "est de retour en stock" in text_of(back.get_data(as_text=True))
    assert _actions(app)[-1] == "device.return"
