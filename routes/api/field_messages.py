"""The per-field messages of the API's validation errors, in the caller's language.

marshmallow and webargs write each field's message in English (``"Missing data for
required field."``, ``"Longer than maximum length 120."``), while a problem's ``detail``
follows Accept-Language. Each known English message is matched here, with its numbers and
choices, and said again through the catalogue; an unknown message (one already written
through the catalogue by a view) is left as it is.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

#: marshmallow's English messages, with what they carry, and their words in the catalogue.
KNOWN: list[tuple[re.Pattern[str], LazyString]] = [
    (re.compile(pattern), words)
    for pattern, words in [
        (r"Missing data for required field\.", _l("This field is required.")),
        (r"Field may not be null\.", _l("This field cannot be null.")),
        (r"Unknown field\.", _l("Unknown field.")),
        (r"Invalid value\.", _l("Invalid value.")),
        (r"Invalid (?:input )?type\.", _l("Wrong type of value.")),
        (r"Not a valid string\.", _l("Must be a text (a JSON string).")),
        (r"Not a valid utf-8 string\.", _l("Must be a text (a JSON string).")),
        (r"Not a valid integer\.", _l("Must be a whole number.")),
        (r"Not a valid number\.", _l("Must be a number.")),
        (r"Number too large\.", _l("This number is too large.")),
        (r"Not a valid boolean\.", _l("Must be true or false (a JSON boolean, without quotes).")),
        (r"Not a valid date\.", _l("Must be a date such as 2026-12-07.")),
        (r"Not a valid email address\.", _l("Must be an e-mail address.")),
        (r"Not a valid list\.", _l("Must be a list (a JSON array).")),
        (r"Not a valid mapping type\.", _l("Must be an object (a JSON object).")),
        (
            r"String does not match expected pattern\.",
            _l("This value is not in the expected form."),
        ),
        (r"Must be one of: (?P<choices>.*)\.", _l("Must be one of: %(choices)s.")),
        # ``consent`` must be JSON true; marshmallow would name Python's ``True``.
        (r"Must be equal to True\.", _l("Must be true: the person's consent is needed.")),
        (r"Must be equal to (?P<other>.*)\.", _l("Must be %(other)s.")),
        (r"Longer than maximum length (?P<max>\d+)\.", _l("At most %(max)s characters or items.")),
        (
            r"Shorter than minimum length (?P<min>\d+)\.",
            _l("At least %(min)s characters or items."),
        ),
        (
            r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.",
            _l("From %(min)s to %(max)s characters or items."),
        ),
        (
            r"Must be greater than or equal to (?P<min>-?[\d.]+) "
            r"and less than or equal to (?P<max>-?[\d.]+)\.",
            _l("Must be from %(min)s to %(max)s."),
        ),
        (r"Must be greater than or equal to (?P<min>-?[\d.]+)\.", _l("Must be %(min)s or more.")),
        (r"Must be less than or equal to (?P<max>-?[\d.]+)\.", _l("Must be %(max)s or less.")),
    ]
]


def in_callers_language(message: str) -> str:
    """``message`` through the catalogue when it is one of marshmallow's own."""
    for pattern, words in KNOWN:
        found = pattern.fullmatch(message)
        if found is not None:
            return str(words) % found.groupdict() if found.groupdict() else str(words)
    return message


def translate_errors(errors: Any) -> Any:
    """The ``errors`` of a problem (by location, then field, then messages; list items
    by index), each message in the caller's language."""
    if isinstance(errors, dict):
        return {key: translate_errors(value) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [translate_errors(value) for value in errors]
    if isinstance(errors, str):
        return in_callers_language(errors)
    return errors
