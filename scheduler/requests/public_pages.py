"""The ``[PUBLIC]`` settings: the languages of the beneficiary's pages, per organisation,
and how long the unsent answers of the step-by-step form are kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from typing import Any

from scheduler.core.i18n import PUBLIC_LANGUAGES
from scheduler.core.settings import ConfigurationError


@dataclass(frozen=True, slots=True)
class PublicSettings:
    """What ``[PUBLIC]`` in ``config.toml`` says."""

    #: Languages offered to beneficiaries, in the order shown, when the organisation
    #: names none of its own.
    languages: tuple[str, ...] = PUBLIC_LANGUAGES
    #: An organisation's own list, by its slug.
    by_organisation: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Unsent answers are erased this long after the last screen was answered.
    draft_max_age: timedelta = timedelta(minutes=120)

    def languages_for(self, slug: str | None) -> tuple[str, ...]:
        """The languages one organisation offers on its public pages."""
        if slug and slug in self.by_organisation:
            return self.by_organisation[slug]
        return self.languages

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> PublicSettings:
        """:raises ConfigurationError: a language has no catalogue, or a value is malformed."""
        table = table or {}
        unknown = set(table) - {"languages", "organisation_languages", "draft_minutes"}
        if unknown:
            raise ConfigurationError(f"[PUBLIC] has unknown keys: {sorted(unknown)}")
        languages = _languages(table.get("languages", PUBLIC_LANGUAGES), "languages")
        per_org = table.get("organisation_languages") or {}
        if not isinstance(per_org, Mapping):
            raise ConfigurationError("[PUBLIC] organisation_languages maps a slug to languages.")
        by_org = {
            str(slug): _languages(codes, f"organisation_languages.{slug}")
            for slug, codes in per_org.items()
        }
        try:
            minutes = int(table.get("draft_minutes", 120))
        except (TypeError, ValueError):
            raise ConfigurationError("[PUBLIC] draft_minutes must be a number.") from None
        if not 5 <= minutes <= 24 * 60:
            raise ConfigurationError("[PUBLIC] draft_minutes must be between 5 and 1440.")
        return cls(
            languages=languages, by_organisation=by_org, draft_max_age=timedelta(minutes=minutes)
        )


def _languages(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not value:
        raise ConfigurationError(f"[PUBLIC] {key} must list at least one language.")
    codes = tuple(str(code) for code in value)
    missing = [code for code in codes if code not in PUBLIC_LANGUAGES]
    if missing:
        raise ConfigurationError(
            f"[PUBLIC] {key}: no translation of the public pages in {missing}; "
            f"available: {list(PUBLIC_LANGUAGES)}"
        )
    return codes
