"""Maps in pages: the route maps of the plan page, and placing a point on a map.

Blueprint ``maps``. The plan page includes ``maps/_plan_maps.html``, which asks
:func:`plan_route_maps` for its maps once per request; placing pages live in
:mod:`routes.maps.placing`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import g

from routes.context import settings
from scheduler.core.extensions import db
from scheduler.maps import MapSettings
from scheduler.maps.plans import PlanMaps
from scheduler.maps.plans import plan_maps
from scheduler.models import Organisation
from scheduler.models import Plan

bp = Blueprint("maps", __name__)


def map_settings() -> MapSettings:
    return settings().maps


def plan_route_maps(plan: Plan) -> PlanMaps:
    """The maps of ``plan``, built once per request however many parts of the page ask."""
    cache: dict[int, PlanMaps] = g.setdefault("plan_route_maps", {})
    if plan.id not in cache:
        organisation = db.session.get(Organisation, plan.organisation_id)
        assert organisation is not None  # a plan always belongs to an organisation
        cache[plan.id] = plan_maps(db.session(), organisation, plan)
    return cache[plan.id]


@bp.app_context_processor
def map_helpers() -> dict[str, Any]:
    return {"map_settings": map_settings, "plan_route_maps": plan_route_maps}


from routes.maps import placing  # noqa: E402,F401
