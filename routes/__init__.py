"""HTTP blueprints. Thin: parse, authorise, call a service in ``scheduler``, render."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from routes.booking import pages as booking
    from routes.dispatch import plans
    from routes.observatory import pages as observatory
    from routes.requests import inbox
    from routes.requests import intake

    from . import admin
    from . import auth
    from . import errors
    from . import feeds
    from . import language
    from . import volunteers
    from .labels import init_labels
    from .navigation import init_navigation
    from .templating import init_templating

    app.register_blueprint(auth.bp)
    app.register_blueprint(language.bp)
    app.register_blueprint(volunteers.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(booking.bp)
    app.register_blueprint(intake.bp)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(observatory.bp)
    feeds.init_app(app)
    errors.init_app(app)
    init_navigation(app)
    init_templating(app)
    init_labels(app)
