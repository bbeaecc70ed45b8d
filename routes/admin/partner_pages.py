"""/admin/partners: partner organisations that refer people, and their staff's logins."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.partners.words import KIND_LABELS
from routes.refusals import show_refusal
from routes.submissions import sent_before
from routes.submissions import settle
from scheduler.core.extensions import db
from scheduler.core.validation import InputRefused
from scheduler.models import PartnerOrganisation
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.partners import organisations

from ..access import admin_required
from . import bp
from .partner_forms import InviteForm
from .partner_forms import PartnerForm


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _partner(partner_id: int) -> PartnerOrganisation:
    partner = organisations.find_partner(db.session(), current_user.organisation_id, partner_id)
    if partner is None:
        abort(404)
    return partner


@bp.route("/partners", methods=["GET", "POST"])
@admin_required
def partners_index() -> str | Response | tuple[str, int]:
    form = PartnerForm()
    if form.validate_on_submit():
        again = sent_before("new_partner", url_for("admin.partners_index"))
        if again is not None:
            return again
        try:
            partner = organisations.create_partner(
                db.session(), current_user.organisation, form.fields(), actor=_me(), now=utcnow()
            )
        except InputRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            settle(url_for("admin.show_partner", partner_id=partner.id))
            flash(_("%(name)s is added. Invite its staff below.", name=partner.name), "success")
            return redirect(url_for("admin.show_partner", partner_id=partner.id), 303)
    page = render_template(
        "admin/partners.html",
        partners=organisations.partners(db.session(), current_user.organisation_id),
        form=form,
        kind_labels=KIND_LABELS,
    )
    return (page, 400) if request.method == "POST" else page


def _partner_page(
    partner: PartnerOrganisation,
    form: PartnerForm | None = None,
    invite: InviteForm | None = None,
    password: str | None = None,
    invited: User | None = None,
) -> str:
    if form is None:
        form = PartnerForm(
            formdata=None,
            name=partner.name,
            kind=partner.kind.value,
            contact_email=partner.contact_email,
            notify_on_status=partner.notify_on_status,
        )
    return render_template(
        "admin/partner.html",
        partner=partner,
        form=form,
        invite=invite or InviteForm(formdata=None),
        staff=organisations.staff(db.session(), partner),
        kind_labels=KIND_LABELS,
        password=password,
        invited=invited,
    )


@bp.get("/partners/<int:partner_id>")
@admin_required
def show_partner(partner_id: int) -> str:
    return _partner_page(_partner(partner_id))


@bp.post("/partners/<int:partner_id>")
@admin_required
def update_partner(partner_id: int) -> Response | tuple[str, int]:
    partner = _partner(partner_id)
    form = PartnerForm()
    if form.validate():
        try:
            organisations.update_partner(
                db.session(), partner, form.fields(), actor=_me(), now=utcnow()
            )
        except InputRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            flash(_("%(name)s is saved.", name=partner.name), "success")
            return redirect(url_for("admin.show_partner", partner_id=partner.id), 303)
    return _partner_page(partner, form=form), 400


@bp.post("/partners/<int:partner_id>/active")
@admin_required
def set_partner_active(partner_id: int) -> Response | tuple[str, int]:
    """Deactivate (``active=0``) or reactivate (``active=1``) a partner. Anything else (no
    value, a typo, an old form) changes nothing and says so: deactivating cuts its staff
    off, so it is never the default."""
    partner = _partner(partner_id)
    chosen = request.form.get("active")
    if chosen not in ("0", "1"):
        flash(_("Nothing was changed: choose to deactivate or reactivate the partner."), "error")
        return _partner_page(partner), 400
    active = chosen == "1"
    organisations.set_partner_active(db.session(), partner, active, actor=_me(), now=utcnow())
    if active:
        flash(_("%(name)s is active again; its staff can sign in.", name=partner.name), "success")
    else:
        flash(
            _("%(name)s is deactivated; its staff can no longer sign in.", name=partner.name),
            "success",
        )
    return redirect(url_for("admin.show_partner", partner_id=partner.id), 303)


@bp.post("/partners/<int:partner_id>/staff")
@admin_required
def invite_staff(partner_id: int) -> Response | tuple[str, int]:
    """Give a staff member of the partner a login; its temporary password is shown once."""
    partner = _partner(partner_id)
    invite = InviteForm()
    if invite.validate():
        again = sent_before(
            "invite_partner_staff", url_for("admin.show_partner", partner_id=partner.id)
        )
        if again is not None:
            return again
        try:
            given = organisations.invite_staff(
                db.session(),
                partner,
                invite.email.data,
                invite.display_name.data,
                actor=_me(),
                now=utcnow(),
            )
        except InputRefused as refusal:
            db.session.rollback()
            show_refusal(invite, refusal)
        else:
            settle(url_for("admin.show_partner", partner_id=partner.id))
            page = _partner_page(partner, password=given.temporary_password, invited=given.user)
            response = make_response(page)
            # The temporary password is on this page: never kept by a browser or a proxy.
            response.headers["Cache-Control"] = "no-store"
            return response
    return _partner_page(partner, invite=invite), 400
