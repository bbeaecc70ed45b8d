"""/partner: what a partner organisation's staff see — their own referrals, nothing else.

A partner refers a person through the public step-by-step form (``/ask/…``), signed in:
the check page then asks them to confirm the person's consent to the partner and offers
a note for the dispatchers (:mod:`routes.booking.journey`). Every view here reads only
the signed-in partner's referrals; another partner's referral is a 404, like one that
does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from typing import TypeVar

from flask import Blueprint
from flask import abort
from flask import render_template
from flask.sansio.app import App
from flask_login import current_user

from scheduler.core.extensions import db
from scheduler.models import PartnerOrganisation
from scheduler.models import Role
from scheduler.partners import referrals as partner_referrals
from scheduler.partners.news import REFERRALS_PATH

from ..access import role_required
from .words import STATUS_LABELS
from .words import appointment_words
from .words import why_not_served

bp = Blueprint("partners", __name__, url_prefix=REFERRALS_PATH.rsplit("/", 1)[0])

F = TypeVar("F", bound=Callable[..., Any])


def acting_partner() -> PartnerOrganisation | None:
    """The active partner organisation the signed-in user refers for, if any."""
    if not current_user.is_authenticated or current_user.role is not Role.PARTNER:
        return None
    partner = current_user.partner_organisation
    return partner if partner is not None and partner.active else None


def partner_required(view: F) -> F:
    """Partner staff of an active partner only; anyone else signed in gets 403."""

    @role_required(Role.PARTNER)
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if acting_partner() is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def init_partner_helpers(app: App) -> None:
    app.jinja_env.globals["acting_partner"] = acting_partner


bp.record_once(lambda state: init_partner_helpers(state.app))


@bp.get("/referrals")
@partner_required
def referrals() -> str:
    partner = acting_partner()
    assert partner is not None
    return render_template(
        "partners/referrals.html",
        partner=partner,
        lines=partner_referrals.referrals(db.session(), partner.id),
        status_labels=STATUS_LABELS,
        why_not_served=why_not_served,
        appointment_words=appointment_words,
    )


@bp.get("/referrals/<int:request_id>")
@partner_required
def referral(request_id: int) -> str:
    partner = acting_partner()
    assert partner is not None
    line = partner_referrals.find_referral(db.session(), partner.id, request_id)
    if line is None:
        abort(404)
    return render_template(
        "partners/referral.html",
        partner=partner,
        line=line,
        status_labels=STATUS_LABELS,
        why_not_served=why_not_served,
        appointment_words=appointment_words,
    )
