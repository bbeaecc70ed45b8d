"""People: accounts, volunteers with their limits and availability, beneficiaries.

A beneficiary record holds only what a visit needs (first name, a phone number,
optionally an e-mail): no surname, no date of birth.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship
from sqlalchemy.orm import validates
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from .base import Base
from .base import UTCDateTime
from .base import json_list
from .base import str_enum
from .base import utcnow
from .enums import Role

#: Werkzeug hashing method for passwords. Tests swap in a fast one; nothing else should.
PASSWORD_HASH_METHOD = "scrypt"

if TYPE_CHECKING:
    from .organisation import Municipality
    from .organisation import Organisation
    from .organisation import Site
    from .partners import PartnerOrganisation


class User(UserMixin, Base):
    """A login: administrator, dispatcher, volunteer or a partner organisation's staff."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    display_name: Mapped[str] = mapped_column(sa.String(120))
    #: Interface language chosen by the user; None follows the organisation.
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Raised whenever every open session of the user must end (sign-out, new password,
    #: new role, disabled): a session carries the version it was opened with.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Wrong passwords in a row, and until when the next attempt waits (sign-in throttle).
    failed_signins: Mapped[int] = mapped_column(default=0, server_default="0")
    signin_wait_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: For the partner role only: the partner organisation whose referrals this login sees.
    partner_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("partner_organisation.id"), index=True
    )

    organisation: Mapped[Organisation] = relationship(back_populates="users")
    partner_organisation: Mapped[PartnerOrganisation | None] = relationship()
    volunteer: Mapped[Volunteer | None] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What a session remembers: the id and the session version it was opened with."""
        return f"{self.id}.{self.session_version or 0}"

    def end_sessions(self) -> None:
        """End every open session of this user, on every device, at their next request."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        """Set a new password; whoever signed in with the old one is signed out."""
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        self.end_sessions()

    @validates("role", "active")
    def _end_sessions_on_change(self, key: str, value: object) -> object:
        """A new role or a disabled account takes effect at once, on every open session."""
        persistent = sa.inspect(self, raiseerr=True).persistent  # type: ignore[var-annotated]
        current = getattr(self, key) if persistent else self.__dict__.get(key)
        if current is not None and value != current:
            self.end_sessions()
        return value

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class Volunteer(Base):
    """A person who gives help, with the limits they set on their own time and travel.

    A limit left empty means "no limit of that kind". Times in availability
    windows are local wall-clock times in the organisation's zone.
    """

    __tablename__ = "volunteer"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), unique=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    home_address: Mapped[str | None] = mapped_column(sa.String(200))
    home_municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"))
    home_lat: Mapped[float | None]
    home_lon: Mapped[float | None]
    #: True when the home is only known to the municipality's centre.
    home_approximate: Mapped[bool] = mapped_column(default=True)
    #: Days start and end at this site instead of at home.
    starts_from_site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    #: ISO 639-1 codes.
    languages: Mapped[list[str]] = mapped_column(json_list(), default=list)
    #: Need codes the volunteer can help with (see enums.Need).
    skills: Mapped[list[str]] = mapped_column(json_list(), default=list)
    has_car: Mapped[bool] = mapped_column(default=False)
    #: How far a volunteer without a car walks (or takes the bus) to a home visit.
    walking_km: Mapped[float] = mapped_column(default=2.0)
    max_km_per_day: Mapped[int | None]
    max_road_min_per_day: Mapped[int | None]
    max_visits_per_day: Mapped[int | None]
    max_visits_per_week: Mapped[int | None]
    max_work_min_per_week: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(sa.String(2000))
    #: How the volunteer hears of their day: "email", "sms" or "none"; empty: e-mail
    #: when they gave an address, else SMS.
    message_channel: Mapped[str | None] = mapped_column(sa.String(10))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User | None] = relationship(back_populates="volunteer")
    organisation: Mapped[Organisation] = relationship()
    home_municipality: Mapped[Municipality | None] = relationship()
    starts_from_site: Mapped[Site | None] = relationship()
    availability: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="volunteer",
        order_by="(AvailabilityWindow.weekday, AvailabilityWindow.starts)",
        cascade="all, delete-orphan",
    )
    absences: Mapped[list[Absence]] = relationship(
        back_populates="volunteer", order_by="Absence.first_day", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def is_absent_on(self, day: date) -> bool:
        return any(a.first_day <= day <= a.last_day for a in self.absences)

    def __repr__(self) -> str:
        return f"<Volunteer {self.full_name}>"


class AvailabilityWindow(Base):
    """A recurring weekly window: Tuesday 13:00–17:00. Several per weekday are allowed."""

    __tablename__ = "availability_window"
    __table_args__ = (sa.CheckConstraint("starts < ends", name="window_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer.id"), index=True)
    #: 0 = Monday … 6 = Sunday.
    weekday: Mapped[int]
    starts: Mapped[time] = mapped_column(sa.Time)
    ends: Mapped[time] = mapped_column(sa.Time)

    volunteer: Mapped[Volunteer] = relationship(back_populates="availability")


class Absence(Base):
    """Days off, both ends included."""

    __tablename__ = "absence"
    __table_args__ = (sa.CheckConstraint("first_day <= last_day", name="absence_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer.id"), index=True)
    first_day: Mapped[date]
    last_day: Mapped[date]
    note: Mapped[str | None] = mapped_column(sa.String(200))

    volunteer: Mapped[Volunteer] = relationship(back_populates="absences")


class Beneficiary(Base):
    """The person helped. Only what a visit needs; erased after the retention period."""

    __tablename__ = "beneficiary"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    #: E.164, e.g. +18195550123.
    phone: Mapped[str] = mapped_column(sa.String(32), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    #: "Hard of hearing, ring twice", "wheelchair user": shown to the volunteer.
    accessibility_notes: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    def __repr__(self) -> str:
        return f"<Beneficiary {self.id}>"
