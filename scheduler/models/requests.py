"""Help requests: what a person asked for, and what triage made of it.

A request carries everything the planner needs: mode, place, when the person is
free, languages, duration, priority, deadline, required skills and its cycle.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import UTCDateTime
from .base import json_list
from .base import str_enum
from .base import utcnow
from .enums import Mode
from .enums import Priority
from .enums import Referral
from .enums import RequestStatus
from .enums import Source

if TYPE_CHECKING:
    from .organisation import Municipality
    from .organisation import Organisation
    from .organisation import Site
    from .partners import PartnerOrganisation
    from .people import Beneficiary
    from .people import User
    from .people import Volunteer


class Series(Base):
    """A cycle of sessions for one family (e.g. 8 sessions before a computer is handed over).

    Once the first session is given, the cycle keeps its volunteer.
    """

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    sessions_total: Mapped[int] = mapped_column(default=1)
    volunteer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    volunteer: Mapped[Volunteer | None] = relationship()
    requests: Mapped[list[HelpRequest]] = relationship(
        back_populates="series", order_by="HelpRequest.session_number"
    )


class HelpRequest(Base):
    __tablename__ = "help_request"
    #: The observatory reads an organisation's requests received in a period.
    __table_args__ = (
        sa.Index("ix_help_request_organisation_created", "organisation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    #: Short code read over the phone: ESC-7K3Q.
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True)
    #: SHA-256 of the secret in the beneficiary's private link.
    access_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    beneficiary_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("beneficiary.id", ondelete="SET NULL"), index=True
    )
    mode: Mapped[Mode] = mapped_column(str_enum(Mode))
    #: Need codes (enums.Need).
    needs: Mapped[list[str]] = mapped_column(json_list(), default=list)
    need_details: Mapped[str | None] = mapped_column(sa.String(1000))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    #: Street address, for home visits only.
    address: Mapped[str | None] = mapped_column(sa.String(200))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    #: True when the place is only known to the municipality's centre.
    location_approximate: Mapped[bool] = mapped_column(default=True)
    #: The drop-in site chosen, for drop-in requests.
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    #: When the person is free: codes "mon-am", "tue-eve"… Empty with any_time False
    #: never happens (the form refuses it).
    availability: Mapped[list[str]] = mapped_column(json_list(), default=list)
    any_time: Mapped[bool] = mapped_column(default=False)
    #: "My claim is due on …".
    deadline: Mapped[date | None]
    #: ISO 639-1 codes the person speaks; a volunteer must speak one of them.
    languages: Mapped[list[str]] = mapped_column(json_list(), default=list)
    #: Interface locale the person booked in; messages to them use it.
    locale: Mapped[str] = mapped_column(sa.String(10), default="fr_CA")
    # --- triage ---
    duration_min: Mapped[int] = mapped_column(default=60)
    priority: Mapped[int] = mapped_column(default=int(Priority.NORMAL))
    #: Need codes a volunteer must all have.
    required_skills: Mapped[list[str]] = mapped_column(json_list(), default=list)
    #: Set at triage when the visit must happen in one of ``languages`` in particular;
    #: None: any of them will do.
    required_language: Mapped[str | None] = mapped_column(sa.String(8))
    internal_notes: Mapped[str | None] = mapped_column(sa.String(4000))
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus), default=RequestStatus.NEW, index=True
    )
    # --- provenance ---
    source: Mapped[Source] = mapped_column(str_enum(Source), default=Source.ONLINE)
    referral: Mapped[Referral | None] = mapped_column(str_enum(Referral, 30))
    #: Partner organisation or person who referred or filled in for the beneficiary.
    referrer_name: Mapped[str | None] = mapped_column(sa.String(120))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The partner organisation that referred the person (None: not a partner referral).
    partner_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("partner_organisation.id"), index=True
    )
    #: When the person consented, to the partner's staff, to being referred and followed up
    #: by the partner (the partner then sees this request's status, nothing more).
    consent_to_partner_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # --- cycles and duplicates ---
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id"), index=True)
    session_number: Mapped[int | None]
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("help_request.id"))
    # --- time stamps ---
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: When the request reached done, cancelled or no-show: the retention clock starts.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(200))

    organisation: Mapped[Organisation] = relationship()
    beneficiary: Mapped[Beneficiary | None] = relationship()
    municipality: Mapped[Municipality] = relationship()
    site: Mapped[Site | None] = relationship()
    series: Mapped[Series | None] = relationship(back_populates="requests")
    created_by: Mapped[User | None] = relationship()
    partner_organisation: Mapped[PartnerOrganisation | None] = relationship()
    merged_into: Mapped[HelpRequest | None] = relationship(remote_side=[id])
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", order_by="RequestEvent.at", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def __repr__(self) -> str:
        return f"<HelpRequest {self.reference} {self.mode.value} {self.status.value}>"


class RequestEvent(Base):
    """One line of a request's history: created, triaged, status changed, merged…"""

    __tablename__ = "request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("help_request.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(sa.String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    request: Mapped[HelpRequest] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()
