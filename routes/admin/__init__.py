"""Administration under /admin: the organisation, its sites, its territory and its users.

Administrators only; each view checks the role before loading anything.
"""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask_login import current_user

from scheduler.core.extensions import db
from scheduler.organisation import sites
from scheduler.organisation import territory
from scheduler.people import users

from ..access import admin_required
from ..weekly import init_weekly_helpers

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.record_once(lambda state: init_weekly_helpers(state.app))


@bp.get("/")
@admin_required
def index() -> str:
    org_id = current_user.organisation_id
    return render_template(
        "admin/index.html",
        organisation=current_user.organisation,
        sites=sites.sites(db.session(), org_id),
        towns=territory.municipalities(db.session(), org_id),
        users=users.users(db.session(), org_id),
    )


from . import api_token_pages  # noqa: E402,F401
from . import audit_pages  # noqa: E402,F401
from . import organisation  # noqa: E402,F401  (views register on bp)
from . import partner_pages  # noqa: E402,F401
from . import site_pages  # noqa: E402,F401
from . import territory_pages  # noqa: E402,F401
from . import user_pages  # noqa: E402,F401
