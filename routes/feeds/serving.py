"""The calendar feeds themselves: bytes, ETag, Last-Modified, a rate limit per link."""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn

from flask import abort
from flask import request
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Response

from routes.feeds import bp
from routes.feeds import feed_settings
from routes.feeds import runtime
from scheduler.calendars import render
from scheduler.calendars import tokens
from scheduler.core import audit
from scheduler.core.extensions import db
from scheduler.core.extensions import limiter
from scheduler.core.tokens import hash_token
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.organisation.sites import open_site
from scheduler.requests.private_link import find_by_token


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


def _record_export(response: Response, what: str, actor: User | None, org_id: int) -> None:
    """A feed holding personal data left the service: in the audit trail, once a day per
    feed and person (calendar apps fetch it every hour)."""
    if response.status_code != 200:
        return
    audit.record_export(
        db.session(),
        actor=actor,
        what=what,
        rows=response.get_data().count(b"BEGIN:VEVENT"),
        now=utcnow(),
        organisation_id=org_id,
        once_per=timedelta(days=1),
    )
    db.session.commit()


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
        db.session(), volunteer, now=now, settings=feed_settings(), floor=runtime().started_at
    )
    response = _serve(feed)
    _record_export(response, "feed:volunteer", volunteer.user, volunteer.organisation_id)
    return response


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
        floor=runtime().started_at,
    )
    response = _serve(feed)
    _record_export(response, "feed:team", user, user.organisation_id)
    return response


@bp.get("/feeds/site/<int:site_id>.ics")
@limiter.limit(_rate_limit, key_func=_link_key)
def site_feed(site_id: int) -> Response:
    site = open_site(db.session(), site_id)
    if site is None:
        _no_such_feed()
    feed = render.site_feed(
        site, now=utcnow(), settings=feed_settings(), floor=runtime().started_at
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
        floor=runtime().started_at,
    )
    if feed is None:
        _no_such_feed()
    return _serve(feed, download=True)
