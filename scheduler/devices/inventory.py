"""The inventory: adding devices, listing them, and moving them between the states a
person sets by hand (in stock, being refurbished, retired).

``loaned`` and ``given`` are set only by :mod:`scheduler.devices.loans`, so a device's
state and its open loan can never disagree.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.core.validation import InputRefused
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import DeviceLoan
from scheduler.models import DeviceState
from scheduler.models import User

log = logging.getLogger(__name__)

LABEL_MAX = 60
SERIAL_MAX = 80
NOTES_MAX = 500
#: The states a person may choose on the inventory page.
HAND_STATES = (DeviceState.IN_STOCK, DeviceState.REFURBISHING, DeviceState.RETIRED)


def devices(session: Session, organisation_id: int) -> list[Device]:
    """Every device of the organisation, by label."""
    return list(
        session.scalars(
            sa.select(Device)
            .where(Device.organisation_id == organisation_id)
            .order_by(Device.label)
        )
    )


def find_device(session: Session, organisation_id: int, device_id: int) -> Device | None:
    device = session.get(Device, device_id)
    return device if device is not None and device.organisation_id == organisation_id else None


def free_devices(
    session: Session, organisation_id: int, day: date, kind: DeviceKind = DeviceKind.LAPTOP
) -> list[Device]:
    """Devices of ``kind`` that can leave with a leader on ``day``: in stock, and not
    reserved for a loan that covers ``day``.

    A device out now counts as busy whatever its due date: it is promised again only once
    it is back, never on the strength of a date.
    """
    reserved = sa.select(DeviceLoan.device_id).where(
        DeviceLoan.organisation_id == organisation_id,
        DeviceLoan.returned_on.is_(None),
        DeviceLoan.cancelled_on.is_(None),
        DeviceLoan.starts_on <= day,
        sa.or_(DeviceLoan.due_on.is_(None), DeviceLoan.due_on >= day),
    )
    return list(
        session.scalars(
            sa.select(Device)
            .where(
                Device.organisation_id == organisation_id,
                Device.kind == kind,
                Device.state == DeviceState.IN_STOCK,
                Device.id.not_in(reserved),
            )
            .order_by(Device.label)
        )
    )


def _text(value: str, field: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise InputRefused(field, "too_long", limit=limit)
    return value


def add_device(
    session: Session,
    organisation_id: int,
    *,
    kind: DeviceKind,
    label: str,
    serial: str = "",
    notes: str = "",
    acquired_at: date | None = None,
    state: DeviceState = DeviceState.IN_STOCK,
) -> Device:
    """A new device in the inventory; its label is unique in the organisation."""
    label = _text(label, "label", LABEL_MAX)
    if not label:
        raise InputRefused("label", "label_missing")
    if state not in HAND_STATES:
        raise InputRefused("state", "not_a_choice")
    taken = session.scalar(
        sa.select(Device.id).where(Device.organisation_id == organisation_id, Device.label == label)
    )
    if taken is not None:
        raise InputRefused("label", "label_taken")
    device = Device(
        organisation_id=organisation_id,
        kind=kind,
        label=label,
        serial=_text(serial, "serial", SERIAL_MAX),
        notes=_text(notes, "notes", NOTES_MAX),
        acquired_at=acquired_at,
        state=state,
    )
    session.add(device)
    try:
        session.flush()
    except IntegrityError:
        # Another page added the same label between the check and now (two dispatchers,
        # two tabs): the database's one-label index refuses it; the caller rolls back.
        raise InputRefused("label", "label_taken") from None
    log.info("device %s added (%s)", device.id, kind.value)
    return device


def change_state(
    session: Session, device: Device, state: DeviceState, *, actor: User | None, now: datetime
) -> None:
    """Set a state by hand. A device out on loan or given comes back only by its return."""
    if state not in HAND_STATES:
        raise InputRefused("state", "not_a_choice")
    if device.state in (DeviceState.LOANED, DeviceState.GIVEN):
        raise InputRefused("state", "device_out")
    if device.state is state:
        return
    before = device.state
    device.state = state
    audit.record(
        session,
        actor=actor,
        action="device.state",
        target=f"device:{device.id}",
        detail={"from": before.value, "to": state.value},
        now=now,
        organisation_id=device.organisation_id,
    )
