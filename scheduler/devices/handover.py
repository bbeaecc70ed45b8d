"""Handing a device to a family that completed a cycle whose programme gives one.

One device per completed enrolment: the gift records the enrolment, so the receipt, the
inventory and the family's cycle point at each other.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Device
from scheduler.models import DeviceLoan
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import User

from .loans import DeviceRefused
from .loans import give
from .loans import hold_handovers


def gift_for(session: Session, enrolment_id: int) -> DeviceLoan | None:
    """The device already handed over for this enrolment, if any."""
    return session.scalar(
        sa.select(DeviceLoan).where(
            DeviceLoan.enrolment_id == enrolment_id, DeviceLoan.gift.is_(True)
        )
    )


def may_receive(session: Session, enrolment: Enrolment) -> str | None:
    """``None`` when the family may receive a device now, else the refusal's code."""
    if not enrolment.programme.gives_device:
        return "no_device_programme"
    if enrolment.status is not EnrolmentStatus.COMPLETED:
        return "not_completed"
    if gift_for(session, enrolment.id) is not None:
        return "already_given"
    return None


def hand_over(
    session: Session,
    enrolment: Enrolment,
    device: Device,
    *,
    holder_name: str,
    today: date,
    actor: User | None,
    now: datetime,
) -> DeviceLoan:
    """Give ``device`` to the family of a completed ``enrolment``, with a receipt."""
    if device.organisation_id != enrolment.organisation_id:
        raise DeviceRefused("not_in_stock")
    # Before the family is checked: two desks handing it a device at once give one.
    hold_handovers(session, device)
    refusal = may_receive(session, enrolment)
    if refusal is not None:
        raise DeviceRefused(refusal)
    return give(
        session,
        device,
        holder_name=holder_name,
        today=today,
        actor=actor,
        now=now,
        enrolment_id=enrolment.id,
        note=enrolment.programme.title[:300],
    )
