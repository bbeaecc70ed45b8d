"""The devices pages; see :mod:`routes.devices`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import abort
from flask import current_app
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.devices import bp
from routes.devices.forms import KIND_LABELS
from routes.devices.forms import STATE_LABELS
from routes.devices.forms import DeviceForm
from routes.devices.forms import GiveForm
from routes.devices.forms import LendForm
from routes.devices.forms import ReturnForm
from routes.devices.forms import StateForm
from routes.refusals import show_refusal
from routes.submissions import sent_before
from routes.submissions import settle
from scheduler import devices as inventory
from scheduler.core import audit
from scheduler.core.extensions import db
from scheduler.core.validation import InputRefused
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import DeviceLoan
from scheduler.models import DeviceState
from scheduler.models import Organisation
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from scheduler.people.volunteers import VolunteerFilter
from scheduler.people.volunteers import find_volunteer
from scheduler.people.volunteers import list_volunteers
from scheduler.sheets import html_to_pdf

#: Why a device cannot go, in words.
DEVICE_REFUSALS: dict[str, Any] = {
    "not_in_stock": _l("This device is not in stock: it cannot be lent or given."),
    "reserved": _l("This device is already reserved for those days."),
    "returned": _l("This loan is already closed."),
    "not_started": _l(
        "This loan has not started: the device never left. Cancel the reservation instead."
    ),
    "started": _l("This loan has started: record the device's return instead."),
}


def _org() -> Organisation:
    org: Organisation = current_user.organisation
    return org


def _device(device_id: int) -> Device:
    device = inventory.find_device(db.session(), _org().id, device_id)
    if device is None:
        abort(404)
    return device


def _loan(loan_id: int) -> DeviceLoan:
    loan = inventory.find_loan(db.session(), _org().id, loan_id)
    if loan is None:
        abort(404)
    return loan


def _labels() -> dict[str, Any]:
    return {"kind_labels": KIND_LABELS, "state_labels": STATE_LABELS}


def _soonest(loans: list[DeviceLoan]) -> dict[int, DeviceLoan]:
    """Each device's open loan due first (the list comes soonest due first)."""
    first: dict[int, DeviceLoan] = {}
    for loan in loans:
        first.setdefault(loan.device_id, loan)
    return first


@bp.route("/", methods=["GET", "POST"])
@staff_required
def index() -> str | Response | tuple[str, int]:
    org = _org()
    form = DeviceForm()
    if request.method == "POST":
        if form.validate():
            again = sent_before("new_device", url_for("devices.index"))
            if again is not None:
                return again
            try:
                device = inventory.add_device(
                    db.session(),
                    org.id,
                    kind=DeviceKind(form.kind.data),
                    label=form.label.data or "",
                    serial=form.serial.data or "",
                    notes=form.notes.data or "",
                    acquired_at=form.acquired_at.data,
                    state=DeviceState(form.state.data),
                )
            except InputRefused as refusal:
                db.session.rollback()
                show_refusal(form, refusal)
            else:
                db.session.commit()
                settle(url_for("devices.device", device_id=device.id))
                flash(_("%(label)s is in the inventory.", label=device.label), "success")
                return redirect(url_for("devices.index"))
    today = local_today(org, utcnow())
    page = render_template(
        "devices/index.html",
        devices=inventory.devices(db.session(), org.id),
        loans=_soonest(inventory.open_loans(db.session(), org.id)),
        today=today,
        form=form,
        **_labels(),
    )
    return (page, 400) if form.errors or form.form_errors else page


def _lend_form(org: Organisation) -> LendForm:
    form = LendForm()
    people = list_volunteers(db.session(), org.id, VolunteerFilter(active=True))
    form.volunteer_id.choices = [("", _("Nobody (a person or family below)"))] + [
        (str(v.id), f"{v.first_name} {v.last_name}".strip()) for v in people
    ]
    return form


def _device_page(device: Device, status: int = 200, **forms: Any) -> tuple[str, int]:
    org = _org()
    forms.setdefault("state_form", StateForm(formdata=None, state=device.state.value))
    forms.setdefault("lend_form", _lend_form(org))
    forms.setdefault("give_form", GiveForm(formdata=None))
    page = render_template(
        "devices/device.html",
        device=device,
        today=local_today(org, utcnow()),
        return_form=ReturnForm(formdata=None),
        **forms,
        **_labels(),
    )
    return page, status


@bp.get("/<int:device_id>")
@staff_required
def device(device_id: int) -> tuple[str, int]:
    return _device_page(_device(device_id))


@bp.post("/<int:device_id>/state")
@staff_required
def change_state(device_id: int) -> Response | tuple[str, int]:
    device = _device(device_id)
    form = StateForm()
    if form.validate():
        try:
            inventory.change_state(
                db.session(),
                device,
                DeviceState(form.state.data),
                actor=current_user._get_current_object(),
                now=utcnow(),
            )
        except InputRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("The state of %(label)s is saved.", label=device.label), "success")
            return redirect(url_for("devices.device", device_id=device.id))
    return _device_page(device, 400, state_form=form)


def _refused(form: Any, code: str) -> None:
    form.form_errors.append(str(DEVICE_REFUSALS.get(code, DEVICE_REFUSALS["not_in_stock"])))


