"""A planning week far enough ahead that no part of it is already past, a busy week of
home visits in it, and the dispatcher who runs it."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import parse_week
from scheduler.models import AvailabilityWindow
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer

from ..builders import make_request

WEEK_CODE = "2030-W10"


@pytest.fixture
def week() -> date:
    """Monday 4 March 2030."""
    return parse_week(WEEK_CODE)


@pytest.fixture
def now() -> datetime:
    """A Friday before the planned week."""
    return datetime(2030, 3, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def settings() -> PlanningSettings:
    """Repeatable runs: a solution limit, and a time limit only as a safety net."""
    return PlanningSettings().with_limits(time_limit_s=20, solution_limit=50)


@pytest.fixture
def busy_week(app, world):
    """Sylvie also works Thursday mornings; three home visits, one on
    Tuesday and two on Thursday."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(12)))
        ids = []
        for slot, name in (("tue-am", "Aline"), ("thu-am", "Bruno"), ("thu-am", "Carole")):
            request = make_request(db.session, org, availability=[slot], duration_min=45)
            request.beneficiary.first_name = name
            ids.append(request.id)
        db.session.commit()
        return ids


@pytest.fixture
def dispatcher_user(app, world):
    """The dispatcher's account, read in the caller's application context."""

    def get() -> User:
        email = world.users[Role.DISPATCHER]
        return db.session.scalar(sa.select(User).where(User.email == email))

    return get
