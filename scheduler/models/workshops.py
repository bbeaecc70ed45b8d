"""Group workshops: programmes, the series that hold them at a place, their sessions,
the people enrolled (with a waiting list) and who attended.

A programme says what is taught ("Escouade numérique": 6 sessions, 8 seats, 8 laptops);
a series holds it once, at a site or a hall of a municipality, as dated sessions led by
one or two volunteers. People are the beneficiaries of help requests: a workshop needs
no other personal data than a visit does.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import UTCDateTime
from .base import json_list
from .base import str_enum
from .base import utcnow
from .enums import EnrolmentStatus
from .enums import Referral
from .enums import SeriesStatus
from .enums import Source

if TYPE_CHECKING:
    from .organisation import Municipality
    from .organisation import Organisation
    from .organisation import Site
    from .people import Beneficiary
    from .people import User
    from .people import Volunteer


class Programme(Base):
    """What a cycle of workshops teaches, to whom, and what each session needs."""

    __tablename__ = "programme"
    __table_args__ = (
        sa.CheckConstraint("sessions_count >= 1", name="sessions_count_positive"),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint(
            "completion_share > 0 AND completion_share <= 1", name="completion_share_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    #: Who it is for, in the organisation's words: "women with travel constraints".
    audience: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str | None] = mapped_column(sa.String(2000))
    sessions_count: Mapped[int] = mapped_column(default=1)
    #: What each session covers, one line per session, in order.
    session_topics: Mapped[list[str]] = mapped_column(json_list(), default=list)
    #: Seats per series; more people go on the waiting list.
    capacity: Mapped[int] = mapped_column(default=8)
    #: Laptops the leader brings to each session (0: people use their own or the site's).
    laptops_per_session: Mapped[int] = mapped_column(default=0)
    #: Share of the sessions a participant attends to have completed the cycle.
    completion_share: Mapped[float] = mapped_column(default=0.75)
    #: Completing the cycle hands the family a device ("Solidaires et Connectés").
    gives_device: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    series: Mapped[list[WorkshopSeries]] = relationship(
        back_populates="programme", order_by="WorkshopSeries.id"
    )

    def topic(self, number: int) -> str:
        """What session ``number`` (from 1) covers, or "" when the programme does not say."""
        if 1 <= number <= len(self.session_topics or []):
            return self.session_topics[number - 1]
        return ""

    def __repr__(self) -> str:
        return f"<Programme {self.title}>"


class WorkshopSeries(Base):
    """One holding of a programme at one place: a site, or a hall in a municipality."""

    __tablename__ = "workshop_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    #: The organisation's own site, when the series is held there.
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    #: The municipality of the hall (or of the site); "near the person" is measured from it.
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id"), index=True
    )
    #: A hall lent for the series: "Salle communautaire", "Centre social Jean-Jaurès".
    hall_name: Mapped[str | None] = mapped_column(sa.String(120))
    hall_address: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[SeriesStatus] = mapped_column(
        str_enum(SeriesStatus), default=SeriesStatus.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    programme: Mapped[Programme] = relationship(back_populates="series")
    site: Mapped[Site | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    sessions: Mapped[list[WorkshopSession]] = relationship(
        back_populates="series",
        order_by="WorkshopSession.number",
        cascade="all, delete-orphan",
    )
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="series", order_by="Enrolment.created_at"
    )

    @property
    def place_name(self) -> str:
        """The hall's name, else the site's, else the municipality's."""
        if self.hall_name:
            return self.hall_name
        if self.site is not None:
            return self.site.name
        return self.municipality.name if self.municipality is not None else ""

    @property
    def place_address(self) -> str:
        if self.hall_address:
            return self.hall_address
        return self.site.address if self.site is not None else ""

    def __repr__(self) -> str:
        return f"<WorkshopSeries {self.id} {self.status.value}>"


workshop_session_leader = sa.Table(
    "workshop_session_leader",
    Base.metadata,
    sa.Column(
        "session_id",
        sa.ForeignKey("workshop_session.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("volunteer_id", sa.ForeignKey("volunteer.id"), primary_key=True),
)
"""Who leads a session: one or two volunteers or staff (the services check the count)."""


class WorkshopSession(Base):
    """One dated session of a series."""

    __tablename__ = "workshop_session"
    __table_args__ = (
        sa.UniqueConstraint("series_id", "number"),
        sa.CheckConstraint("starts_at < ends_at", name="session_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_series.id"), index=True)
    #: 1 … programme.sessions_count.
    number: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Laptops the leaders carry to this session (the programme's, unless changed).
    laptops_needed: Mapped[int] = mapped_column(default=0)

    series: Mapped[WorkshopSeries] = relationship(back_populates="sessions")
    leaders: Mapped[list[Volunteer]] = relationship(
        secondary=workshop_session_leader, order_by="Volunteer.first_name"
    )
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    @property
    def topic(self) -> str:
        return self.series.programme.topic(self.number)

    def __repr__(self) -> str:
        return f"<WorkshopSession {self.series_id}#{self.number}>"


class Enrolment(Base):
    """A person's place in a series, or on its waiting list.

    ``series_id`` is empty when the person waits for the programme to come near them
    (no series with a seat yet): the planner counts these by municipality.
    """

    __tablename__ = "enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshop_series.id"), index=True)
    #: Emptied when the person's data is erased; the counts stay.
    beneficiary_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("beneficiary.id", ondelete="SET NULL"), index=True
    )
    #: Where the person lives (only the municipality): "near them" starts there.
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"))
    #: When the person is free: codes "mon-am", "tue-eve"… as in help requests.
    availability: Mapped[list[str]] = mapped_column(json_list(), default=list)
    status: Mapped[EnrolmentStatus] = mapped_column(
        str_enum(EnrolmentStatus), default=EnrolmentStatus.ENROLLED, index=True
    )
    #: Place on the waiting list (1 is next); empty once the person has a seat.
    waiting_position: Mapped[int | None]
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # --- provenance ---
    source: Mapped[Source] = mapped_column(str_enum(Source), default=Source.ONLINE)
    referral: Mapped[Referral | None] = mapped_column(str_enum(Referral, 30))
    #: The partner as recorded: "CCAS de Roubaix", "École Jules-Ferry".
    referrer_name: Mapped[str | None] = mapped_column(sa.String(120))
    #: SHA-256 of the secret in the participant's private link (sessions as .ics).
    access_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Interface locale the person enrolled in; messages and the .ics use it.
    locale: Mapped[str] = mapped_column(sa.String(10), default="fr_CA")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    programme: Mapped[Programme] = relationship()
    series: Mapped[WorkshopSeries | None] = relationship(back_populates="enrolments")
    beneficiary: Mapped[Beneficiary | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} {self.status.value}>"


class Attendance(Base):
    """Whether one participant came to one session, as the leader recorded it."""

    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"), index=True)
    present: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[WorkshopSession] = relationship(back_populates="attendances")
    enrolment: Mapped[Enrolment] = relationship(back_populates="attendances")
    recorded_by: Mapped[User | None] = relationship()
