"""Placing a point: a request, a volunteer's home, a site (staff); a municipality (admin).

The page works without JavaScript: the geocoder's candidates come as buttons, each a
small form, and latitude and longitude can be typed. With tiles configured, a click on
the map fills the same two fields.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.context import settings
from routes.maps import bp
from scheduler.core.extensions import db
from scheduler.core.extensions import limiter
from scheduler.core.validation import InputRefused
from scheduler.geo import Candidate
from scheduler.geo import geocoder_for
from scheduler.maps.placing import KINDS
from scheduler.maps.placing import near_candidates
from scheduler.maps.placing import place
from scheduler.maps.placing import read_coordinates
from scheduler.maps.placing import target_of
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.models import Role
from scheduler.models import Site
from scheduler.models import Volunteer
from scheduler.models import utcnow

MODELS: dict[str, Any] = {
    "request": HelpRequest,
    "volunteer": Volunteer,
    "site": Site,
    "municipality": Municipality,
}
WORDS = {
    "required": _l("Enter the latitude and the longitude, or click on the map."),
    "not_a_number": _l("Enter a number such as 45.8812."),
    "latitude": _l("A latitude is between -90 and 90."),
    "longitude": _l("A longitude is between -180 and 180."),
    "too_far": _l("This point is %(km)d km from %(town)s. Check the place, or the municipality."),
}


def _object(kind: str, obj_id: int) -> Any:
    if kind not in KINDS:
        abort(404)
    if kind in ("site", "municipality") and not current_user.has_role(Role.ADMIN):
        abort(403)
    obj = db.session.get(MODELS[kind], obj_id)
    if obj is None or obj.organisation_id != current_user.organisation_id:
        abort(404)
    return obj


def back_url(kind: str, obj_id: int) -> str:
    """The page of what was placed."""
    if kind == "request":
        return url_for("inbox.show", request_id=obj_id)
    if kind == "volunteer":
        return url_for("volunteers.show", volunteer_id=obj_id)
    if kind == "site":
        return url_for("admin.edit_site", site_id=obj_id)
    return url_for("admin.edit_municipality", town_id=obj_id)


def _candidates(query: str) -> list[Candidate] | None:
    """The geocoder's answers; None when no geocoder is configured."""
    geo = settings().geo
    geocoder = geocoder_for(geo)
    if geocoder is None or not hasattr(geocoder, "candidates"):
        return None
    found: list[Candidate] = geocoder.candidates(query, current_user.organisation.country)
    return found


@bp.route("/dispatch/place/<kind>/<int:obj_id>", methods=["GET", "POST"])
@staff_required
@limiter.limit("30/minute", methods=["GET"], key_func=lambda: f"place:{current_user.id}")
def place_point(kind: str, obj_id: int) -> str | Response | tuple[str, int]:
    obj = _object(kind, obj_id)
    target = target_of(obj)
    errors: dict[str, str] = {}
    typed = {"lat": request.form.get("lat", ""), "lon": request.form.get("lon", "")}
    if request.method == "POST":
        try:
            lat, lon = read_coordinates(typed["lat"], typed["lon"])
            max_km = 0.0 if kind == "municipality" else settings().geo.max_km_from_municipality
            place(
                db.session(),
                current_user.organisation,
                obj,
                lat,
                lon,
                now=utcnow(),
                user=current_user._get_current_object(),
                max_km=max_km,
            )
        except InputRefused as refusal:
            db.session.rollback()
            words = WORDS.get(refusal.code, WORDS["not_a_number"])
            errors[refusal.field or "lat"] = (
                str(words) % refusal.params if refusal.params else str(words)
            )
        else:
            flash(_("The place is saved: it is no longer approximate."), "success")
            return redirect(url_for("maps.place_point", kind=kind, obj_id=obj_id))
    query = (request.args.get("q") or target.query)[:300]
    candidates: list[Candidate] | None = None
    searched = "find" in request.args
    if searched and query.strip():
        found = _candidates(query)
        candidates = (
            None
            if found is None
            else near_candidates(target, found, settings().geo.max_km_from_municipality)
        )
    page = render_template(
        "maps/place.html",
        target=target,
        kind=kind,
        obj_id=obj_id,
        back=back_url(kind, obj_id),
        query=query,
        searched=searched,
        candidates=candidates,
        typed=typed,
        errors=errors,
    )
    return (page, 400) if errors else page
