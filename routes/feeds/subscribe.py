"""The pages to subscribe to a feed: "My calendar", the team calendar, a volunteer's link."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.access import role_required
from routes.access import staff_required
from routes.feeds import bp
from routes.feeds import feed_settings
from routes.feeds import seal_key
from scheduler.calendars import render
from scheduler.calendars import tokens
from scheduler.core.extensions import db
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.people.volunteers import find_volunteer


@dataclass(frozen=True)
class FeedLinks:
    web: str
    webcal: str
    qr_data_uri: str


def feed_links(path: str) -> FeedLinks:
    """The absolute links to a feed: from ``[FEEDS] base_url``, else this request's host."""
    base = feed_settings().base_url or request.host_url.rstrip("/")
    web = base + path
    webcal = "webcal://" + web.split("://", 1)[1]
    return FeedLinks(web=web, webcal=webcal, qr_data_uri=_qr_data_uri(webcal))


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(
        text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4
    )
    svg = image.to_string(encoding="utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _volunteer_path(token: str) -> str:
    return url_for("feeds.volunteer_feed", token=token)


# --- My calendar (volunteers) ----------------------------------------------------------------


@bp.get("/me/calendar")
@role_required(Role.VOLUNTEER)
def mine() -> str:
    settings = feed_settings()
    page = {"reminder_min": settings.reminder_min, "cancelled_days": settings.cancelled_days}
    volunteer = current_user.volunteer
    if volunteer is None:
        return render_template("feeds/mine.html", volunteer=None, links=None, row=None, **page)
    token = tokens.ensure_volunteer_token(db.session(), volunteer, now=utcnow(), key=seal_key())
    row = tokens.live_volunteer_token(db.session(), volunteer)
    links = feed_links(_volunteer_path(token)) if token else None
    return render_template("feeds/mine.html", volunteer=volunteer, links=links, row=row, **page)


@bp.post("/me/calendar/new-link")
@role_required(Role.VOLUNTEER)
def reset_mine() -> Response:
    volunteer = current_user.volunteer
    if volunteer is None:
        abort(404)
    tokens.issue_volunteer_token(db.session(), volunteer, now=utcnow(), key=seal_key())
    flash(
        _(
            "Your calendar has a new link. The old one no longer works: "
            "subscribe again on each device with the new one."
        ),
        "success",
    )
    return redirect(url_for("feeds.mine"))


# --- dispatchers -------------------------------------------------------------------------------


def _own_volunteer(volunteer_id: int) -> Volunteer:
    volunteer = find_volunteer(db.session(), current_user.organisation_id, volunteer_id)
    if volunteer is None:
        abort(404)
    return volunteer


@bp.get("/dispatch/volunteers/<int:volunteer_id>/calendar")
@staff_required
def volunteer(volunteer_id: int) -> str:
    volunteer = _own_volunteer(volunteer_id)
    row = tokens.last_volunteer_token(db.session(), volunteer)
    upcoming, zone = render.upcoming_events(
        db.session(), volunteer, now=utcnow(), settings=feed_settings()
    )
    return render_template(
        "feeds/volunteer.html", volunteer=volunteer, row=row, events=upcoming, zone=zone
    )


@bp.post("/dispatch/volunteers/<int:volunteer_id>/calendar/revoke")
@staff_required
def revoke_volunteer(volunteer_id: int) -> Response:
    volunteer = _own_volunteer(volunteer_id)
    count = tokens.revoke_volunteer_tokens(db.session(), volunteer, now=utcnow())
    if count:
        flash(
            _(
                "%(name)s's calendar link no longer works. They can make a new one "
                "on their “My calendar” page.",
                name=volunteer.first_name,
            ),
            "success",
        )
    else:
        flash(_("%(name)s had no working calendar link.", name=volunteer.first_name), "info")
    return redirect(url_for("feeds.volunteer", volunteer_id=volunteer.id))


@bp.get("/dispatch/calendar")
@staff_required
def team() -> str:
    user = current_user._get_current_object()
    token = tokens.ensure_team_token(db.session(), user, now=utcnow(), key=seal_key())
    links = feed_links(url_for("feeds.team_feed", token=token)) if token else None
    row = tokens.live_team_token(db.session(), user)
    organisation = user.organisation
    links_by_volunteer = tokens.volunteer_links(db.session(), organisation.id)
    volunteers = [volunteer for volunteer, _row in links_by_volunteer]
    latest = {v.id: t for v, t in links_by_volunteer if t is not None}
    sites = [s for s in organisation.sites if s.active]
    site_links = {s.id: feed_links(url_for("feeds.site_feed", site_id=s.id)) for s in sites}
    return render_template(
        "feeds/team.html",
        links=links,
        row=row,
        volunteers=volunteers,
        latest=latest,
        sites=sites,
        site_links=site_links,
    )


@bp.post("/dispatch/calendar/new-link")
@staff_required
def reset_team() -> Response:
    user = current_user._get_current_object()
    tokens.issue_team_token(db.session(), user, now=utcnow(), key=seal_key())
    flash(_("The team calendar has a new link. The old one no longer works."), "success")
    return redirect(url_for("feeds.team"))
