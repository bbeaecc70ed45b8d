"""/admin/api-tokens: the tokens partners' software and the organisation's tools call the
API with. The secret shows once, on the page the creation leads to, and never again (it
is not stored); revoking takes effect on the next call."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import current_app
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms import validators
from wtforms.fields.choices import SelectChoice

from routes.context import settings
from routes.fields import MultiCheckboxField
from routes.fields import int_or_none
from routes.fields import one_line
from routes.forms import FlaskForm
from routes.refusals import show_refusal
from routes.submissions import sent_before
from routes.submissions import settle
from scheduler.api import tokens
from scheduler.core.extensions import db
from scheduler.core.sealed import seal
from scheduler.core.sealed import unseal
from scheduler.core.validation import InputRefused
from scheduler.models import ApiScope
from scheduler.models import User
from scheduler.models import utcnow

from ..access import admin_required
from . import bp

SCOPE_LABELS = {
    ApiScope.REQUESTS_CREATE: _l("Create help requests (refer people)"),
    ApiScope.REQUESTS_READ: _l("Read requests' status (a partner: its own referrals only)"),
    ApiScope.APPOINTMENTS_READ: _l("Read a week's appointments (staff tokens only)"),
    ApiScope.PLANS_READ: _l("Read published plans (staff tokens only)"),
}


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[one_line],
        validators=[
            validators.InputRequired(_l("Enter a name.")),
            validators.Length(max=tokens.NAME_MAX),
        ],
    )
    partner = SelectField(_l("Used by"), coerce=int_or_none, validate_choice=False)
    scopes = MultiCheckboxField(
        _l("What it may do"),
        choices=[SelectChoice(s.value, label) for s, label in SCOPE_LABELS.items()],
        validate_choice=False,
    )
    days = IntegerField(
        _l("Valid for (days)"),
        validators=[
            validators.InputRequired(_l("Enter a number of days.")),
            validators.NumberRange(
                tokens.MIN_DAYS,
                tokens.MAX_DAYS,
                _l("Enter a number of days between %(min)s and %(max)s."),
            ),
        ],
    )


class RevokeForm(FlaskForm):
    pass


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _form(*, fresh: bool = False) -> NewTokenForm:
    """The creation form with the organisation's partners; ``fresh`` ignores what was
    posted (after a creation)."""
    form = NewTokenForm(formdata=None) if fresh else NewTokenForm()
    if fresh or not form.is_submitted():
        form.days.data = settings().api.default_token_days
        form.scopes.data = [ApiScope.REQUESTS_CREATE.value, ApiScope.REQUESTS_READ.value]
    form.partner.choices = [SelectChoice("", _("The organisation's own tools (staff)"))] + [
        SelectChoice(str(p.id), p.name)
        for p in tokens.partner_choices(db.session(), current_user.organisation_id)
    ]
    return form


#: Where a fresh token's secret waits, in the administrator's session, for its one display.
ISSUED_KEY = "api_token_issued"


def _page(form: NewTokenForm, **extra: Any) -> str:
    return render_template(
        "admin/api_tokens.html",
        form=form,
        tokens=tokens.organisation_tokens(db.session(), current_user.organisation_id),
        revoke_form=RevokeForm(),
        scope_labels=SCOPE_LABELS,
        now=utcnow(),
        **extra,
    )


def _issued_once() -> tokens.IssuedToken | None:
    """The token just created with its secret, taken out of the session: shown on this
    page only, so that a reload or the back button shows it no more."""
    kept = session.pop(ISSUED_KEY, None)
    if not isinstance(kept, dict):
        return None
    token_id, sealed = kept.get("id"), kept.get("sealed")
    if not isinstance(token_id, int) or not isinstance(sealed, str):
        return None
    secret = unseal(current_app.secret_key or "", sealed)
    if secret is None:
        return None
    token = tokens.organisation_token(db.session(), current_user.organisation_id, token_id)
    if token is None or token.revoked_at is not None:
        return None
    return tokens.IssuedToken(token=token, secret=secret)


@bp.get("/api-tokens")
@admin_required
def api_tokens() -> Response:
    response = make_response(_page(_form(), issued=_issued_once()))
    # The page may hold a secret: never kept by a browser's cache or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/api-tokens")
@admin_required
def create_api_token() -> Response | tuple[str, int]:
    form = _form()
    offered = {str(choice.value) for choice in form.partner.choices if choice.value}
    if form.partner.data is not None and str(form.partner.data) not in offered:
        form.partner.errors = [_("Choose from the list.")]
    elif form.validate():
        again = sent_before("api_token", url_for("admin.api_tokens"))
        if again is not None:
            return again
        try:
            issued = tokens.issue_token(
                db.session(),
                actor=_me(),
                name=form.name.data,
                scopes=form.scopes.data or [],
                days=form.days.data,
                now=utcnow(),
                partner_organisation_id=form.partner.data,
            )
        except InputRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            # Post, redirect, get: a reload of the page shown creates nothing. The secret
            # waits in the session, sealed (the cookie is signed, not encrypted), for the
            # one display that follows, which takes it out.
            session[ISSUED_KEY] = {
                "id": issued.token.id,
                "sealed": seal(current_app.secret_key or "", issued.secret),
            }
            settle(url_for("admin.api_tokens"))
            return redirect(url_for("admin.api_tokens"), 303)
    return _page(form), 400


@bp.post("/api-tokens/<int:token_id>/revoke")
@admin_required
def revoke_api_token(token_id: int) -> Response:
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        token = tokens.revoke_token(db.session(), actor=_me(), token_id=token_id, now=utcnow())
    except InputRefused:
        abort(404)
    flash(_("The token %(name)s is revoked.", name=token.name), "success")
    return redirect(url_for("admin.api_tokens"))
