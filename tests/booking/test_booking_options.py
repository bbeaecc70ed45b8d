"""The [BOOKING] settings are read once and checked."""

from __future__ import annotations

from datetime import time

import pytest

from scheduler.core.settings import ConfigurationError
from scheduler.models import Mode
from scheduler.requests.booking_options import BookingOptions
from scheduler.requests.booking_options import parse_slot

from .builders import booking_config


def test_committed_settings_are_read():
    options = BookingOptions.from_config(booking_config())
    assert options.languages[:3] == ("fr", "en", "es")
    assert options.periods[0] == ("am", time(9), time(12))
    assert options.weekdays == (0, 1, 2, 3, 4, 5)
    assert options.duration_for(Mode.HOME) == 90
    assert options.slot_codes()[:4] == ["mon-am", "mon-pm", "mon-eve", "tue-am"]
    assert len(options.slot_codes()) == 18


def test_missing_keys_keep_their_defaults():
    options = BookingOptions.from_config({"duration_min": {"phone": 20}})
    assert options.duration_for(Mode.PHONE) == 20
    assert options.duration_for(Mode.DROPIN) == 60
    assert options.max_text == 1000


@pytest.mark.parametrize(
    "table",
    [
        {"max_text": 5000},
        {"weekdays": [0, 9]},
        {"periods": {"night": ["22:00", "23:00"]}},
        {"periods": {"am": ["12:00", "09:00"]}},
        {"duration_min": {"home": -5}},
        {"max_text": "lots"},
    ],
)
def test_wrong_settings_stop_the_start(table):
    with pytest.raises(ConfigurationError):
        BookingOptions.from_config(table)


def test_a_typo_in_settings_stops_the_app_from_starting(make_app):
    with pytest.raises(ConfigurationError):
        make_app(BOOKING=booking_config(max_text=99999))


def test_slot_codes_read_back():
    assert parse_slot("tue-am") == (1, "am")
    assert parse_slot("sun-eve") == (6, "eve")
    assert parse_slot("tue-night") is None
    assert parse_slot("garbage") is None
