"""HTTP blueprints. Thin: parse, authorise, call a service in ``scheduler``, render."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import auth
    from . import errors
    from . import feeds
    from . import language
    from .navigation import init_navigation
    from .templating import init_templating

    app.register_blueprint(auth.bp)
    app.register_blueprint(language.bp)
    feeds.init_app(app)
    errors.init_app(app)
    init_navigation(app)
    init_templating(app)
