"""Keep secrets in URLs out of the logs.

Private links (a beneficiary's request page, a volunteer's calendar feed) carry
their secret in the path; the access log would otherwise keep it forever.
"""

from __future__ import annotations

import logging
import re

#: Path prefixes followed by a secret segment.
SECRET_PATH = re.compile(r"(/(?:request|feeds/[a-z]+)/)[A-Za-z0-9_\-]{16,}")


def redact(text: str) -> str:
    return SECRET_PATH.sub(r"\1[redacted]", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True
