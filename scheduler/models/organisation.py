"""The association, its sites (drop-in locals) and the territory it serves."""

from __future__ import annotations

from datetime import datetime
from datetime import time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import UTCDateTime
from .base import utcnow

if TYPE_CHECKING:
    from .people import User


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/Toronto")
    #: Default interface locale: fr_CA, fr_FR, en_CA…
    locale: Mapped[str] = mapped_column(sa.String(10), default="fr_CA")
    #: ISO 3166 alpha-2; decides how phone numbers are read.
    country: Mapped[str] = mapped_column(sa.String(2), default="CA")
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(32))
    #: Days a closed request's personal data is kept before it is erased.
    retention_days: Mapped[int] = mapped_column(default=365)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sites: Mapped[list[Site]] = relationship(
        back_populates="organisation", order_by="Site.name", cascade="all, delete-orphan"
    )
    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="organisation", order_by="Municipality.name", cascade="all, delete-orphan"
    )
    users: Mapped[list[User]] = relationship(back_populates="organisation")

    @property
    def language(self) -> str:
        """The language part of the locale: 'fr' for fr_CA."""
        return self.locale.split("_")[0]

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class Municipality(Base):
    """A place of the territory; its centre is the fallback location of an address."""

    __tablename__ = "municipality"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    #: Province, department or region code shown beside the name.
    region: Mapped[str | None] = mapped_column(sa.String(60))
    lat: Mapped[float]
    lon: Mapped[float]
    active: Mapped[bool] = mapped_column(default=True)
    #: Inhabitants, from the census the territory was loaded from; the observatory shows
    #: unmet demand per 1,000 inhabitants with it. Empty when unknown.
    population: Mapped[int | None]
    #: Where the population comes from (census, year, licence), shown with the figures
    #: that use it: the attribution of the data travels with it.
    population_source: Mapped[str | None] = mapped_column(sa.String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="municipalities")

    def __repr__(self) -> str:
        return f"<Municipality {self.name}>"


class Site(Base):
    """A place volunteers work from: a local with computers, an antenna, a library desk."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    address: Mapped[str] = mapped_column(sa.String(200))
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"))
    lat: Mapped[float]
    lon: Mapped[float]
    workstations: Mapped[int] = mapped_column(default=0)
    #: Step-free access, hearing loop, parking: told to visitors as is.
    access_notes: Mapped[str | None] = mapped_column(sa.String(500))
    active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="sites")
    municipality: Mapped[Municipality | None] = relationship()
    openings: Mapped[list[SiteOpening]] = relationship(
        back_populates="site",
        order_by="(SiteOpening.weekday, SiteOpening.starts)",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Site {self.name}>"


class SiteOpening(Base):
    """A weekly drop-in slot: Tuesday 9:00–10:00, staffed by N volunteers."""

    __tablename__ = "site_opening"
    __table_args__ = (sa.CheckConstraint("starts < ends", name="opening_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), index=True)
    #: 0 = Monday … 6 = Sunday.
    weekday: Mapped[int]
    #: Local wall-clock times in the organisation's zone.
    starts: Mapped[time] = mapped_column(sa.Time)
    ends: Mapped[time] = mapped_column(sa.Time)
    volunteers_needed: Mapped[int] = mapped_column(default=1)
    visitors_per_hour: Mapped[int | None]

    site: Mapped[Site] = relationship(back_populates="openings")
