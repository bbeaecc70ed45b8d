"""Escouade's log lines, and the secrets in URLs kept out of them.

Private links (a beneficiary's request page, a volunteer's calendar feed) carry
their secret in the path; an access log would otherwise keep it forever. Every
handler gets :class:`RedactSecretsFilter`, which replaces such a secret with
``[redacted]`` in any line, whoever logs it.

Each thing that matters writes one line at INFO (a planning run, a publication, an
erasure, a job run) or WARNING (a refused sign-in) under the ``scheduler`` logger.
No line carries a password, a token or a private link.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

#: Path prefixes followed by a secret segment.
SECRET_PATH = re.compile(r"(/(?:request|feeds/[a-z]+)/)[A-Za-z0-9_\-]{16,}")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str) -> str:
    return SECRET_PATH.sub(r"\1[redacted]", text)


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record's message and arguments without the secrets of private links."""

    def filter(self, record: logging.LogRecord) -> bool:
        # The secret may sit in the arguments and its path in the format string
        # ("GET /request/%s"): redact the whole message as it will be written.
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed call; logging reports it itself
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Set up logging for the application or a command; safe to call more than once.

    A server that configured logging itself (gunicorn) keeps its handlers; otherwise
    lines go to standard error. The ``scheduler`` loggers write from ``level`` on, and
    every handler known now, the root's and any named logger's, gets the redaction filter.
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    ours = logging.getLogger("scheduler")
    if ours.level == logging.NOTSET:
        ours.setLevel(level)
    # Werkzeug's access log: the filter on the logger too, for a handler added later.
    _add_filter(logging.getLogger("werkzeug"))
    for each in _handlers():
        _add_filter(each)


def _add_filter(target: logging.Handler | logging.Logger) -> None:
    if not any(isinstance(f, RedactSecretsFilter) for f in target.filters):
        target.addFilter(RedactSecretsFilter())


def _handlers() -> Iterator[logging.Handler]:
    yield from logging.getLogger().handlers
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            yield from logger.handlers
