"""Phone numbers: read what people type, store E.164, show them the way they write them.

A number is read for the organisation's country (``819 555-0142`` in Québec,
``06 12 34 56 78`` in France); a number written with its ``+`` country code is
accepted from anywhere, since newcomers often keep the phone of their former
country for a while. Numbers are stored as E.164 (``+18195550142``) and shown in
the national format when they belong to the organisation's country.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException
from phonenumbers import PhoneNumber
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


def typed_phone_text(text: str | None, country: str) -> str:
    """A number just typed, as it will be kept and shown once the request is sent.

    The check page shows this rather than the raw text: digits typed in another script
    (Arabic-Indic "٨١٩ ٥٥٥ ٠١٤٢") would otherwise appear with their groups reversed in a
    left-to-right line. What cannot be read is returned as typed.
    """
    try:
        return format_phone(parse_phone(text or "", country), country)
    except InvalidPhone:
        return text or ""


@lru_cache(maxsize=4096)
def _parsed(number: str, country: str) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(number, country.upper() or None)
    except NumberParseException:
        return None


@lru_cache(maxsize=4096)
def format_phone(number: str | None, country: str | None) -> str:
    """A stored number as people write it: national at home, international otherwise.

    Anything that does not parse is returned unchanged, so a display never fails.
    """
    if not number:
        return ""
    parsed = _parsed(number, country or "")
    if parsed is None:
        return number
    home = bool(country) and phonenumbers.region_code_for_number(parsed) == (country or "").upper()
    style = PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, style)


def display_phone(number: str | None, country: str) -> str | None:
    """Like :func:`format_phone`, but None for what is not a possible number: event texts
    then leave the line out rather than print something nobody can call."""
    parsed = _parsed(number, country) if number else None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        return None
    return format_phone(number, country)


def phone_uri(number: str | None, country: str) -> str | None:
    """``tel:+18195550142``: what a phone dials when the link is tapped; None if unreadable."""
    parsed = _parsed(number, country) if number else None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        return None
    return "tel:" + phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
