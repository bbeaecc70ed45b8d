"""Phone numbers: read as people type them, stored in E.164, shown the local way.

Numbers are read for the organisation's country, so "819 555-0123" is understood
in Québec and "06 12 34 56 78" in France; a number written with "+" works anywhere.
"""

from __future__ import annotations

import phonenumbers

#: Longest text accepted before parsing (formatting characters included).
MAX_PHONE_TEXT = 32


class PhoneNumberInvalid(ValueError):
    """The text is not a phone number that can be called."""


def normalise_phone(text: str, country: str) -> str:
    """The E.164 form (+18195550123) of a number typed for ``country`` (ISO 3166 alpha-2).

    :raises PhoneNumberInvalid: when the text is too long, unreadable or not a valid number.
    """
    text = text.strip()
    if not text or len(text) > MAX_PHONE_TEXT:
        raise PhoneNumberInvalid(text)
    try:
        number = phonenumbers.parse(text, country.upper())
    except phonenumbers.NumberParseException as error:
        raise PhoneNumberInvalid(text) from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneNumberInvalid(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None, country: str) -> str:
    """A stored number as people write it: national form at home, international otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, country.upper())
    except phonenumbers.NumberParseException:
        return e164
    region = phonenumbers.region_code_for_number(number)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == country.upper()
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
