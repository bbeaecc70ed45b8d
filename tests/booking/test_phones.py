"""Phone numbers are read for the organisation's country and shown the way people write them."""

from __future__ import annotations

import pytest

from scheduler.core.phones import InvalidPhone
from scheduler.core.phones import format_phone
from scheduler.core.phones import parse_phone


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("819 555-0142", "CA", "+18195550142"),
        ("(819) 555-0142", "CA", "+18195550142"),
        ("1-819-555-0142", "CA", "+18195550142"),
        ("819.555.0142", "ca", "+18195550142"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("+33 6 12 34 56 78", "CA", "+33612345678"),
    ],
)
def test_numbers_are_stored_as_e164(typed, country, stored):
    assert parse_phone(typed, country) == stored


@pytest.mark.parametrize("typed", ["", "   ", "123", "555-0142", "hello", "819 555 0142 " * 4])
def test_numbers_that_cannot_be_dialled_are_refused(typed):
    with pytest.raises(InvalidPhone):
        parse_phone(typed, "CA")


def test_numbers_are_shown_national_at_home_and_international_abroad():
    assert format_phone("+18195550142", "CA") == "(819) 555-0142"
    assert format_phone("+33612345678", "FR") == "06 12 34 56 78"
    assert format_phone("+33612345678", "CA") == "+33 6 12 34 56 78"
    assert format_phone(None, "CA") == ""
    assert format_phone("not a number", "CA") == "not a number"
