"""The organisation's own settings: name, zone, language, country, contact, retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from scheduler.core.phones import InvalidPhone
from scheduler.core.phones import parse_phone
from scheduler.core.validation import ORGANISATION_LOCALES
from scheduler.core.validation import InputRefused
from scheduler.core.validation import is_country
from scheduler.core.validation import is_timezone
from scheduler.models import Organisation

NAME_MAX = 120
#: A closed request's personal data is kept at least a month and at most ten years.
RETENTION_DAYS_RANGE = (30, 3650)


@dataclass(frozen=True, slots=True)
class OrganisationSettings:
    name: str
    timezone: str
    locale: str
    country: str
    contact_email: str | None
    contact_phone: str | None
    retention_days: int

    @classmethod
    def of(cls, org: Organisation) -> OrganisationSettings:
        return cls(
            name=org.name,
            timezone=org.timezone,
            locale=org.locale,
            country=org.country,
            contact_email=org.contact_email,
            contact_phone=org.contact_phone,
            retention_days=org.retention_days,
        )


def update_organisation(
    session: Session, org: Organisation, settings: OrganisationSettings, now: datetime
) -> Organisation:
    """Save the settings after checking each one; nothing changes if one is refused.

    The contact phone is read for the (new) country and stored in E.164.

    :raises InputRefused: naming the refused field.
    """
    name = settings.name.strip()
    if not name or len(name) > NAME_MAX:
        raise InputRefused("name", "name_too_long", limit=120)
    if not is_timezone(settings.timezone):
        raise InputRefused(
            "timezone",
            "timezone",
            example="America/Toronto",
        )
    if settings.locale not in ORGANISATION_LOCALES:
        raise InputRefused("locale", "locale")
    country = settings.country.upper()
    if not is_country(country):
        raise InputRefused("country", "country")
    low, high = RETENTION_DAYS_RANGE
    if not low <= settings.retention_days <= high:
        raise InputRefused(
            "retention_days",
            "retention_days",
            low=low,
            high=high,
        )
    phone = None
    if settings.contact_phone and settings.contact_phone.strip():
        try:
            phone = parse_phone(settings.contact_phone, country)
        except InvalidPhone:
            raise InputRefused("contact_phone", "phone") from None
    org.name = name
    org.timezone = settings.timezone
    org.locale = settings.locale
    org.country = country
    org.contact_email = (settings.contact_email or "").strip() or None
    org.contact_phone = phone
    org.retention_days = settings.retention_days
    session.commit()
    return org
