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

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint
from flask import Flask
from flask import current_app

from scheduler.calendars import tokens
from scheduler.calendars.settings import FeedSettings
from scheduler.models import utcnow
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


def runtime() -> _Runtime:
    runtime: _Runtime = current_app.extensions[EXTENSION]
    return runtime


def feed_settings() -> FeedSettings:
    return runtime().settings


def seal_key() -> bytes:
    return tokens.key_from_secret(current_app.config["SECRET_KEY"])


# The feeds and the pages register on the blueprint.
from routes.feeds import serving  # noqa: E402,F401
from routes.feeds import subscribe  # noqa: E402,F401
