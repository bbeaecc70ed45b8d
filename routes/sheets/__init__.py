"""Route sheets over HTTP: printable pages and PDFs of volunteers' days.

Staff: every sheet of a day of a plan (``/dispatch/plans/<id>/sheets/<day>``), one
volunteer's day, and a volunteer's coming week from their appointments (to hand over to
someone without a login). Volunteers: ``/me/sheet``; or, without a login, the secret
link of their calendar (``/feeds/sheet/<token>``), rate-limited like the feeds.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from routes.dispatch.display import minutes_text

bp = Blueprint("sheets", __name__)


@bp.app_context_processor
def sheet_helpers() -> dict[str, Any]:
    return {"minutes_text": minutes_text}


from routes.sheets import handover  # noqa: E402,F401
from routes.sheets import pages  # noqa: E402,F401
