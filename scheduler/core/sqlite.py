"""SQLite, the embedded default, made to keep the same rules as PostgreSQL.

SQLite ignores foreign keys unless each connection asks for them. Without them an erasure
or a deleted plan could leave rows pointing at nothing (``ON DELETE SET NULL`` and
``CASCADE`` would never run), and a bug that PostgreSQL refuses would pass unnoticed on the
default installation.

A database in a file (``make run``'s ``instance/escouade.db``) is read by several
processes at once: the web workers, the background worker, the timed jobs, and whoever
opens it beside them (``sqlite3``, a backup). In SQLite's default journal a write
shuts every reader out while it commits, and a reader without a busy timeout then gets
"database is locked". So such a file is switched to write-ahead logging (WAL: readers
never wait for the writer, nor the writer for them; the mode is kept in the file, so
outside readers benefit too), and each connection waits up to :data:`BUSY_TIMEOUT_MS`
for the single write lock instead of failing at once.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import sqlalchemy as sa

log = logging.getLogger(__name__)

#: How long a connection waits for another one's write to finish before giving up.
BUSY_TIMEOUT_MS = 15_000


def _in_a_file(cursor: sqlite3.Cursor) -> bool:
    """True for a database kept in a file; False in memory or a temporary database."""
    for _seq, name, file in cursor.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return bool(file)
    return False


@sa.event.listens_for(sa.engine.Engine, "connect")
def _enforce_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        if _in_a_file(cursor):
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                try:
                    cursor.execute("PRAGMA journal_mode = WAL")
                except sqlite3.OperationalError as error:
                    # A read-only file, or a file system without shared memory (some
                    # network mounts): the default journal still works, only slower.
                    log.warning("SQLite database not switched to WAL: %s", error)
        cursor.close()
