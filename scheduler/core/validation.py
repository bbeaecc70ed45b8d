"""Checks shared by the people and administration services.

Forms check formats first; services check again what must hold whatever the
caller (a form, the command line, a job), and report a refusal as :class:`InputRefused`
naming the field and the rule broken, as a code with its parameters: the page turns it
into a sentence in the reader's language, beside the field.
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

import phonenumbers

#: Interface locales an organisation may choose.
ORGANISATION_LOCALES = ("fr_CA", "fr_FR", "en_CA", "en_GB")

LAT_RANGE = (-90.0, 90.0)
LON_RANGE = (-180.0, 180.0)


class InputRefused(ValueError):
    """A value cannot be saved: ``code`` names the rule (``"too_long"``), ``params`` its
    figures (``limit=120``), ``field`` the input concerned (None for the whole form)."""

    def __init__(self, field: str | None, code: str, **params: Any) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.params = params


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_timezone(name: str) -> bool:
    """True for a real IANA zone name such as America/Toronto (not a bare offset)."""
    return name in timezone_names()


def is_country(code: str) -> bool:
    """True for an ISO 3166 alpha-2 code of a country with a telephone plan."""
    return len(code) == 2 and code.isalpha() and code.upper() in phonenumbers.SUPPORTED_REGIONS


def country_codes() -> list[str]:
    return sorted(phonenumbers.SUPPORTED_REGIONS)


def is_latitude(value: float) -> bool:
    return LAT_RANGE[0] <= value <= LAT_RANGE[1]


def is_longitude(value: float) -> bool:
    return LON_RANGE[0] <= value <= LON_RANGE[1]


def plain_number(text: str, *, max_digits: int = 18) -> int | None:
    """The whole number written in ``text`` with the digits 0-9 only, else None.

    ``str.isdigit`` also says yes to "²" or "①", which ``int`` then refuses with an error,
    and ``int`` reads "٣" (an Arabic-Indic three) as 3: an id or a page number typed in a
    URL or a form is a number only in ASCII digits. ``max_digits`` keeps it within what the
    database stores (18 digits fit a 64-bit integer).
    """
    text = text.strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > max_digits:
        return None
    return int(text)
