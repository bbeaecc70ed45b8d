"""/admin/users: logins and roles."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.refusals import show_refusal
from scheduler.core.extensions import db
from scheduler.core.validation import InputRefused
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.people import users

from ..access import admin_required
from . import bp
from .forms import ROLE_LABELS
from .forms import NewUserForm
from .forms import PasswordForm
from .forms import RoleForm


def _user(user_id: int) -> User:
    user = users.find_user(db.session(), current_user.organisation_id, user_id)
    if user is None:
        abort(404)
    return user


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _list_page(form: NewUserForm) -> str:
    return render_template(
        "admin/users.html",
        users=users.users(db.session(), current_user.organisation_id),
        form=form,
        role_labels=ROLE_LABELS,
    )


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users_index() -> str | Response | tuple[str, int]:
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = users.create_account(
                db.session(),
                current_user.organisation,
                form.email.data,
                form.display_name.data,
                Role(form.role.data),
                form.password.data,
                actor=_me(),
                now=utcnow(),
            )
        except InputRefused as refusal:
            show_refusal(form, refusal)
        else:
            flash(_("The login %(email)s is created.", email=user.email), "success")
            return redirect(url_for("admin.users_index"))
    page = _list_page(form)
    return (page, 400) if request.method == "POST" else page


def _user_page(
    user: User, role_form: RoleForm | None = None, password_form: PasswordForm | None = None
) -> str:
    if role_form is None:
        role_form = RoleForm(formdata=None, role=user.role.value)
    return render_template(
        "admin/user.html",
        user=user,
        role_form=role_form,
        password_form=password_form or PasswordForm(formdata=None),
        role_labels=ROLE_LABELS,
    )


@bp.get("/users/<int:user_id>")
@admin_required
def show_user(user_id: int) -> str:
    return _user_page(_user(user_id))


def _last_admin() -> str:
    return _("There must stay at least one active administrator: make someone else one first.")


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int) -> Response | tuple[str, int]:
    user = _user(user_id)
    form = RoleForm()
    if form.validate():
        try:
            users.change_role(db.session(), user, Role(form.role.data), actor=_me(), now=utcnow())
        except users.LastAdministrator:
            form.role.errors = [_last_admin()]
        except InputRefused as refusal:
            show_refusal(form, refusal)
        else:
            flash(_("The role of %(email)s is changed.", email=user.email), "success")
            return redirect(url_for("admin.show_user", user_id=user.id))
    return _user_page(user, role_form=form), 400


@bp.post("/users/<int:user_id>/active")
@admin_required
def set_user_active(user_id: int) -> Response:
    user = _user(user_id)
    active = request.form.get("active") == "1"
    try:
        users.set_active(db.session(), user, active, actor=_me(), now=utcnow())
    except users.LastAdministrator:
        flash(_last_admin(), "error")
    else:
        if active:
            flash(_("%(email)s can sign in again.", email=user.email), "success")
        else:
            flash(_("%(email)s can no longer sign in.", email=user.email), "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
@admin_required
def reset_password(user_id: int) -> Response | tuple[str, int]:
    user = _user(user_id)
    form = PasswordForm()
    if form.validate():
        try:
            users.reset_password(
                db.session(), user, form.new_password.data, actor=_me(), now=utcnow()
            )
        except InputRefused as refusal:
            show_refusal(form, refusal, field="new_password")
        else:
            flash(_("The password of %(email)s is changed.", email=user.email), "success")
            return redirect(url_for("admin.show_user", user_id=user.id))
    return _user_page(user, password_form=form), 400


@bp.post("/users/<int:user_id>/sign-out")
@admin_required
def sign_out_everywhere(user_id: int) -> Response:
    """End every session of a user: a lost phone, a computer left signed in."""
    user = _user(user_id)
    users.sign_out_everywhere(db.session(), user, actor=_me(), now=utcnow())
    flash(_("%(email)s is signed out on every device.", email=user.email), "success")
    if user.id == _me().id:
        return redirect(url_for("auth.login"))
    return redirect(url_for("admin.show_user", user_id=user.id))
