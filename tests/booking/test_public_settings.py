"""``[PUBLIC]``: which languages each organisation offers its beneficiaries, checked at start."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.core.settings import ConfigurationError
from scheduler.requests.public_pages import PublicSettings


def test_an_organisation_can_offer_its_own_list():
    settings = PublicSettings.from_config(
        {"languages": ["fr", "en", "ar"], "organisation_languages": {"emmaus": ["fr", "pt"]}}
    )
    assert settings.languages_for("emmaus") == ("fr", "pt")
    assert settings.languages_for("drummond") == ("fr", "en", "ar")
    assert settings.languages_for(None) == ("fr", "en", "ar")


def test_defaults_offer_every_translated_language_and_keep_drafts_two_hours():
    settings = PublicSettings.from_config(None)
    assert settings.languages == ("fr", "en", "ar", "es", "pt")
    assert settings.draft_max_age == timedelta(minutes=120)


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"languages": ["fr", "ta"]}, "no translation of the public pages in \\['ta'\\]"),
        ({"languages": []}, "at least one language"),
        ({"organisation_languages": {"x": ["de"]}}, "organisation_languages.x"),
        ({"draft_minutes": 2}, "between 5 and 1440"),
        ({"draft_minute": 30}, "unknown keys"),
    ],
)
def test_a_mistake_stops_the_start_with_a_clear_message(table, words):
    with pytest.raises(ConfigurationError, match=words):
        PublicSettings.from_config(table)
