"""A staff form sent after its token expired comes back with what was typed, saving nothing.

Form tokens last ``WTF_CSRF_TIME_LIMIT`` (4 hours) while a staff session lasts 8: a
dispatcher who starts a volunteer's file before lunch and sends it after lost all they
typed to the "page expired" page. Such a post, from a signed-in person's own session,
now reaches its view like any other; the form refuses it (:meth:`routes.forms.FlaskForm.
validate`), so the view shows the form again as it shows any refused form: what was
typed, a fresh token, and a sentence saying to send it again.

Nothing from such a post is saved: its token does not vouch for it. A view that would
save without a form to refuse (a button that publishes, a switch) meets a refused commit
instead, and the person gets the "page expired" page, as before. The public pages have
their own recovery (:mod:`routes.booking.expiry`); the API has no form tokens.
"""

from __future__ import annotations

import hmac
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask import current_app
from flask import flash
from flask import g
from flask import has_request_context
from flask import render_template
from flask import request
from flask import session
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import same_origin
from itsdangerous import BadData
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy.orm import Session

from scheduler.core.extensions import csrf
from scheduler.core.extensions import db

#: Set on ``g`` for a post whose form token had only expired.
FLAG = "expired_form"
#: Blueprints whose expired forms are answered otherwise (public pages, sign-in, API).
OTHERS = frozenset({"booking", "auth", "api", "operations"})


class ExpiredFormNotSaved(Exception):
    """A post sent with an expired token tried to save something."""


def is_expired_post() -> bool:
    return has_request_context() and bool(g.get(FLAG))


def note_expired() -> None:
    """Say once, on the page shown again, why nothing was saved and what to do."""
    if not g.get(FLAG + "_told"):
        g.setdefault(FLAG + "_told", True)
        flash(
            _(
                "This page stayed open a long time. For your safety, it must be sent again:"
                " what you typed is still here."
            ),
            "error",
        )


def _resendable() -> bool:
    """A signed-in person's form post, whose token is one this session was given."""
    if request.blueprint in OTHERS or not current_user.is_authenticated:
        return False
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return False
    config = current_app.config
    field = config["WTF_CSRF_FIELD_NAME"]
    sent = request.form.get(field, "")
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key or ""
    try:
        token = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(sent)
    except BadData:
        return False
    own = session.get(field)
    if not isinstance(own, str) or not isinstance(token, str):
        return False
    if not hmac.compare_digest(own, token):
        return False
    if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
        referrer = request.referrer
        if not referrer or not same_origin(referrer, f"https://{request.host}/"):
            return False
    g.setdefault(FLAG, True)
    return True


def _refuse_commit(_session: Session) -> None:
    if is_expired_post():
        raise ExpiredFormNotSaved


def init_app(app: Flask) -> None:
    csrf.resend_expired = _resendable
    if not sa.event.contains(Session, "before_commit", _refuse_commit):
        sa.event.listen(Session, "before_commit", _refuse_commit)

    @app.errorhandler(ExpiredFormNotSaved)
    def not_saved(error: ExpiredFormNotSaved) -> Any:
        db.session.rollback()
        return render_template("errors/csrf.html"), 400
