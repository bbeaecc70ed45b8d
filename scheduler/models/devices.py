"""Devices an organisation owns (laptops bought with a grant, refurbished computers) and
who holds each one.

A device is in one state at a time; a loan (or a gift, which is a loan never due back)
says who has it, since when and until when. Every handover carries a receipt number the
person can keep, so a device is never handed over without a trace.
"""

from __future__ import annotations

import enum
from datetime import date
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import UTCDateTime
from .base import str_enum
from .base import utcnow

if TYPE_CHECKING:
    from .organisation import Organisation
    from .people import Volunteer


class DeviceKind(enum.StrEnum):
    LAPTOP = "laptop"
    TABLET = "tablet"
    PHONE = "phone"
    OTHER = "other"


class DeviceState(enum.StrEnum):
    """Where a device is in its life: only ``in_stock`` devices can be lent or given."""

    IN_STOCK = "in_stock"
    REFURBISHING = "refurbishing"
    LOANED = "loaned"
    GIVEN = "given"
    RETIRED = "retired"


class Device(Base):
    """One device of the organisation's inventory."""

    __tablename__ = "device"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    kind: Mapped[DeviceKind] = mapped_column(str_enum(DeviceKind), default=DeviceKind.LAPTOP)
    #: The name written on the device's sticker ("PC-03").
    label: Mapped[str] = mapped_column(sa.String(60))
    serial: Mapped[str] = mapped_column(sa.String(80), default="")
    state: Mapped[DeviceState] = mapped_column(
        str_enum(DeviceState), default=DeviceState.IN_STOCK, index=True
    )
    notes: Mapped[str] = mapped_column(sa.String(500), default="")
    acquired_at: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    loans: Mapped[list[DeviceLoan]] = relationship(
        back_populates="device", order_by="DeviceLoan.starts_on.desc()"
    )

    def __repr__(self) -> str:
        return f"<Device {self.label} {self.state}>"


class DeviceLoan(Base):
    """A device in someone's hands: a leader carrying it to a session, or a person or
    family borrowing (or receiving) it.

    Exactly one of ``volunteer_id`` and ``holder_name`` says who has it. ``due_on`` is
    empty for a gift (``gift``): it never comes back. ``returned_on`` closes a loan;
    ``cancelled_on`` closes a reservation called off before it started (the device never
    left, so nothing came back).
    """

    __tablename__ = "device_loan"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "receipt_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("volunteer.id", ondelete="SET NULL")
    )
    #: A person or a family (a first name and a family name is enough).
    holder_name: Mapped[str] = mapped_column(sa.String(120), default="")
    gift: Mapped[bool] = mapped_column(default=False)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    returned_on: Mapped[date | None] = mapped_column(sa.Date)
    cancelled_on: Mapped[date | None] = mapped_column(sa.Date)
    #: Printed on the receipt, unique in the organisation ("R-2026-0007").
    receipt_number: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    #: The workshop session a leader carries the device to, when it is for one.
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workshop_session.id", ondelete="SET NULL"), index=True
    )
    #: The workshop enrolment completed by this gift, when it was one.
    enrolment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="SET NULL")
    )
    handed_over_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    handed_over_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    device: Mapped[Device] = relationship(back_populates="loans")
    volunteer: Mapped[Volunteer | None] = relationship()

    @property
    def holder(self) -> str:
        """Who has the device, as written on the receipt."""
        if self.volunteer is not None:
            return f"{self.volunteer.first_name} {self.volunteer.last_name}".strip()
        return self.holder_name

    @property
    def open(self) -> bool:
        """Still out or promised: a loan neither returned nor called off (a gift is never
        open)."""
        return not self.gift and self.returned_on is None and self.cancelled_on is None

    def reserved_on(self, today: date) -> bool:
        """An open loan that starts after ``today``: the device has not left yet."""
        return self.open and self.starts_on > today

    def overdue_on(self, today: date) -> bool:
        return self.open and self.due_on is not None and self.due_on < today
