"""``[WORKSHOPS]`` is read once and refuses what it does not understand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.core.settings import ConfigurationError
from scheduler.workshops.settings import WorkshopSettings


def test_defaults_and_values():
    assert WorkshopSettings.from_config(None).offer_for == timedelta(hours=48)
    read = WorkshopSettings.from_config({"offer_hours": 24, "near_km": 20})
    assert read.offer_for == timedelta(hours=24) and read.near_km == 20.0


@pytest.mark.parametrize(
    "table",
    [{"offer_hours": 0}, {"offer_hours": "48"}, {"near_km": -1}, {"near_km": True}, {"other": 1}],
)
def test_bad_values_are_refused_with_the_table_named(table):
    with pytest.raises(ConfigurationError, match=r"\[WORKSHOPS\]"):
        WorkshopSettings.from_config(table)
