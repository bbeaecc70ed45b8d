"""The database's own INSERT, for rows that two requests may make at the same moment.

``ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL both know it) lets the second of two
writers yield to the row the first one made, inside the caller's transaction, where a
plain INSERT fails on the unique index and a savepoint would not help on SQLite (its
driver opens no transaction for one).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session


def insert_for(session: Session) -> Any:
    """The dialect's ``insert``, which has ``on_conflict_do_nothing``."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert
