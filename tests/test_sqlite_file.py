"""A SQLite database in a file (``make run``'s default) stays readable while the web
process, the worker or the timed jobs write: write-ahead logging and a busy timeout."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from scheduler.core import sqlite as sqlite_setup
from scheduler.core.extensions import db

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("ESCOUADE_TEST_DATABASE_URL")),
    reason="about SQLite files only",
)


def database_file(app) -> Path:
    with app.app_context():
        return Path(db.engine.url.database or "")


def test_a_file_database_is_in_wal_mode_with_a_busy_timeout(app):
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        timeout = db.session.execute(sa.text("PRAGMA busy_timeout")).scalar()
        assert timeout == sqlite_setup.BUSY_TIMEOUT_MS
    # The mode is kept in the file: a program opening it later finds it.
    outside = sqlite3.connect(database_file(app))
    try:
        assert outside.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        outside.close()


def test_an_outside_reader_is_not_locked_out_while_the_application_writes(app, world):
    """The application commits a write (an exclusive lock in the default journal) while
    a program beside it reads without any busy timeout (the ``sqlite3`` shell's default):
    it reads the last committed state instead of getting "database is locked"."""
    with app.app_context():
        with db.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.execute("BEGIN EXCLUSIVE")
            raw.execute("UPDATE organisation SET name = 'Renamed' WHERE id = ?", (world.org_id,))
            outside = sqlite3.connect(database_file(app), timeout=0)
            try:
                [name] = outside.execute(
                    "SELECT name FROM organisation WHERE id = ?", (world.org_id,)
                ).fetchone()
            finally:
                outside.close()
            raw.execute("ROLLBACK")
    assert name != "Renamed"


def test_a_database_in_memory_is_left_as_it_is():
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "memory"
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
