"""Phone numbers: read what people type, store E.164, show them the way they write them.

A number is read for the organisation's country (``819 555-0142`` in Québec,
``06 12 34 56 78`` in France); a number written with its ``+`` country code is
accepted from anywhere, since newcomers often keep the phone of their former
country for a while. Numbers are stored as E.164 (``+18195550142``) and shown in
the national format when they belong to the organisation's country.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException
from phonenumbers import PhoneNumberFormat

#: Longest text accepted before parsing: enough for "+1 (819) 555-0142 poste 1234".
MAX_INPUT = 40


class InvalidPhone(ValueError):
    """The text is not a phone number that can be dialled."""


def parse_phone(text: str, country: str) -> str:
    """Read a typed phone number and return it as E.164.

    :param text: what the person typed, with any spaces, dots, dashes or brackets.
    :param country: ISO 3166 alpha-2 code used when the number has no ``+`` prefix.
    :raises InvalidPhone: empty, too long, unreadable, or not a number in use.
    """
    text = (text or "").strip()
    if not text or len(text) > MAX_INPUT:
        raise InvalidPhone(text)
    try:
        number = phonenumbers.parse(text, country.upper())
    except NumberParseException as error:
        raise InvalidPhone(text) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(text)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def format_phone(e164: str | None, country: str) -> str:
    """A stored number as people write it: national at home, international otherwise.

    Anything that does not parse is returned unchanged, so a display never fails.
    """
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, country.upper())
    except NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == country.upper():
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def tel_uri(e164: str) -> str:
    """A ``tel:`` link target for a stored number."""
    return f"tel:{e164}"
