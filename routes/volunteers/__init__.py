"""Volunteers: the dispatcher's pages under /dispatch/volunteers and each volunteer's own under /me.

The self-service pages take no volunteer id: they always show the signed-in
volunteer's own profile. The dispatcher's pages are for staff only.
"""

from __future__ import annotations

from flask import Blueprint

from ..weekly import init_weekly_helpers
from .labels import skill_label

bp = Blueprint("volunteers", __name__)
bp.record_once(lambda state: init_weekly_helpers(state.app))
bp.add_app_template_filter(skill_label, "skill_label")

from . import self_service  # noqa: E402,F401  (views register on bp)
from . import staff  # noqa: E402,F401
