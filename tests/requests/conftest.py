"""Fixtures of the inbox tests: the organisation, a session, a signed-in dispatcher."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User


@pytest.fixture
def session(app, world):
    """The database session inside an application context, for service-level tests.

    Not for tests that also use the HTTP client: requests would share the context.
    """
    with app.app_context():
        yield db.session


@pytest.fixture
def org(session, world) -> Organisation:
    return session.get(Organisation, world.org_id)


@pytest.fixture
def dispatcher_user(session, world) -> User:
    email = world.email_for(Role.DISPATCHER)
    return session.scalars(sa.select(User).where(User.email == email)).one()


@pytest.fixture
def dispatcher(client, auth):
    """The test client, signed in as a dispatcher."""
    auth.login_as(Role.DISPATCHER)
    return client


@pytest.fixture
def in_app(app, world):
    """Run a function with the session inside a short application context."""

    def run(function):
        with app.app_context():
            result = function(db.session, db.session.get(Organisation, world.org_id))
            db.session.commit()
            return result

    return run
