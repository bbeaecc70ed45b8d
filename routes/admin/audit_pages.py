"""/admin/audit: the recent entries of the audit trail, newest first, by kind of action."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from scheduler.core import audit
from scheduler.core.extensions import db
from scheduler.core.validation import plain_number

from ..access import admin_required
from . import bp

#: Filter choices: a family of actions (``sign_in`` holds ok and failed) or one action.
ACTION_LABELS: dict[str, Any] = {
    "sign_in": _l("Sign-ins"),
    "sign_in.ok": _l("Signed in"),
    "sign_in.failed": _l("Sign-in refused"),
    "sign_out.everywhere": _l("Signed out everywhere"),
    "user": _l("Logins changed"),
    "user.create": _l("Login created"),
    "user.role": _l("Role changed"),
    "user.active": _l("Login enabled or disabled"),
    "user.password": _l("Password changed"),
    "plan.publish": _l("Plan published"),
    "request.erase": _l("Personal data erased"),
    "export": _l("Export"),
    "messages": _l("Messages"),
    "messages.erase": _l("Old messages erased"),
    "messages.opt_out": _l("A person refused messages"),
    "messages.texts": _l("Message texts changed"),
    "partner.create": _l("Partner organisation added"),
    "partner.update": _l("Partner organisation changed"),
    "partner.active": _l("Partner organisation activated or deactivated"),
    "partner.invite": _l("Partner staff invited"),
    "device": _l("Devices"),
    "device.state": _l("Device state changed"),
    "device.loan": _l("Device lent"),
    "device.gift": _l("Device given"),
    "device.return": _l("Device returned"),
    "municipality.population": _l("Population of a municipality changed"),
}
FILTERS = ("sign_in", "user", "plan.publish", "request.erase", "export", "messages", "device")
PER_PAGE = 50


@bp.get("/audit")
@admin_required
def audit_trail() -> tuple[str, int] | str:
    action = request.args.get("action", "")
    if action and action not in FILTERS and action not in ACTION_LABELS:
        action = ""
        status = 400
    else:
        status = 200
    page_number = plain_number(request.args.get("page", "1"), max_digits=6)
    if page_number is None or not 1 <= page_number <= 100_000:
        abort(400)
    page = audit.recent(
        db.session(),
        current_user.organisation_id,
        action=action or None,
        page=page_number,
        per_page=PER_PAGE,
    )
    html = render_template(
        "admin/audit.html",
        page=page,
        action=action,
        filters=[(code, ACTION_LABELS[code]) for code in FILTERS],
        labels=ACTION_LABELS,
    )
    return (html, status) if status != 200 else html
