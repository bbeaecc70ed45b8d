"""The seam between the database and the planning engine.

``build_problem`` reads a week from the database into a planning ``Problem``;
``save_plan`` stores the engine's ``Plan`` as a draft; ``publish_plan`` turns a draft into
appointments that calendars show. Plain functions taking a SQLAlchemy session: no Flask
here, so the command, the web pages and the tests call them alike.
"""

from __future__ import annotations

from .built import Built
from .built import SeamReason
from .problem import build_problem
from .publish import Published
from .publish import WeekJustPublished
from .publish import publish_plan
from .run import plan_week
from .settings import PlanningSettings
from .store import PlanNotDraft
from .store import plan_stats
from .store import published_plan
from .store import save_plan
from .weeks import WeekInvalid
from .weeks import WeekOutOfRange
from .weeks import parse_week
from .weeks import week_code

__all__ = [
    "Built",
    "PlanNotDraft",
    "PlanningSettings",
    "Published",
    "SeamReason",
    "WeekInvalid",
    "WeekJustPublished",
    "WeekOutOfRange",
    "build_problem",
    "parse_week",
    "plan_stats",
    "plan_week",
    "publish_plan",
    "published_plan",
    "save_plan",
    "week_code",
]