def _handed_over(form: Any, hand_over: Callable[[], DeviceLoan], done: str) -> Response | None:
    """Record a loan or a gift and go to its receipt; on a refusal, put the words on the form
    (kept as typed) and return None so that the device page is shown again."""
    try:
        loan = hand_over()
    except InputRefused as refusal:
        db.session.rollback()
        show_refusal(form, refusal)
    except inventory.DeviceRefused as refusal:
        db.session.rollback()
        _refused(form, refusal.code)
    else:
        db.session.commit()
        # A second sending lands on the device's page (the receipt, a page to print,
        # shows no messages), where the loan and its receipt are.
        settle(url_for("devices.device", device_id=loan.device_id))
        flash(done % {"number": loan.receipt_number}, "success")
        return redirect(url_for("devices.receipt", loan_id=loan.id))
    return None


@bp.post("/<int:device_id>/lend")
@staff_required
def lend(device_id: int) -> Response | tuple[str, int]:
    device = _device(device_id)
    org = _org()
    form = _lend_form(org)
    if form.validate():
        again = sent_before("lend_device", url_for("devices.device", device_id=device.id))
        if again is not None:
            return again
        chosen = form.volunteer_id.data
        volunteer = find_volunteer(db.session(), org.id, int(chosen)) if chosen else None
        done = _handed_over(
            form,
            lambda: inventory.lend(
                db.session(),
                device,
                starts_on=form.starts_on.data,
                due_on=form.due_on.data,
                today=local_today(org, utcnow()),
                actor=current_user._get_current_object(),
                now=utcnow(),
                volunteer=volunteer,
                holder_name=form.holder_name.data or "",
                note=form.note.data or "",
            ),
            _("Lent: receipt %(number)s."),
        )
        if done is not None:
            return done
    return _device_page(device, 400, lend_form=form)


@bp.post("/<int:device_id>/give")
@staff_required
def give(device_id: int) -> Response | tuple[str, int]:
    device = _device(device_id)
    org = _org()
    form = GiveForm()
    if form.validate():
        again = sent_before("give_device", url_for("devices.device", device_id=device.id))
        if again is not None:
            return again
        done = _handed_over(
            form,
            lambda: inventory.give(
                db.session(),
                device,
                holder_name=form.holder_name.data or "",
                today=local_today(org, utcnow()),
                actor=current_user._get_current_object(),
                now=utcnow(),
                note=form.note.data or "",
            ),
            _("Given: receipt %(number)s."),
        )
        if done is not None:
            return done
    return _device_page(device, 400, give_form=form)


def _close_loan(
    loan_id: int, step: Callable[..., object], done: Callable[[DeviceLoan], str]
) -> Response:
    """Run ``step`` (a return or a cancellation) on one loan, then go back to its device."""
    loan = _loan(loan_id)
    form = ReturnForm()
    if not form.validate():
        flash(_("The form expired. Please send it again."), "error")
        return redirect(url_for("devices.device", device_id=loan.device_id))
    try:
        step(
            db.session(),
            loan,
            today=local_today(_org(), utcnow()),
            actor=current_user._get_current_object(),
            now=utcnow(),
        )
    except inventory.DeviceRefused as refusal:
        db.session.rollback()
        flash(str(DEVICE_REFUSALS[refusal.code]), "error")
    else:
        db.session.commit()
        flash(done(loan), "success")
    return redirect(url_for("devices.device", device_id=loan.device_id))


@bp.post("/loans/<int:loan_id>/return")
@staff_required
def return_loan(loan_id: int) -> Response:
    return _close_loan(
        loan_id,
        inventory.return_device,
        lambda loan: _("%(label)s is back in stock.", label=loan.device.label),
    )


@bp.post("/loans/<int:loan_id>/cancel")
@staff_required
def cancel_reservation(loan_id: int) -> Response:
    """Call off a loan that has not started: no return is recorded, its days are free."""
    return _close_loan(
        loan_id,
        inventory.cancel_reservation,
        lambda loan: _("The reservation %(number)s is cancelled.", number=loan.receipt_number),
    )


def _css() -> str:
    folder = Path(current_app.static_folder or "static")
    return (folder / "css" / "receipt.css").read_text(encoding="utf-8")


@bp.get("/loans/<int:loan_id>/receipt")
@staff_required
def receipt(loan_id: int) -> str | Response:
    """The handover receipt to print and sign; ``?format=pdf`` downloads it."""
    loan = _loan(loan_id)
    org = _org()
    volunteer = (
        find_volunteer(db.session(), org.id, loan.volunteer_id) if loan.volunteer_id else None
    )
    pdf = request.args.get("format") == "pdf"
    html = render_template(
        "devices/receipt.html",
        loan=loan,
        device=loan.device,
        volunteer=volunteer,
        organisation=org,
        css=_css() if pdf else None,
        pdf=pdf,
        **_labels(),
    )
    if not pdf:
        return html
    response = make_response(html_to_pdf(html))
    # A receipt names the person who holds the device: its file is an export.
    audit.record_export(
        db.session(),
        actor=current_user._get_current_object(),
        what="device_receipt.pdf",
        rows=1,
        now=utcnow(),
        organisation_id=org.id,
        detail={"receipt": loan.receipt_number},
    )
    db.session.commit()
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="receipt-{loan.receipt_number}.pdf"'
    )
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response
