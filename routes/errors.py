"""Error pages in the visitor's language, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask
from flask import render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from routes import expired_forms
from routes.api.problems import is_api_request
from routes.api.problems import problem_from_http_error
from routes.api.problems import problem_response

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    expired_forms.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if is_api_request():
            return problem_from_http_error(error)
        code = error.code or 500
        return render_template("errors/http.html", code=code), code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        log.exception("unexpected error")
        from scheduler.core.extensions import db

        db.session.rollback()
        if is_api_request():
            return problem_response(500, "Something went wrong on our side.")
        return render_template("errors/http.html", code=500), 500
