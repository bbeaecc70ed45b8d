"""Staff keep the inventory: add devices, lend one to a leader or a family, give one with a
receipt (page and PDF), record its return, and see overdue loans on the planning page."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.devices import lend
from scheduler.models import AuditEntry
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import DeviceLoan
from scheduler.models import DeviceState
from scheduler.models import Role
from scheduler.models import utcnow
from tests.builders import org_today

from ..html_forms import labels_outside_their_form
from ..people.factories import build_other_organisation
from ..people.factories import text_of
from ..races import other_request_inserts


def _device(label: str = "PC-01") -> Device:
    return db.session.scalars(sa.select(Device).where(Device.label == label)).one()


def test_a_dispatcher_adds_a_device_and_sees_it_in_the_inventory(app, client, auth):
    auth.login_as(Role.DISPATCHER)
    page = client.post(
        "/dispatch/devices/",
        data={"kind": "laptop", "label": "PC-01", "serial": "SN-9", "state": "in_stock"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert "PC-01" in text and "SN-9" in text
    with app.app_context():
        assert _device().state is DeviceState.IN_STOCK


def test_a_second_device_with_the_same_label_is_refused_and_the_form_keeps_what_was_typed(
    app, client, auth
):
    auth.login_as(Role.DISPATCHER)
    client.post(
        "/dispatch/devices/", data={"kind": "laptop", "label": "PC-01", "state": "in_stock"}
    )
    page = client.post(
        "/dispatch/devices/",
        data={"kind": "tablet", "label": "PC-01", "serial": "typed-serial", "state": "in_stock"},
    )
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Un autre appareil porte déjà cette étiquette." in text_of(html)
    assert 'value="typed-serial"' in html


def test_the_same_label_added_from_two_pages_at_once_is_refused_in_words(app, client, auth, world):
    """Two dispatchers (or two tabs) add "PC-07": the other page stores it just after this
    one found the label free. The database's one-label index refuses this one: a clear
    message and what was typed, not a server error."""
    auth.login_as(Role.DISPATCHER)
    with app.app_context():
        theirs = sa.insert(Device).values(
            organisation_id=world.org_id, kind=DeviceKind.LAPTOP, label="PC-07", serial=""
        )
        with other_request_inserts(db.engine, "SELECT device.id", theirs) as done:
            page = client.post(
                "/dispatch/devices/",
                data={"kind": "tablet", "label": "PC-07", "serial": "typed", "state": "in_stock"},
            )
        assert done
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Un autre appareil porte déjà cette étiquette." in text_of(html)
    assert 'value="typed"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Device.id))) == 1


def test_lending_to_a_family_prints_a_receipt_and_returning_puts_it_back_in_stock(
    app, client, auth, world
):
    auth.login_as(Role.DISPATCHER)
    client.post(
        "/dispatch/devices/", data={"kind": "laptop", "label": "PC-01", "state": "in_stock"}
    )
    with app.app_context():
        device_id = _device().id
    today = org_today(app, world.org_id)
    page = client.post(
        f"/dispatch/devices/{device_id}/lend",
        data={
            "volunteer_id": "",
            "holder_name": "Famille <b>Tremblay</b>",
            "starts_on": (today - timedelta(days=1)).isoformat(),
            "due_on": (today + timedelta(days=30)).isoformat(),
        },
        follow_redirects=True,
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Famille &lt;b&gt;Tremblay&lt;/b&gt;" in html
    assert f"R-{(today - timedelta(days=1)).year}-0001" in html
    with app.app_context():
        device = _device()
        assert device.state is DeviceState.LOANED
        loan = device.loans[0]
        assert (
            db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "device.loan"))
            is not None
        )
    pdf = client.get(f"/dispatch/devices/loans/{loan.id}/receipt?format=pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    back = client.post(f"/dispatch/devices/loans/{loan.id}/return", follow_redirects=True)
    assert "est de retour en stock" in text_of(back.get_data(as_text=True))
    with app.app_context():
        assert _device().state is DeviceState.IN_STOCK


def test_a_loan_needs_someone_and_a_return_date_after_its_start(app, client, auth):
    auth.login_as(Role.DISPATCHER)
    client.post(
        "/dispatch/devices/", data={"kind": "laptop", "label": "PC-01", "state": "in_stock"}
    )
    with app.app_context():
        device_id = _device().id
    nobody = client.post(
        f"/dispatch/devices/{device_id}/lend",
        data={
            "volunteer_id": "",
            "holder_name": "",
            "starts_on": "2026-12-01",
            "due_on": "2026-12-08",
        },
    )
    assert nobody.status_code == 400
    assert "Choisissez une personne bénévole, ou indiquez la personne ou la famille." in text_of(
        nobody.get_data(as_text=True)
    )
    backwards = client.post(
        f"/dispatch/devices/{device_id}/lend",
        data={
            "volunteer_id": "",
            "holder_name": "Famille Roy",
            "starts_on": "2026-12-08",
            "due_on": "2026-12-01",
        },
    )
    assert backwards.status_code == 400
    assert "La date de retour précède le début." in text_of(backwards.get_data(as_text=True))
    bad_date = client.post(
        f"/dispatch/devices/{device_id}/lend",
        data={
            "volunteer_id": "",
            "holder_name": "Famille Roy",
            "starts_on": "tomorrow",
            "due_on": "2026-12-01",
        },
    )
    assert bad_date.status_code == 400
    assert 'value="Famille Roy"' in bad_date.get_data(as_text=True)


def test_a_gift_records_the_handover_and_the_device_cannot_be_lent_again(app, client, auth):
    auth.login_as(Role.ADMIN)
    client.post(
        "/dispatch/devices/", data={"kind": "laptop", "label": "PC-01", "state": "in_stock"}
    )
    with app.app_context():
        device_id = _device().id
    page = client.post(
        f"/dispatch/devices/{device_id}/give",
        data={"holder_name": "Famille Dubois"},
        follow_redirects=True,
    )
    assert "Reçu de remise d’appareil" in text_of(page.get_data(as_text=True))
    again = client.post(f"/dispatch/devices/{device_id}/give", data={"holder_name": "Famille Roy"})
    assert again.status_code == 400
    with app.app_context():
        assert _device().state is DeviceState.GIVEN
        assert (
            db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "device.gift"))
            is not None
        )


def test_overdue_loans_show_on_the_planning_page_and_the_requests_home(app, client, auth, world):
    with app.app_context():
        device = add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label="PC-07")
        today = org_today(app, world.org_id)
        lend(
            db.session,
            device,
            starts_on=today - timedelta(days=20),
            due_on=today - timedelta(days=5),
            today=today,
            actor=None,
            now=utcnow(),
            holder_name="Famille Martin",
        )
        db.session.commit()
    auth.login_as(Role.DISPATCHER)
    text = text_of(client.get("/dispatch/plans").get_data(as_text=True))
    assert "1 appareil est en retard" in text and "PC-07" in text
    home = text_of(client.get("/dispatch/requests").get_data(as_text=True))
    assert "1 appareil est en retard" in home


def test_devices_of_another_organisation_are_not_found(app, client, auth):
    with app.app_context():
        other = build_other_organisation(db.session)
        device = add_device(db.session, other.org_id, kind=DeviceKind.LAPTOP, label="X-1")
        db.session.commit()
        device_id = device.id
    auth.login_as(Role.DISPATCHER)
    assert client.get(f"/dispatch/devices/{device_id}").status_code == 404
    assert (
        client.post(f"/dispatch/devices/{device_id}/give", data={"holder_name": "A"}).status_code
        == 404
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(DeviceLoan.id))) == 0


def test_volunteers_cannot_see_the_inventory(client, auth):
    auth.login_as(Role.VOLUNTEER)
    assert client.get("/dispatch/devices/").status_code == 403


def test_a_loan_in_year_9999_or_year_1_is_refused_in_words(app, client, auth):
    """A mistyped year would print a receipt R-9999-… or lend a laptop two thousand years
    ago; the days offered are a year back (recording a loan) to two years ahead."""
    auth.login_as(Role.DISPATCHER)
    client.post(
        "/dispatch/devices/", data={"kind": "laptop", "label": "PC-01", "state": "in_stock"}
    )
    with app.app_context():
        device_id = _device().id
    for starts_on, due_on in (("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-02")):
        page = client.post(
            f"/dispatch/devices/{device_id}/lend",
            data={
                "volunteer_id": "",
                "holder_name": "Famille Roy",
                "starts_on": starts_on,
                "due_on": due_on,
            },
        )
        assert page.status_code == 400
        assert "Choisissez un jour entre le" in text_of(page.get_data(as_text=True))
        assert 'value="Famille Roy"' in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(DeviceLoan)).all() == []


def test_each_label_of_the_device_page_names_a_field_of_its_own_form(app, client, auth):
    """The gift form sat below the loan form with the same field ids: its "Given to" label
    and its error link led to the loan form's "Or a person or family" field."""
    auth.login_as(Role.DISPATCHER)
    client.post(
        "/dispatch/devices/", data={"kind": "laptop", "label": "PC-01", "state": "in_stock"}
    )
    with app.app_context():
        device_id = _device().id
    page = client.get(f"/dispatch/devices/{device_id}")
    assert labels_outside_their_form(page.get_data(as_text=True)) == []
    refused = client.post(f"/dispatch/devices/{device_id}/give", data={"holder_name": ""})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert labels_outside_their_form(html) == []
    assert 'href="#give-holder_name"' in html
