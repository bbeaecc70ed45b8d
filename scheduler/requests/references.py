"""Short request references read aloud over the phone: ESC-7K3Q.

The alphabet leaves out 0/O, 1/I/L and U so that nothing is misheard or misread.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import HelpRequest

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "ESC-"


def _candidate(length: int) -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_reference(session: Session) -> str:
    """A reference not used yet; grows by one character if the short space gets crowded."""
    for attempt in range(40):
        ref = _candidate(4 + attempt // 10)
        taken = session.scalar(sa.select(HelpRequest.id).where(HelpRequest.reference == ref))
        if taken is None:
            return ref
    raise RuntimeError("could not find a free request reference")


def normalise_reference(text: str) -> str:
    """Read what someone typed: 'esc 7k3q', '7K3Q' and 'ESC-7K3Q' are the same reference."""
    core = "".join(c for c in text.upper() if c.isalnum())
    if core.startswith("ESC"):
        core = core[3:]
    return PREFIX + core
