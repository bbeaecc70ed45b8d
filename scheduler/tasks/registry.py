"""What each kind of run does: handlers registered by kind, and what they are given.

A package that wants work done in the background writes a handler::

    @handler("plan_week")
    def plan_week_run(ctx: TaskContext) -> dict[str, Any]:
        ctx.report(phase="solving")
        ...
        return {"plan_id": row.id}

and adds its module to :data:`HANDLER_MODULES`, so that every worker imports it before
taking work. The handler receives the worker's database session; what it returns (JSON)
becomes the run's result. It raises to fail the try (tried again up to ``max_attempts``)
or :class:`PermanentFailure` when trying again cannot help.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from scheduler.models import TaskRun

#: Modules that register handlers; every worker and every immediate queue imports them.
HANDLER_MODULES: tuple[str, ...] = (
    "scheduler.dispatch.background",
    "scheduler.messages.background",
    "scheduler.proposals.background",
)

Handler = Callable[["TaskContext"], "dict[str, Any] | None"]
_HANDLERS: dict[str, Handler] = {}


class PermanentFailure(Exception):
    """Raised by a handler when another try would fail the same way (bad payload, gone data)."""


class UnknownTaskKind(LookupError):
    """No handler is registered under this kind."""


@dataclass
class TaskContext:
    """What a handler gets: the run, its payload, a session, and a way to report progress.

    :param settings: the application's typed settings (``scheduler.runtime.Settings``),
        passed through untyped so that this package stays below ``runtime``.
    """

    session: Session
    run: TaskRun
    now: datetime
    settings: Any
    reporter: Callable[[dict[str, Any]], None] = field(repr=False)

    @property
    def payload(self) -> dict[str, Any]:
        return dict(self.run.payload or {})

    def report(self, **progress: Any) -> None:
        """Merge ``progress`` (JSON values) into what the run shows while it works.

        Written at once on a connection of its own, so a page polling the run sees it
        before the handler commits anything; also counts as a heartbeat.
        """
        self.reporter(progress)


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as what runs of ``kind`` do."""

    def register(function: Handler) -> Handler:
        existing = _HANDLERS.get(kind)
        if existing is not None and existing is not function:
            same = (existing.__module__, existing.__qualname__) == (
                function.__module__,
                function.__qualname__,
            )
            if not same:
                raise ValueError(f"two handlers for task kind {kind!r}")
        _HANDLERS[kind] = function
        return function

    return register


def load_handlers(modules: tuple[str, ...] | None = None) -> None:
    """Import the modules that register handlers (once per process is enough)."""
    for name in HANDLER_MODULES if modules is None else modules:
        importlib.import_module(name)


def handler_for(kind: str) -> Handler:
    """:raises UnknownTaskKind: nothing registered ``kind``."""
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise UnknownTaskKind(kind) from None


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)
