"""Words and small formats for event texts, in the language chosen by the caller.

Callers wrap their work in ``in_language(locale)``: Flask-Babel's
``force_locale``, with the catalogue looked up once for the whole feed instead
of once per phrase (a feed has thousands of them). The formats here take the
locale explicitly so that they do not depend on a request.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import phonenumbers
from babel.dates import format_time
from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import get_translations
from flask_babel import gettext as _flask_gettext
from flask_babel import pgettext as _flask_pgettext

from scheduler.core.i18n import language_name

_catalogue: ContextVar[Any] = ContextVar("escouade_feed_catalogue", default=None)


@contextmanager
def in_language(locale: str) -> Iterator[None]:
    """Event texts in ``locale`` for the duration of the block."""
    with force_locale(locale):
        token = _catalogue.set(get_translations())
        try:
            yield
        finally:
            _catalogue.reset(token)


def _(message: str, /, **variables: object) -> str:
    """gettext, typed: the message in the chosen language, with %(name)s filled in."""
    catalogue = _catalogue.get()
    text = str(catalogue.ugettext(message) if catalogue else _flask_gettext(message))
    return text % variables if variables else text


def pgettext(context: str, message: str, /) -> str:
    catalogue = _catalogue.get()
    if catalogue:
        return str(catalogue.upgettext(context, message))
    return str(_flask_pgettext(context, message))


NEED_LABELS: dict[str, Callable[[], str]] = {
    "email": lambda: pgettext("need", "E-mail"),
    "public_services": lambda: pgettext("need", "Online public services"),
    "video_calls": lambda: pgettext("need", "Video calls"),
    "school_portal": lambda: pgettext("need", "School portal"),
    "smartphone": lambda: pgettext("need", "Smartphone"),
    "keyboard_mouse": lambda: pgettext("need", "Keyboard and mouse"),
    "job_search": lambda: pgettext("need", "Job search"),
    "other": lambda: pgettext("need", "Other"),
}


def need_label(code: str) -> str:
    label = NEED_LABELS.get(code)
    return label() if label is not None else code


def needs_text(codes: list[str] | None) -> str:
    return ", ".join(need_label(c) for c in codes or [])


def languages_text(codes: list[str] | None, locale: str) -> str:
    return _languages_text(tuple(codes or ()), locale)


@lru_cache(maxsize=1024)
def _languages_text(codes: tuple[str, ...], locale: str) -> str:
    return ", ".join(language_name(c, locale) for c in codes)


def short_name(first_name: str, last_name: str | None) -> str:
    """First name and initial: "Fatima B."."""
    last = (last_name or "").strip()
    return f"{first_name} {last[0]}." if last else first_name


def local_time(moment: datetime, zone: ZoneInfo, locale: str) -> str:
    return str(format_time(moment, "short", tzinfo=zone, locale=locale))


def km_text(km: float, locale: str) -> str:
    return str(format_decimal(round(km, 1), "#,##0.#", locale=locale))


@lru_cache(maxsize=4096)
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


@lru_cache(maxsize=4096)
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
