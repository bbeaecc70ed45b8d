"""What fills a message's ``{names}``: times in the person's language, who comes, where.

Dates are written with Babel in the regional locale of the person (fr_CA, fr_FR, en_CA…)
and in the organisation's zone; times as the pages and calendars write them
(:func:`scheduler.core.i18n.clock_text`: "10 h", "13 h 30" in French, in Québec as in
France; "1:30 p.m." in Canadian English), never Babel's "10 h 00" nor "10:00" in French.
"""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date

from scheduler.core.i18n import clock_text
from scheduler.core.phones import display_phone
from scheduler.models import Appointment
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Organisation

from .texts import phrase


def babel_locale(locale: str | None, language: str) -> str:
    """A locale Babel knows, keeping the region (fr_CA and fr_FR write dates alike, en_CA
    and en_FR do not)."""
    if locale and locale.split("_")[0].lower() == language:
        try:
            Locale.parse(locale)
            return locale
        except (ValueError, UnknownLocaleError):
            pass
    return language


def local(moment: datetime, organisation: Organisation) -> datetime:
    return moment.astimezone(ZoneInfo(organisation.timezone))


def when(moment: datetime, organisation: Organisation, locale: str) -> str:
    """ "mardi 8 décembre, 10 h" / "Tuesday, December 8, 10:00 a.m." / Arabic's own comma."""
    return (
        f"{day(moment, organisation, locale)}{comma(locale)} {clock(moment, organisation, locale)}"
    )


def comma(locale: str) -> str:
    """The comma between words: Arabic writes "،"."""
    return "،" if locale.split("_")[0] == "ar" else ","


def day(moment: datetime, organisation: Organisation, locale: str) -> str:
    """The local day in full, without the year: "mardi 8 décembre", "martes, 8 de
    diciembre" (not "… de 2026", nor "… de")."""
    at = local(moment, organisation)
    text = format_date(at.date(), format="full", locale=locale)
    return re.sub(rf",?\s*(?:de\s+)?{at.year}", "", text).strip(", ")


def clock(moment: datetime, organisation: Organisation, locale: str) -> str:
    """The local time as the pages write it: "10 h", "9 h 45", "9:45 a.m."."""
    return clock_text(local(moment, organisation).time(), locale)


def contact(organisation: Organisation) -> str:
    phone = display_phone(organisation.contact_phone, organisation.country)
    return phone or organisation.contact_email or organisation.name


def details(
    request: HelpRequest,
    appointment: Appointment,
    language: str,
    locale: str,
    arrival_window_min: int,
) -> str:
    """Who comes or calls, when to expect them, or where to go: one or two sentences."""
    organisation = request.organisation
    volunteer = appointment.volunteer.first_name if appointment.volunteer else None
    if appointment.kind is Mode.HOME:
        half = timedelta(minutes=arrival_window_min / 2)
        values = {
            "volunteer": volunteer or "",
            "start": clock(appointment.starts_at - half, organisation, locale),
            "end": clock(appointment.starts_at + half, organisation, locale),
        }
        return phrase(language, "home" if volunteer else "home_anyone", **values)
    if appointment.kind is Mode.PHONE:
        beneficiary = request.beneficiary
        phone = display_phone(beneficiary.phone if beneficiary else None, organisation.country)
        return phrase(
            language, "phone" if volunteer else "phone_anyone", volunteer=volunteer, phone=phone
        )
    site = appointment.site or request.site
    text = phrase(
        language,
        "dropin",
        site=site.name if site else organisation.name,
        address=site.address if site else "",
        day=day(appointment.starts_at, organisation, locale),
        time=clock(appointment.starts_at, organisation, locale),
    )
    if volunteer:
        text += " " + phrase(language, "dropin_welcome", volunteer=volunteer)
    return text
