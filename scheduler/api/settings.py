"""``[API]``: the REST API's rate limit per token and tokens' proposed lifetime."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from limits import parse

from scheduler.core.settings import ConfigurationError

from .tokens import MAX_DAYS
from .tokens import MIN_DAYS


@dataclass(frozen=True)
class ApiSettings:
    #: Calls allowed to one token, in Flask-Limiter's notation ("120 per minute").
    rate_limit: str = "120 per minute"
    default_token_days: int = 365

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> ApiSettings:
        """:raises ConfigurationError: naming the key that is wrong."""
        table = dict(table or {})
        unknown = set(table) - {"rate_limit", "default_token_days"}
        if unknown:
            raise ConfigurationError(f"[API] has unknown keys: {', '.join(sorted(unknown))}.")
        rate = table.get("rate_limit", cls.rate_limit)
        try:
            parse(str(rate))
        except ValueError:
            raise ConfigurationError('[API] rate_limit must read like "120 per minute".') from None
        days = table.get("default_token_days", cls.default_token_days)
        if isinstance(days, bool) or not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
            raise ConfigurationError(
                f"[API] default_token_days must be a whole number, {MIN_DAYS} to {MAX_DAYS}."
            )
        return cls(rate_limit=str(rate), default_token_days=days)
