"""The devices pages under /dispatch/devices: the inventory, one device with its loans,
lending, giving and returning, and the handover receipt (a page to print, or a PDF).

Staff only (administrators and dispatchers). The overdue loans also show on the week's
planning page, through :func:`overdue_panel`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint
from flask_babel import format_date
from flask_login import current_user

from scheduler.core.extensions import db
from scheduler.devices import gift_for
from scheduler.devices import overdue_loans
from scheduler.models import Role
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today

bp = Blueprint("devices", __name__, url_prefix="/dispatch/devices")


def overdue_panel() -> list[Any]:
    """The organisation's overdue loans, for staff pages (empty for anyone else)."""
    if not current_user.is_authenticated or not current_user.has_role(Role.ADMIN, Role.DISPATCHER):
        return []
    org = current_user.organisation
    return overdue_loans(db.session(), org.id, local_today(org, utcnow()))


@bp.app_context_processor
def device_helpers() -> dict[str, Any]:
    return {
        "overdue_device_loans": overdue_panel,
        "day_text": day_text,
        "device_gift_for": lambda enrolment_id: gift_for(db.session(), enrolment_id),
    }


def day_text(value: date | None) -> str:
    """A date in the reader's language ("15 déc. 2026"), or a dash."""
    return format_date(value, "medium") if value is not None else "—"


from routes.devices import handover  # noqa: E402,F401
from routes.devices import pages  # noqa: E402,F401
