"""The ``[MAPS]`` table of ``config.toml``, read once and typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scheduler.core.settings import ConfigurationError


@dataclass(frozen=True, slots=True)
class MapSettings:
    """Where the interactive map takes its tiles from; empty: only the drawn map shows.

    ``tile_url`` follows the z/x/y convention of slippy-map tile servers, e.g.
    ``https://tile.example.org/{z}/{x}/{y}.png``.
    """

    tile_url: str = ""
    attribution: str = ""
    max_zoom: int = 18

    @property
    def interactive(self) -> bool:
        return bool(self.tile_url)

    @property
    def tile_origin(self) -> str:
        """``scheme://host[:port]`` of the tile server, for the Content-Security-Policy."""
        if not self.tile_url:
            return ""
        parts = urlsplit(self.tile_url.replace("{s}", "a"))
        return f"{parts.scheme}://{parts.netloc}"

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> MapSettings:
        """Read ``[MAPS]``; missing keys keep their defaults.

        :raises ConfigurationError: a value of the wrong kind or a tile URL without {z}/{x}/{y}.
        """
        table = dict(table or {})
        try:
            settings = cls(
                tile_url=str(table.get("tile_url") or "").strip(),
                attribution=str(table.get("attribution") or "").strip(),
                max_zoom=int(table.get("max_zoom", 18)),
            )
        except (TypeError, ValueError) as error:
            raise ConfigurationError(f"[MAPS] has a value of the wrong kind: {error}") from None
        if settings.tile_url:
            scheme = urlsplit(settings.tile_url).scheme
            if scheme not in ("http", "https") or not all(
                part in settings.tile_url for part in ("{z}", "{x}", "{y}")
            ):
                raise ConfigurationError(
                    "[MAPS] tile_url must be an http(s) URL with {z}, {x} and {y} in it."
                )
        if not 1 <= settings.max_zoom <= 22:
            raise ConfigurationError("[MAPS] max_zoom must be between 1 and 22.")
        return settings
