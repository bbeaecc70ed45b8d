"""SQLite, the embedded default, made to keep the same rules as PostgreSQL.

SQLite ignores foreign keys unless each connection asks for them. Without them an erasure
or a deleted plan could leave rows pointing at nothing (``ON DELETE SET NULL`` and
``CASCADE`` would never run), and a bug that PostgreSQL refuses would pass unnoticed on the
default installation.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa


@sa.event.listens_for(sa.engine.Engine, "connect")
def _enforce_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
