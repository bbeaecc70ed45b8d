"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import json
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


def test_skills_copied_from_needs_stop_being_requirements(empty_database_url):
    """Triage used to turn a person's needs into required skills nobody chose: the
    migration clears exactly those, on open requests, and keeps chosen ones."""
    from tests.builders import make_municipality
    from tests.builders import make_organisation
    from tests.builders import make_request

    app = create_app(settings_for_tests(empty_database_url))
    with app.app_context():
        upgrade()
        org = make_organisation(db.session)
        make_municipality(db.session, org, "Wickham", 45.75, -72.5)
        copied = make_request(db.session, org, needs=["email", "other"], required_skills=["email"])
        chosen = make_request(db.session, org, needs=["email"], required_skills=["smartphone"])
        ids = copied.id, chosen.id
        db.session.commit()
        # No transaction of the session may hold the tables while the schema changes.
        db.session.remove()
        downgrade(revision="e61bd97f3e03")
        upgrade()
        rows = dict(
            db.session.execute(
                sa.text("SELECT id, required_skills FROM help_request ORDER BY id")
            ).all()
        )
        db.session.remove()
        db.engine.dispose()
    skills = {k: v if isinstance(v, list) else json.loads(v) for k, v in rows.items()}
    assert skills[ids[0]] == []
    assert skills[ids[1]] == ["smartphone"]
