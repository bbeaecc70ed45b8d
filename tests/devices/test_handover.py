"""A family that completes a cycle whose programme gives a device is handed one, with a
receipt, once; the series page offers it and then links the receipt."""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.models import AuditEntry
from scheduler.models import Beneficiary
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import DeviceState
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Role

from ..people.factories import text_of
from ..workshops.builders import make_series


def _family(app, world, status: EnrolmentStatus, *, gives_device: bool = True) -> tuple[int, int]:
    with app.app_context():
        series = make_series(db.session, world, gives_device=gives_device, title="Solidaires")
        person = Beneficiary(
            organisation_id=world.org_id, first_name="Famille Dubois", phone="+33320000000"
        )
        db.session.add(person)
        db.session.flush()
        enrolment = Enrolment(
            organisation_id=world.org_id,
            programme_id=series.programme_id,
            series_id=series.id,
            beneficiary_id=person.id,
            status=status,
            access_token_hash="f" * 64,
        )
        db.session.add(enrolment)
        add_device(
            db.session, world.org_id, kind=DeviceKind.LAPTOP, label="RECONDI-01", serial="SN-42"
        )
        db.session.commit()
        return series.id, enrolment.id


def test_a_completed_family_is_handed_a_device_with_a_receipt_once(app, client, auth, world):
    series_id, enrolment_id = _family(app, world, EnrolmentStatus.COMPLETED)
    auth.login_as(Role.DISPATCHER)
    series_page = text_of(
        client.get(f"/dispatch/workshops/series/{series_id}").get_data(as_text=True)
    )
    assert "Remettre un appareil" in series_page
    form = client.get(f"/dispatch/devices/handover/{enrolment_id}").get_data(as_text=True)
    assert "RECONDI-01" in form and 'value="Famille Dubois"' in form
    with app.app_context():
        device_id = db.session.scalars(sa.select(Device.id)).one()
    receipt = client.post(
        f"/dispatch/devices/handover/{enrolment_id}",
        data={"device_id": str(device_id), "holder_name": "Famille Dubois"},
        follow_redirects=True,
    )
    text = text_of(receipt.get_data(as_text=True))
    assert "Reçu de remise d’appareil" in text and "Famille Dubois" in text and "SN-42" in text
    with app.app_context():
        device = db.session.get(Device, device_id)
        assert device.state is DeviceState.GIVEN
        assert device.loans[0].enrolment_id == enrolment_id
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "device.gift"))
    again = text_of(client.get(f"/dispatch/workshops/series/{series_id}").get_data(as_text=True))
    assert "Appareil remis : reçu" in again
    twice = client.post(
        f"/dispatch/devices/handover/{enrolment_id}",
        data={"device_id": str(device_id), "holder_name": "Famille Dubois"},
    )
    assert twice.status_code in (400, 409)


def test_a_family_still_in_its_cycle_gets_no_device(app, client, auth, world):
    _series_id, enrolment_id = _family(app, world, EnrolmentStatus.ENROLLED)
    auth.login_as(Role.DISPATCHER)
    page = client.get(f"/dispatch/devices/handover/{enrolment_id}")
    assert "La famille n’a pas encore terminé le parcours." in text_of(page.get_data(as_text=True))
    with app.app_context():
        device_id = db.session.scalars(sa.select(Device.id)).one()
    refused = client.post(
        f"/dispatch/devices/handover/{enrolment_id}",
        data={"device_id": str(device_id), "holder_name": "Famille Dubois"},
    )
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.get(Device, device_id).state is DeviceState.IN_STOCK


def test_a_programme_without_devices_offers_no_handover(app, client, auth, world):
    series_id, enrolment_id = _family(app, world, EnrolmentStatus.COMPLETED, gives_device=False)
    auth.login_as(Role.DISPATCHER)
    assert "Remettre un appareil" not in client.get(
        f"/dispatch/workshops/series/{series_id}"
    ).get_data(as_text=True)
    page = client.get(f"/dispatch/devices/handover/{enrolment_id}")
    assert "Ce programme ne donne pas d’appareil." in text_of(page.get_data(as_text=True))
