"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user
from werkzeug.wrappers import Response
from wtforms import EmailField
from wtforms import PasswordField
from wtforms import validators

from routes.forms import FlaskForm
from scheduler.core.extensions import db
from scheduler.core.extensions import limiter
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.people import accounts

from .language import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[validators.InputRequired(_l("Enter your e-mail.")), validators.Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            validators.InputRequired(_l("Enter your password.")),
            validators.Length(max=200),
        ],
        render_kw={"autocomplete": "current-password"},
    )


def home_for(user: User) -> str:
    """Where a user lands after signing in."""
    if user.role is Role.VOLUNTEER:
        return url_for("volunteers.me") if _has("volunteers.me") else "/"
    if user.role is Role.PARTNER:
        return url_for("partners.referrals") if _has("partners.referrals") else "/"
    return url_for("inbox.index") if _has("inbox.index") else "/"


def _has(endpoint: str) -> bool:
    from flask import current_app

    return endpoint in current_app.view_functions


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                db.session(), form.email.data, form.password.data, utcnow()
            )
        except accounts.SignInThrottled as throttled:
            minutes = -(-throttled.seconds // 60)
            form.password.errors.append(
                ngettext(
                    "Too many wrong passwords for this account. Wait %(num)d minute, "
                    "then try again.",
                    "Too many wrong passwords for this account. Wait %(num)d minutes, "
                    "then try again.",
                    minutes,
                )
            )
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next"), home_for(user)))
        form.password.errors.append(_("The e-mail or the password is not right."))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> Response:
    """Sign out here and on every device: a copy of this session's cookie stops working."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        user.end_sessions()
        db.session.commit()
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"))
