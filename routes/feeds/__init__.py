"""Calendar feeds over HTTP, and the pages to subscribe to them.

Feeds (``text/calendar``, with ETag, Last-Modified and a rate limit per link):

- ``/feeds/volunteer/<token>.ics``: a volunteer's own appointments (private link);
- ``/feeds/team/<token>.ics``: every appointment, for one dispatcher (private link);
- ``/feeds/site/<site_id>.ics``: a site's drop-in hours (public);
- ``/request/<token>/appointment.ics``: a beneficiary's confirmed appointment, to keep.

Pages: "My calendar" for volunteers (``/me/calendar``), and for dispatchers the
team calendar (``/dispatch/calendar``) and each volunteer's link
(``/dispatch/volunteers/<id>/calendar``).

An unknown, revoked or mistyped secret is a plain 404, the same for every case.
Secret paths match ``scheduler.core.logs.SECRET_PATH`` so access logs never keep them.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

import qrcode
import qrcode.image.svg
from flask import Blueprint
from flask import Flask
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Response

from routes.access import role_required
from routes.access import staff_required
from scheduler.calendars import render
from scheduler.calendars import tokens
from scheduler.calendars.settings import FeedSettings
from scheduler.core.extensions import db
from scheduler.core.extensions import limiter
from scheduler.core.tokens import hash_token
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.organisation.sites import open_site
from scheduler.people.volunteers import find_volunteer
from scheduler.requests.private_link import find_by_token
from scheduler.runtime import settings_of

bp = Blueprint("feeds", __name__)

EXTENSION = "escouade.feeds"


@dataclass(frozen=True)
class _Runtime:
    settings: FeedSettings
    #: When this process started: feeds are never older, so a release's new wording is fetched.
    started_at: datetime


def init_app(app: Flask) -> None:
    """Keep ``[FEEDS]`` (read by ``create_app``) and the start time; register the blueprint."""
    settings = settings_of(app).feeds
    app.extensions[EXTENSION] = _Runtime(settings, utcnow().replace(microsecond=0))
    app.register_blueprint(bp)


def _runtime() -> _Runtime:
    runtime: _Runtime = current_app.extensions[EXTENSION]
    return runtime


def feed_settings() -> FeedSettings:
    return _runtime().settings


def _seal_key() -> bytes:
    return tokens.key_from_secret(current_app.config["SECRET_KEY"])


# --- feeds -------------------------------------------------------------------------------


def _rate_limit() -> str:
    return feed_settings().rate_limit


def _link_key() -> str:
    """Rate-limit key: a hash of the link's secret (the secret itself never reaches storage)."""
    args = request.view_args or {}
    secret = str(args.get("token") or args.get("site_id") or "")
    return f"feed:{request.endpoint}:{hash_token(secret)[:32]}"


def _no_such_feed() -> NoReturn:
    """The same short 404 for an unknown, revoked or mistyped link: no hint of which."""
    response = Response("Not found\n", status=404, mimetype="text/plain")
    response.cache_control.no_store = True
    abort(response)


def _serve(feed: render.RenderedFeed, *, public: bool = False, download: bool = False) -> Response:
    """The feed, or 304 Not Modified (checked before the bytes are built).

    If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2).
    """
    unchanged = not is_resource_modified(
        request.environ, etag=feed.etag, last_modified=feed.last_modified
    )
    if unchanged:
        response = Response(status=304)
    else:
        response = Response(feed.body, mimetype="text/calendar")
        disposition = "attachment" if download else "inline"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{feed.filename}"'
    response.set_etag(feed.etag)
    response.last_modified = feed.last_modified
    response.cache_control.max_age = feed_settings().cache_max_age
    if public:
        response.cache_control.public = True
    else:
        response.cache_control.private = True
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/feeds/volunteer/<token>.ics")
@limiter.limit(_rate_limit, key_func=_link_key)
def volunteer_feed(token: str) -> Response:
    now = utcnow()
    volunteer = tokens.find_volunteer(db.session(), token, now=now)
    if volunteer is None:
        _no_such_feed()
    feed = render.volunteer_feed(
        db.session(), volunteer, now=now, settings=feed_settings(), floor=_runtime().started_at
    )
    return _serve(feed)


@bp.get("/feeds/team/<token>.ics")
@limiter.limit(_rate_limit, key_func=_link_key)
def team_feed(token: str) -> Response:
    now = utcnow()
    user = tokens.find_team_user(db.session(), token, now=now)
    if user is None:
        _no_such_feed()
    feed = render.team_feed(
        db.session(),
        user.organisation,
        now=now,
        settings=feed_settings(),
        floor=_runtime().started_at,
    )
    return _serve(feed)


@bp.get("/feeds/site/<int:site_id>.ics")
@limiter.limit(_rate_limit, key_func=_link_key)
def site_feed(site_id: int) -> Response:
    site = open_site(db.session(), site_id)
    if site is None:
        _no_such_feed()
    feed = render.site_feed(
        site, now=utcnow(), settings=feed_settings(), floor=_runtime().started_at
    )
    return _serve(feed, public=True)


@bp.get("/request/<token>/appointment.ics")
@limiter.limit(_rate_limit, key_func=_link_key)
def request_ics(token: str) -> Response:
    """The beneficiary's confirmed appointment, to add to their own calendar."""
    help_request = find_by_token(db.session(), token)
    if help_request is None:
        _no_such_feed()
    feed = render.request_file(
        db.session(),
        help_request,
        now=utcnow(),
        settings=feed_settings(),
        floor=_runtime().started_at,
    )
    if feed is None:
        _no_such_feed()
    return _serve(feed, download=True)


# --- links shown on pages ------------------------------------------------------------------


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
    token = tokens.ensure_volunteer_token(db.session(), volunteer, now=utcnow(), key=_seal_key())
    row = tokens.live_volunteer_token(db.session(), volunteer)
    links = feed_links(_volunteer_path(token)) if token else None
    return render_template("feeds/mine.html", volunteer=volunteer, links=links, row=row, **page)


@bp.post("/me/calendar/new-link")
@role_required(Role.VOLUNTEER)
def reset_mine() -> Response:
    volunteer = current_user.volunteer
    if volunteer is None:
        abort(404)
    tokens.issue_volunteer_token(db.session(), volunteer, now=utcnow(), key=_seal_key())
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
    token = tokens.ensure_team_token(db.session(), user, now=utcnow(), key=_seal_key())
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
    tokens.issue_team_token(db.session(), user, now=utcnow(), key=_seal_key())
    flash(_("The team calendar has a new link. The old one no longer works."), "success")
    return redirect(url_for("feeds.team"))
