"""HTTP blueprints. Thin: parse, authorise, call a service in ``scheduler``, render."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from routes.booking import expiry  # noqa: F401  (expired forms come back filled in)
    from routes.booking import journey  # noqa: F401  (the step-by-step screens join booking.bp)
    from routes.booking import pages as booking
    from routes.booking import workshops as public_workshops  # noqa: F401  (joins booking.bp)
    from routes.devices import bp as devices_bp
    from routes.dispatch import plans
    from routes.dispatch import running
    from routes.dispatch import runs as plan_runs
    from routes.maps import bp as maps_bp
    from routes.observatory import pages as observatory
    from routes.proposals import bp as proposals_bp
    from routes.reports import bp as reports_bp
    from routes.requests import inbox
    from routes.requests import intake
    from routes.sheets import bp as sheets_bp
    from routes.workshops import bp as workshops_bp
    from routes.workshops.words import init_labels as init_workshop_labels

    from . import admin
    from . import api
    from . import auth
    from . import errors
    from . import feeds
    from . import language
    from . import messages
    from . import partners
    from . import volunteers
    from .labels import init_labels
    from .messages.labels import init_labels as init_message_labels
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
    app.register_blueprint(messages.bp)
    app.register_blueprint(plan_runs.bp)
    app.register_blueprint(maps_bp)
    app.register_blueprint(sheets_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(running.bp)
    app.register_blueprint(observatory.bp)
    api.init_app(app)
    app.register_blueprint(partners.bp)
    app.register_blueprint(devices_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(workshops_bp)
    feeds.init_app(app)
    errors.init_app(app)
    init_navigation(app)
    init_templating(app)
    init_labels(app)
    init_message_labels(app)
    init_workshop_labels(app)
