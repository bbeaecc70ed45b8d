"""Merging two requests of one person, and erasing a closed request's personal data."""

from __future__ import annotations

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.requests.display import refusal_message
from routes.requests.forms import MergeForm
from routes.requests.inbox import acting_organisation
from routes.requests.inbox import acting_user
from routes.requests.inbox import attach_refusal
from routes.requests.inbox import back_link
from routes.requests.inbox import bp
from routes.requests.inbox import request_or_404
from scheduler.core.extensions import db
from scheduler.models import utcnow
from scheduler.requests import duplicates
from scheduler.requests import retention
from scheduler.requests.triage import ActionRefused


@bp.route("/<int:request_id>/merge/<int:other_id>", methods=["GET", "POST"])
@staff_required
def merge(request_id: int, other_id: int) -> Response | tuple[str, int]:
    req = request_or_404(request_id)
    other = request_or_404(other_id)
    pair = (req, other)
    locked = [r for r in pair if duplicates.has_confirmed_appointment(db.session(), r)]
    # The older request is kept, unless only the other one has a promise to keep.
    default = locked[0] if len(locked) == 1 else min(pair, key=lambda r: (r.created_at, r.id))
    form = MergeForm()
    form.keep.choices = [(r.id, r.reference) for r in pair]
    if request.method == "GET":
        form.keep.data = default.id
    blocked = None
    try:
        duplicates.check_pair(req, other)
        if len(locked) == 2:
            raise ActionRefused("merge_confirmed", reference=other.reference)
    except ActionRefused as refusal:
        blocked = refusal_message(refusal)

    if request.method == "POST" and blocked is None and form.validate():
        keep = req if form.keep.data == req.id else other
        duplicate = other if keep is req else req
        try:
            duplicates.merge_requests(
                db.session(), keep, duplicate, user=acting_user(), now=utcnow()
            )
        except ActionRefused as refusal:
            db.session.rollback()
            attach_refusal(form, ActionRefused(refusal.code, "keep", **refusal.params))
        else:
            flash(
                _(
                    "%(duplicate)s was merged into %(kept)s and cancelled as a duplicate.",
                    duplicate=duplicate.reference,
                    kept=keep.reference,
                ),
                "success",
            )
            return redirect(url_for("inbox.show", request_id=keep.id, back=back_link()))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "inbox/merge.html",
        req=req,
        other=other,
        pair=pair,
        form=form,
        blocked=blocked,
        locked=locked,
        back=back_link(),
        country=acting_organisation().country,
    ), status


# --- erasure --------------------------------------------------------------------------


@bp.route("/<int:request_id>/erase", methods=["GET", "POST"])
@staff_required
def erase(request_id: int) -> Response | tuple[str, int]:
    req = request_or_404(request_id)
    if request.method == "POST":
        try:
            retention.erase_request_now(db.session(), req, user=acting_user(), now=utcnow())
        except ActionRefused as refusal:
            db.session.rollback()
            return render_template(
                "inbox/erase.html", req=req, refusal=refusal_message(refusal), back=back_link()
            ), 400
        flash(
            _("The personal data of %(reference)s is erased.", reference=req.reference), "success"
        )
        return redirect(url_for("inbox.show", request_id=req.id, back=back_link()))
    why_not = None
    if req.is_open:
        why_not = refusal_message(ActionRefused("erase_open"))
    elif retention.is_erased(db.session(), req):
        why_not = refusal_message(ActionRefused("erase_done"))
    return render_template("inbox/erase.html", req=req, refusal=why_not, back=back_link()), 200
