"""Addresses already placed on the map: the organisation's own gazetteer and lookup cache."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime
from .base import utcnow


class GeocodedAddress(Base):
    """Where an address is, once known: found by a geocoder, or set by a dispatcher.

    ``lat``/``lon`` are empty when a lookup found nothing, so that the same miss is
    not asked again every few minutes. Rows age out with the retention period.
    """

    __tablename__ = "geocoded_address"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    #: Normalised "address, municipality" (lower case, no accents, single spaces).
    key: Mapped[str] = mapped_column(sa.String(400))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    #: "dispatcher", "nominatim", "ban"…
    source: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def found(self) -> bool:
        return self.lat is not None and self.lon is not None
