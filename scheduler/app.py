"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask import Response
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter
from werkzeug.routing import Map
from werkzeug.routing import ValidationError

from routes import register_blueprints
from routes.context import select_locale
from routes.context import select_timezone
from routes.input import CleanRequest
from scheduler.core.extensions import babel
from scheduler.core.extensions import csrf
from scheduler.core.extensions import db
from scheduler.core.extensions import limiter
from scheduler.core.extensions import login_manager
from scheduler.core.extensions import migrate
from scheduler.core.logs import configure_logging
from scheduler.core.settings import ROOT
from scheduler.core.settings import default_instance_path
from scheduler.core.settings import load_config
from scheduler.core.web import trust_proxies
from scheduler.core.web import trusted_proxies
from scheduler.runtime import init_settings
from scheduler.tasks import install_queue


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Escouade application.

    :param test_config: settings applied last, for tests.
    """
    app = Flask(
        __name__,
        instance_path=str(default_instance_path()),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.request_class = CleanRequest
    load_config(app, test_config)
    settings = init_settings(app)
    trust_proxies(app, trusted_proxies(app.config))

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=";".join(
            str(ROOT / d) for d in ("translations", "translations/regional")
        ),
    )
    csrf.init_app(app)
    limiter.init_app(app)
    _init_login(app)

    install_queue(app, settings.queue, settings)

    _bound_url_ids(app)
    register_blueprints(app)
    _init_security_headers(app)
    configure_logging()

    from .cli import register_commands

    register_commands(app)
    return app


def _init_login(app: Flask) -> None:
    from .models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please sign in to see this page.")

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The session's user while the session is current: it carries ``id.version``, and
        any later sign-out, new password, role change or disabling raised the version."""
        ident, _, version = user_id.partition(".")
        if not ident.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(ident))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user


class _DatabaseId(IntegerConverter):
    """``<int:…>`` in a URL, up to the largest id the database holds (PostgreSQL's
    ``integer``): a larger number matches no page, so it is "not found" instead of an
    overflow error from the database driver.

    Such a number is "not found" at once, whatever the method: left to Werkzeug's
    matcher, a refused number lets the rule of another method win, so a POST to
    ``/ask/workshop/99999999999999999999`` answered "method not allowed" (405).
    """

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound() from None


def _bound_url_ids(app: Flask) -> None:
    """Replace Werkzeug's unbounded ``int`` converter; before any blueprint is added."""
    app.url_map.converters["int"] = _DatabaseId


def _init_security_headers(app: Flask) -> None:
    """Headers every page gets: no framing, no sniffing, and no Referer leaking private links.

    Images may also come from the configured map tile server (``[MAPS] tile_url``).
    """
    from .runtime import settings_of

    tiles = settings_of(app).maps.tile_origin
    images = f"'self' data: {tiles}" if tiles else "'self' data:"

    @app.after_request
    def set_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; img-src {images}; style-src 'self'; "
            "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        return response
