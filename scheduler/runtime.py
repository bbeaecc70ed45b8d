"""The typed settings of one running application, read once from its configuration.

``create_app`` builds :class:`Settings` right after loading ``config.toml``, so a typo in
any table stops the service at start-up rather than on the first page that needs it.
Pages, commands and the jobs runner read the same object; domain services receive the
part they need as an argument and never look at the Flask configuration themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from flask import Flask

from scheduler.api.settings import ApiSettings
from scheduler.calendars.settings import FeedSettings
from scheduler.core.settings import ConfigurationError
from scheduler.dispatch.settings import PlanningSettings
from scheduler.geo.settings import GeoSettings
from scheduler.maps.settings import MapSettings
from scheduler.messages.settings import MessageSettings
from scheduler.requests.booking_options import BookingOptions
from scheduler.requests.public_pages import PublicSettings
from scheduler.tasks.settings import QueueSettings
from scheduler.workshops.settings import WorkshopSettings

EXTENSION = "escouade.settings"


@dataclass(frozen=True)
class Settings:
    """Every table of ``config.toml`` the application acts on, typed and checked."""

    #: Interface languages (``LANGUAGES``), the first one being the fallback.
    languages: tuple[str, ...]
    booking: BookingOptions
    planning: PlanningSettings
    feeds: FeedSettings
    geo: GeoSettings
    #: ``[MESSAGES]``: how messages leave, and when the timed ones are made.
    messages: MessageSettings
    #: ``[RETENTION] default_days``: how long a closed request's personal data is kept
    #: when its organisation sets no period of its own.
    retention_days: int
    #: ``SECRET_KEY``, for the timed jobs that show a volunteer's calendar link again.
    secret_key: str = field(default="", repr=False)
    #: ``[QUEUE]``: where background runs wait and how hard they are tried.
    queue: QueueSettings = QueueSettings()
    #: ``[AUDIT] retention_days``: how long audit entries are kept.
    audit_retention_days: int = 365
    #: ``[MAPS]``: the tile server of the interactive map, if any.
    maps: MapSettings = MapSettings()
    #: ``[PUBLIC]``: the beneficiary's pages (languages per organisation, unsent answers).
    public: PublicSettings = PublicSettings()
    #: ``[API]``: the REST API's rate limit per token and tokens' lifetime.
    api: ApiSettings = ApiSettings()
    #: ``[WORKSHOPS]``: how long an offered seat waits, how far "near" reaches.
    workshops: WorkshopSettings = WorkshopSettings()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """:raises ConfigurationError: naming the table and the key that is wrong."""
        languages = tuple(str(code) for code in config.get("LANGUAGES") or ())
        if not languages:
            raise ConfigurationError("LANGUAGES must name at least one interface language.")
        retention = config.get("RETENTION") or {}
        try:
            retention_days = int(retention.get("default_days", 365))
        except (TypeError, ValueError):
            raise ConfigurationError("[RETENTION] default_days must be a number of days.") from None
        audit = config.get("AUDIT") or {}
        days = audit.get("retention_days", 365)
        if isinstance(days, bool) or not isinstance(days, int) or not 30 <= days <= 3650:
            raise ConfigurationError("[AUDIT] retention_days must be a number of days, 30 to 3650.")
        return cls(
            languages=languages,
            booking=BookingOptions.from_config(config.get("BOOKING")),
            planning=PlanningSettings.from_config(config.get("PLANNING"), config.get("TRAVEL")),
            feeds=FeedSettings.from_mapping(config.get("FEEDS")),
            geo=GeoSettings.from_config(config.get("GEO")),
            messages=MessageSettings.from_config(config.get("MESSAGES")),
            retention_days=retention_days,
            secret_key=str(config.get("SECRET_KEY") or ""),
            queue=QueueSettings.from_config(config.get("QUEUE")),
            audit_retention_days=days,
            maps=MapSettings.from_config(config.get("MAPS")),
            public=PublicSettings.from_config(config.get("PUBLIC")),
            api=ApiSettings.from_config(config.get("API")),
            workshops=WorkshopSettings.from_config(config.get("WORKSHOPS")),
        )


def init_settings(app: Flask) -> Settings:
    """Read the settings of ``app`` once and keep them with it."""
    settings = Settings.from_config(app.config)
    app.extensions[EXTENSION] = settings
    return settings


def settings_of(app: Flask) -> Settings:
    """The settings ``create_app`` read for ``app``."""
    settings: Settings = app.extensions[EXTENSION]
    return settings
