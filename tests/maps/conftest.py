"""The demo organisation with a planned week: the maps and sheets of a real-sized plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from scheduler.core.extensions import db
from scheduler.demo import DEMO_PASSWORD
from scheduler.demo import seed_demo
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import plan_week
from scheduler.dispatch.view import coming_week
from scheduler.models import Organisation
from scheduler.models import utcnow
from scheduler.organisation.organisations import default_organisation


@dataclass
class DemoPlan:
    plan_id: int
    org_id: int
    monday: date
    logins: dict[str, str]


@pytest.fixture
def demo_plan(app) -> DemoPlan:
    """The demo, and a draft of its coming week (a solution limit keeps it repeatable)."""
    with app.app_context():
        now = utcnow()
        logins = seed_demo(db.session, now=now)
        org = default_organisation(db.session())
        assert isinstance(org, Organisation)
        monday = coming_week(org, now)
        settings = PlanningSettings().with_limits(time_limit_s=20, solution_limit=30)
        plan = plan_week(db.session, org, monday, settings=settings, now=now)
        emails: dict[str, str] = {}
        for role, email, _password in logins:
            emails.setdefault(role, email)
        return DemoPlan(plan.id, org.id, monday, emails)


def sign_in(client, email: str) -> None:
    response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.status_code
