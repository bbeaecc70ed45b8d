"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade
from flask_migrate import upgrade

from scheduler.app import create_app
from scheduler.core.extensions import db

from .conftest import settings_for_tests


def test_upgrade_from_empty_matches_the_models(empty_database_url):
    app = create_app(settings_for_tests(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == []


def test_downgrade_to_empty_and_back_up(empty_database_url):
    app = create_app(settings_for_tests(empty_database_url))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() in ([], ["alembic_version"])
        upgrade()
        assert "help_request" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


@pytest.mark.skipif(not os.environ.get("ESCOUADE_TEST_DATABASE_URL"), reason="PostgreSQL only")
def test_postgres_run_is_really_on_postgres(app):
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
