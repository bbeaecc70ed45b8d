"""The signed-in dispatcher's organisation, and the rows of it a workshop page may touch:
another organisation's row is not found (404), not forbidden, so ids reveal nothing."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from scheduler.core.extensions import db
from scheduler.models import Organisation


def organisation() -> Organisation:
    org: Organisation = current_user.organisation
    return org


def own(model: type[Any], item_id: int) -> Any:
    row = db.session.get(model, item_id)
    if row is None or row.organisation_id != organisation().id:
        abort(404)
    return row
