"""Loans and gifts of devices: who has each one, until when, with a receipt number.

A loan starting today or earlier hands the device over at once (state ``loaned``); one
starting later reserves it (a leader carrying laptops to a coming session) and keeps it in
stock until then, though :func:`~scheduler.devices.inventory.free_devices` no longer
offers it for those days. A gift hands it over for good (state ``given``). Every handover
and every return is in the audit trail.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.core.validation import InputRefused
from scheduler.models import Device
from scheduler.models import DeviceLoan
from scheduler.models import DeviceState
from scheduler.models import User
from scheduler.models import Volunteer

log = logging.getLogger(__name__)

HOLDER_MAX = 120
#: The first key of PostgreSQL's advisory lock on an organisation's handovers (the
#: second is the organisation's id): a number no other lock of the application uses.
HANDOVER_LOCK = 0x0DE71CE
NOTE_MAX = 300


class DeviceRefused(Exception):
    """The device cannot go (``code``: ``not_in_stock``, ``reserved``, ``returned``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def find_loan(session: Session, organisation_id: int, loan_id: int) -> DeviceLoan | None:
    loan = session.get(DeviceLoan, loan_id)
    return loan if loan is not None and loan.organisation_id == organisation_id else None


def open_loans(session: Session, organisation_id: int) -> list[DeviceLoan]:
    """Loans and reservations not yet returned (gifts excluded), soonest due first."""
    return list(
        session.scalars(
            sa.select(DeviceLoan)
            .where(
                DeviceLoan.organisation_id == organisation_id,
                DeviceLoan.returned_on.is_(None),
                DeviceLoan.cancelled_on.is_(None),
                DeviceLoan.gift.is_(False),
            )
            .order_by(DeviceLoan.due_on, DeviceLoan.id)
        )
    )


def overdue_loans(session: Session, organisation_id: int, today: date) -> list[DeviceLoan]:
    """Loans whose device should be back before ``today`` and is not."""
    return list(
        session.scalars(
            sa.select(DeviceLoan)
            .where(
                DeviceLoan.organisation_id == organisation_id,
                DeviceLoan.returned_on.is_(None),
                DeviceLoan.cancelled_on.is_(None),
                DeviceLoan.gift.is_(False),
                DeviceLoan.due_on < today,
            )
            .order_by(DeviceLoan.due_on, DeviceLoan.id)
        )
    )


def _receipt_number(session: Session, organisation_id: int, year: int) -> str:
    """The next ``R-<year>-<n>`` of the organisation (numbers never reused)."""
    prefix = f"R-{year}-"
    numbers = session.scalars(
        sa.select(DeviceLoan.receipt_number).where(
            DeviceLoan.organisation_id == organisation_id,
            DeviceLoan.receipt_number.startswith(prefix),
        )
    )
    last = max(
        (int(n.removeprefix(prefix)) for n in numbers if n[len(prefix) :].isdigit()), default=0
    )
    return f"{prefix}{last + 1:04d}"


def _holder(volunteer: Volunteer | None, holder_name: str) -> str:
    holder_name = holder_name.strip()
    if len(holder_name) > HOLDER_MAX:
        raise InputRefused("holder_name", "too_long", limit=HOLDER_MAX)
    if volunteer is None and not holder_name:
        raise InputRefused("holder_name", "holder_missing")
    return "" if volunteer is not None else holder_name


def _reserved(session: Session, device: Device, starts_on: date, due_on: date | None) -> bool:
    """True when an open loan of ``device`` overlaps ``starts_on``–``due_on``."""
    end = due_on or date.max
    return (
        session.scalar(
            sa.select(DeviceLoan.id).where(
                DeviceLoan.device_id == device.id,
                DeviceLoan.returned_on.is_(None),
                DeviceLoan.cancelled_on.is_(None),
                DeviceLoan.starts_on <= end,
                sa.or_(DeviceLoan.due_on.is_(None), DeviceLoan.due_on >= starts_on),
            )
        )
        is not None
    )


def hold_handovers(session: Session, device: Device) -> None:
    """Hold the organisation's handovers until this transaction ends, then read
    ``device``'s state again, before anything is checked (its loans, the family's gift).

    Each handover checks what is recorded, then writes a loan and the next receipt
    number. Two at the same instant both found the device free (two loans of one device),
    the family without a gift (two gifts), or the same last number (two receipts
    R-2026-0007, and a failure). So they take turns: PostgreSQL holds a lock named after
    the organisation (an advisory lock, released at commit or rollback) and locks the
    device's row (FOR UPDATE); SQLite ignores FOR UPDATE, and there an update of the row
    takes the database's single write lock (as BEGIN IMMEDIATE would) and waits, within
    the busy timeout, for the handover that holds it.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.select(sa.func.pg_advisory_xact_lock(HANDOVER_LOCK, device.organisation_id))
        )
        session.refresh(device, ["state"], with_for_update=True)
        return
    session.execute(
        sa.update(Device)
        .where(Device.id == device.id)
        .values(state=Device.state)
        .execution_options(synchronize_session=False)
    )
    session.refresh(device, ["state"])


def _handover(
    session: Session,
    device: Device,
    *,
    volunteer: Volunteer | None,
    holder_name: str,
    starts_on: date,
    due_on: date | None,
    gift: bool,
    note: str,
    enrolment_id: int | None,
    actor: User | None,
    now: datetime,
    session_id: int | None = None,
) -> DeviceLoan:
    hold_handovers(session, device)
    if device.state is not DeviceState.IN_STOCK:
        raise DeviceRefused("not_in_stock")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise InputRefused("note", "too_long", limit=NOTE_MAX)
    holder = _holder(volunteer, holder_name)
    if due_on is not None and due_on < starts_on:
        raise InputRefused("due_on", "due_before_start")
    if _reserved(session, device, starts_on, due_on):
        raise DeviceRefused("reserved")
    loan = DeviceLoan(
        organisation_id=device.organisation_id,
        device=device,
        volunteer_id=volunteer.id if volunteer is not None else None,
        holder_name=holder,
        gift=gift,
        starts_on=starts_on,
        due_on=due_on,
        receipt_number=_receipt_number(session, device.organisation_id, starts_on.year),
        note=note,
        enrolment_id=enrolment_id,
        session_id=session_id,
        handed_over_by_id=actor.id if actor is not None else None,
        handed_over_at=now,
    )
    session.add(loan)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="device.gift" if gift else "device.loan",
        target=f"device:{device.id}",
        detail={"receipt": loan.receipt_number, "volunteer": loan.volunteer_id},
        now=now,
        organisation_id=device.organisation_id,
    )
    log.info(
        "device %s %s, receipt %s", device.id, "given" if gift else "lent", loan.receipt_number
    )
    return loan


def lend(
    session: Session,
    device: Device,
    *,
    starts_on: date,
    due_on: date,
    today: date,
    actor: User | None,
    now: datetime,
    volunteer: Volunteer | None = None,
    holder_name: str = "",
    note: str = "",
    session_id: int | None = None,
) -> DeviceLoan:
    """Lend ``device`` to a volunteer (a leader carrying it) or to a person or family.

    From ``starts_on`` up to and including ``due_on``; a loan starting after ``today`` is a
    reservation and leaves the device in stock until then.
    """
    # A mistyped year (0001, 9999) would make an absurd receipt. A year back records a loan
    # made on paper; seven ahead covers the last session of a series drafted two years
    # ahead (up to 52 sessions a month apart), whose laptops are reserved when published.
    first, last = today - timedelta(days=366), today + timedelta(days=7 * 365)
    for field, day in (("starts_on", starts_on), ("due_on", due_on)):
        if not first <= day <= last:
            raise InputRefused(field, "date_range", first=first.isoformat(), last=last.isoformat())
    loan = _handover(
        session,
        device,
        volunteer=volunteer,
        holder_name=holder_name,
        starts_on=starts_on,
        due_on=due_on,
        gift=False,
        note=note,
        enrolment_id=None,
        actor=actor,
        now=now,
        session_id=session_id,
    )
    if starts_on <= today:
        device.state = DeviceState.LOANED
    return loan


def give(
    session: Session,
    device: Device,
    *,
    holder_name: str,
    today: date,
    actor: User | None,
    now: datetime,
    enrolment_id: int | None = None,
    note: str = "",
) -> DeviceLoan:
    """Hand ``device`` over for good (a family that completed its cycle), with a receipt."""
    loan = _handover(
        session,
        device,
        volunteer=None,
        holder_name=holder_name,
        starts_on=today,
        due_on=None,
        gift=True,
        note=note,
        enrolment_id=enrolment_id,
        actor=actor,
        now=now,
    )
    device.state = DeviceState.GIVEN
    return loan


def return_device(
    session: Session, loan: DeviceLoan, *, today: date, actor: User | None, now: datetime
) -> None:
    """The device is back: in stock again. A reservation that has not started is not
    returned but cancelled (:func:`cancel_reservation`): refused with ``not_started``."""
    if not loan.open:
        raise DeviceRefused("returned")
    if loan.reserved_on(today):
        raise DeviceRefused("not_started")
    late = loan.overdue_on(today)
    loan.returned_on = today
    if loan.device.state is DeviceState.LOANED:
        loan.device.state = DeviceState.IN_STOCK
    audit.record(
        session,
        actor=actor,
        action="device.return",
        target=f"device:{loan.device_id}",
        detail={"receipt": loan.receipt_number, "late": late},
        now=now,
        organisation_id=loan.organisation_id,
    )
    log.info("device %s returned, receipt %s", loan.device_id, loan.receipt_number)


def cancel_reservation(
    session: Session, loan: DeviceLoan, *, today: date, actor: User | None, now: datetime
) -> None:
    """Call off a loan that has not started (laptops promised to a coming session, a
    family's loan booked ahead): the device never left, so no return is recorded; its
    days are free again. Refused with ``started`` once the loan has begun (record its
    return instead) and ``returned`` when it is already closed."""
    if not loan.open:
        raise DeviceRefused("returned")
    if not loan.reserved_on(today):
        raise DeviceRefused("started")
    loan.cancelled_on = today
    audit.record(
        session,
        actor=actor,
        action="device.reservation_cancel",
        target=f"device:{loan.device_id}",
        detail={"receipt": loan.receipt_number, "starts_on": loan.starts_on.isoformat()},
        now=now,
        organisation_id=loan.organisation_id,
    )
    log.info("device %s reservation cancelled, receipt %s", loan.device_id, loan.receipt_number)
