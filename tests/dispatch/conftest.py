"""A planning week far enough ahead that no part of it is already past."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import parse_week

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
