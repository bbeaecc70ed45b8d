"""Flask extensions, created unbound; ``create_app`` binds them to an application."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from flask_wtf.csrf import CSRFError

from scheduler.core import sqlite as _sqlite  # noqa: F401  (foreign keys on SQLite)
from scheduler.models.base import Base

#: Flask-WTF's reason for a token older than ``WTF_CSRF_TIME_LIMIT``.
EXPIRED_TOKEN = "The CSRF token has expired."


class FormCSRF(CSRFProtect):  # type: ignore[misc]
    """Flask-WTF's check of form tokens, which may let a form sent too late reach its page.

    A token that is only too old is no forgery: someone left a form open longer than
    ``WTF_CSRF_TIME_LIMIT``. Refused here, what they typed would be lost. When
    ``resend_expired`` (set by the web layer, :mod:`routes.expired_forms`) says so, the
    post goes on to its view, whose form then refuses it and shows again what was typed;
    every other failure is refused here, as Flask-WTF does.
    """

    resend_expired: Callable[[], bool] | None = None

    def protect(self, apply_exemptions: bool = False) -> None:
        try:
            super().protect(apply_exemptions)
        except CSRFError as error:
            resend = self.resend_expired
            if error.description != EXPIRED_TOKEN or resend is None or not resend():
                raise


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = FormCSRF()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
