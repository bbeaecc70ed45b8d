"""Shared fixtures: an application on a fresh database, a client, signed-in users.

Set ESCOUADE_TEST_DATABASE_URL (postgresql+psycopg://…) to run the database tests on a
real PostgreSQL server instead of a temporary SQLite file. A test is a database test (marker
``db``) when it uses the application fixtures; ``pytest -m db`` runs only those, which is
what the PostgreSQL pass of ``scripts/test.sh`` does.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner

from scheduler.app import create_app
from scheduler.core.extensions import db
from scheduler.models import Base
from scheduler.models import Role
from scheduler.models import people

from .builders import PASSWORD
from .builders import World
from .builders import build_world

POSTGRES_URL = os.environ.get("ESCOUADE_TEST_DATABASE_URL")
ROOT = Path(__file__).resolve().parent.parent
#: Fixtures that reach the database: a test using any of them, directly or through another
#: fixture (app, client, world, auth, live_server…), is marked ``db``.
DATABASE_FIXTURES = frozenset({"make_app", "postgres_schema", "empty_database_url"})


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the translation catalogues that are missing or older than their .po, so that
    a bare ``pytest`` right after ``pip install -e '.[dev]'`` shows pages in French."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted((ROOT / "translations").glob("**/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source)
        partial = mo.with_suffix(".mo.part")
        with partial.open("wb") as target:
            write_mo(target, catalogue, use_fuzzy=True)
        partial.replace(mo)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    db_marker = pytest.mark.db
    for item in items:
        if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(db_marker)


# scrypt is slow on purpose; tests create many users and need no protection from brute force.
people.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


def settings_for_tests(uri: str, **extra: object) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": uri,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        # Background runs happen at once, in the test's own process; tests of the queue
        # itself start real workers on SQLite or Redis storage.
        "QUEUE": {"backend": "immediate"},
        **extra,
    }


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database with the schema, built once and copied for each test
    (creating forty tables file by file takes about a second)."""
    path = tmp_path_factory.mktemp("template") / "schema.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[None]:
    """On PostgreSQL, build the schema once per run; tests then empty the tables."""
    if not POSTGRES_URL:
        yield
        return
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
        Base.metadata.create_all(connection)
    engine.dispose()
    yield


def _empty_postgres() -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def make_app(tmp_path: Path, postgres_schema: None, sqlite_template: Path) -> Iterator[object]:
    """Build an application with extra settings; the database is fresh for each test."""
    made: list[Flask] = []

    def factory(**extra: object) -> Flask:
        if POSTGRES_URL:
            uri = POSTGRES_URL
        else:
            path = tmp_path / "escouade-test.db"
            if not path.exists():
                shutil.copyfile(sqlite_template, path)
            uri = f"sqlite:///{path}"
        app = create_app(settings_for_tests(uri, **extra))
        if POSTGRES_URL:
            with app.app_context():
                _empty_postgres()
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
            if POSTGRES_URL:
                _empty_postgres()
            db.engine.dispose()


@pytest.fixture
def app(make_app: object) -> Flask:
    return make_app()  # type: ignore[operator,no-any-return]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def world(app: Flask) -> World:
    """An organisation with a territory, a drop-in site, and one user of each role."""
    with app.app_context():
        return build_world(db.session)


@dataclass
class AuthActions:
    client: FlaskClient
    world: World

    def login(self, email: str, password: str = PASSWORD) -> object:
        return self.client.post("/auth/login", data={"email": email, "password": password})

    def login_as(self, role: Role | str) -> object:
        return self.login(self.world.email_for(Role(role)))

    def logout(self) -> object:
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient, world: World) -> AuthActions:
    return AuthActions(client, world)


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL database."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"escouade_mig_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(POSTGRES_URL).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _closing(app: Any) -> Any:
    """``app`` whose every response is closed once done with, even when the client went away.

    Werkzeug's development server skips ``close()`` on a response when the browser drops
    the connection while the server drains the request (a page left before its icon
    arrived): the static file stayed open and its ResourceWarning surfaced, as an error, in
    whichever test ran next. A generator's ``finally`` runs when it is finished, closed or
    collected, so the file is closed in every case.
    """

    def serve(environ: Any, start_response: Any) -> Any:
        body = app(environ, start_response)
        try:
            yield from body
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return serve


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The application served for real on 127.0.0.1 (a random free port), for clients
    that speak HTTP themselves: a browser, a calendar synchroniser. Yields the base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, _closing(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
