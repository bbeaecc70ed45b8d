"""The ``[QUEUE]`` table of ``config.toml``, read once and typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scheduler.core.settings import ConfigurationError

#: "sqlite": a file beside the database, no server (``make run``); "redis": a Redis server
#: shared by workers on several machines; "immediate": run at once in the caller (tests).
BACKENDS = ("sqlite", "redis", "immediate")


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """Where background runs wait and how hard they are tried; see ``[QUEUE]``."""

    backend: str = "sqlite"
    #: The SQLite queue file; relative paths are under the instance folder.
    sqlite_path: str = "queue.db"
    redis_url: str = "redis://127.0.0.1:6379/0"
    #: Runs one ``escouade worker`` process carries at once (threads).
    workers: int = 2
    #: Tries of one run before it is marked failed.
    max_attempts: int = 3
    #: Wait before the first retry; doubled at each further one.
    retry_delay_s: float = 5.0
    #: How often a running run says it is alive.
    heartbeat_s: float = 5.0
    #: A running run silent this long has lost its worker: the reaper tries it again.
    stale_after_s: float = 60.0
    #: Days a finished (done or failed) run is kept for the pages and the logs' sake; the
    #: nightly ``forget_task_runs`` job deletes it after that.
    finished_retention_days: int = 30

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> QueueSettings:
        """Read ``[QUEUE]``; missing keys keep their defaults.

        :raises ConfigurationError: an unknown backend or key, or a value of the wrong kind.
        """
        table = dict(table or {})
        unknown = set(table) - set(cls.__dataclass_fields__)
        if unknown:
            raise ConfigurationError(f"[QUEUE] has unknown keys: {', '.join(sorted(unknown))}.")
        defaults = cls()
        try:
            settings = cls(
                backend=str(table.get("backend", defaults.backend)).lower(),
                sqlite_path=str(table.get("sqlite_path") or defaults.sqlite_path),
                redis_url=str(table.get("redis_url") or defaults.redis_url),
                workers=int(table.get("workers", defaults.workers)),
                max_attempts=int(table.get("max_attempts", defaults.max_attempts)),
                retry_delay_s=float(table.get("retry_delay_s", defaults.retry_delay_s)),
                heartbeat_s=float(table.get("heartbeat_s", defaults.heartbeat_s)),
                stale_after_s=float(table.get("stale_after_s", defaults.stale_after_s)),
                finished_retention_days=int(
                    table.get("finished_retention_days", defaults.finished_retention_days)
                ),
            )
        except (TypeError, ValueError) as error:
            raise ConfigurationError(f"[QUEUE] has a value of the wrong kind: {error}") from None
        if settings.backend not in BACKENDS:
            raise ConfigurationError(f"[QUEUE] backend must be one of {', '.join(BACKENDS)}.")
        if settings.workers < 1 or settings.max_attempts < 1:
            raise ConfigurationError("[QUEUE] workers and max_attempts must be at least 1.")
        if settings.heartbeat_s <= 0 or settings.stale_after_s < 2 * settings.heartbeat_s:
            raise ConfigurationError(
                "[QUEUE] stale_after_s must be at least twice heartbeat_s (and both positive)."
            )
        if settings.finished_retention_days < 1:
            raise ConfigurationError("[QUEUE] finished_retention_days must be at least 1.")
        if settings.retry_delay_s < 0:
            raise ConfigurationError("[QUEUE] retry_delay_s cannot be negative.")
        return settings
