"""Words and small formats for event texts, in the language forced by the caller.

Callers wrap their work in ``flask_babel.force_locale(...)``; the formats here
take the locale explicitly so that they do not depend on a request.
"""

from __future__ import annotations

import math
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import phonenumbers
from babel.dates import format_time
from babel.numbers import format_decimal
from flask_babel import gettext as _gettext
from flask_babel import pgettext

from ..i18n import language_name


def _(message: str, /, **variables: object) -> str:
    """gettext, typed: the message in the forced language, with %(name)s filled in."""
    return str(_gettext(message, **variables))


def need_label(code: str) -> str:
    labels = {
        "email": pgettext("need", "E-mail"),
        "public_services": pgettext("need", "Online public services"),
        "video_calls": pgettext("need", "Video calls"),
        "school_portal": pgettext("need", "School portal"),
        "smartphone": pgettext("need", "Smartphone"),
        "keyboard_mouse": pgettext("need", "Keyboard and mouse"),
        "job_search": pgettext("need", "Job search"),
        "other": pgettext("need", "Other"),
    }
    return str(labels.get(code, code))


def needs_text(codes: list[str] | None) -> str:
    return ", ".join(need_label(c) for c in codes or [])


def languages_text(codes: list[str] | None, locale: str) -> str:
    return ", ".join(language_name(c, locale) for c in codes or [])


def short_name(first_name: str, last_name: str | None) -> str:
    """First name and initial: "Fatima B."."""
    last = (last_name or "").strip()
    return f"{first_name} {last[0]}." if last else first_name


def local_time(moment: datetime, zone: ZoneInfo, locale: str) -> str:
    return str(format_time(moment, "short", tzinfo=zone, locale=locale))


def km_text(km: float, locale: str) -> str:
    return str(format_decimal(round(km, 1), "#,##0.#", locale=locale))


def phone_display(phone: str | None, country: str) -> str | None:
    """A number as people of the organisation's country write it; None if unreadable."""
    number = _parse_phone(phone, country)
    if number is None:
        return None
    same_country = phonenumbers.region_code_for_number(number) == country.upper()
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(number, style))


def phone_uri(phone: str | None, country: str) -> str | None:
    """``tel:+18195550142``: what a phone dials when the link is tapped."""
    number = _parse_phone(phone, country)
    if number is None:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"tel:{e164}"


def _parse_phone(phone: str | None, country: str) -> phonenumbers.PhoneNumber | None:
    if not phone:
        return None
    try:
        number = phonenumbers.parse(phone, country.upper())
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def map_link(
    template: str,
    search_template: str,
    *,
    lat: float | None,
    lon: float | None,
    address: str | None,
) -> str | None:
    """A web map of the place: at its coordinates when known, else a search for its address."""
    if lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon):
        return template.format(lat=f"{lat:.6f}", lon=f"{lon:.6f}")
    if address:
        return search_template.format(query=quote(address, safe=""))
    return None
