"""Handing a device to a family that completed its cycle (programmes that give one)."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectField
from wtforms import StringField
from wtforms import validators

from routes.access import staff_required
from routes.devices import bp
from routes.devices.forms import KIND_LABELS
from routes.forms import FlaskForm
from scheduler import devices as inventory
from scheduler.core.extensions import db
from scheduler.models import DeviceState
from scheduler.models import Enrolment
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today

#: Why a family cannot receive a device now, in words.
HANDOVER_REFUSALS = {
    "no_device_programme": _l("This programme does not give a device."),
    "not_completed": _l("The family has not completed the cycle yet."),
    "already_given": _l("This family already received a device."),
    "not_in_stock": _l("This device is not in stock: choose another one."),
    "reserved": _l("This device is already reserved: choose another one."),
}


class HandoverForm(FlaskForm):
    device_id = SelectField(_l("Device"), choices=[])
    holder_name = StringField(
        _l("Given to (person or family)"),
        validators=[
            validators.InputRequired(_l("Enter who receives the device.")),
            validators.Length(max=120),
        ],
    )


def _enrolment(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.organisation_id != current_user.organisation_id:
        abort(404)
    return enrolment


def _form(enrolment: Enrolment, formdata: bool) -> HandoverForm:
    name = enrolment.beneficiary.first_name if enrolment.beneficiary else ""
    form = HandoverForm() if formdata else HandoverForm(formdata=None, holder_name=name)
    stock = [
        d
        for d in inventory.devices(db.session(), enrolment.organisation_id)
        if d.state is DeviceState.IN_STOCK
    ]
    form.device_id.choices = [
        (str(d.id), f"{d.label} · {KIND_LABELS[d.kind]}{' · ' + d.serial if d.serial else ''}")
        for d in stock
    ]
    return form


def _page(enrolment: Enrolment, form: HandoverForm, status: int = 200) -> tuple[str, int]:
    refusal = inventory.may_receive(db.session(), enrolment)
    page = render_template(
        "devices/handover.html",
        enrolment=enrolment,
        form=form,
        refusal=HANDOVER_REFUSALS.get(refusal) if refusal else None,
        gift=inventory.gift_for(db.session(), enrolment.id),
    )
    return page, status


@bp.get("/handover/<int:enrolment_id>")
@staff_required
def handover(enrolment_id: int) -> tuple[str, int]:
    enrolment = _enrolment(enrolment_id)
    return _page(enrolment, _form(enrolment, formdata=False))


@bp.post("/handover/<int:enrolment_id>")
@staff_required
def hand_over(enrolment_id: int) -> Response | tuple[str, int]:
    enrolment = _enrolment(enrolment_id)
    form = _form(enrolment, formdata=True)
    if not form.validate():
        return _page(enrolment, form, 400)
    device = inventory.find_device(
        db.session(), enrolment.organisation_id, int(form.device_id.data or 0)
    )
    if device is None:
        abort(404)
    org = current_user.organisation
    try:
        gift = inventory.hand_over(
            db.session(),
            enrolment,
            device,
            holder_name=form.holder_name.data or "",
            today=local_today(org, utcnow()),
            actor=current_user._get_current_object(),
            now=utcnow(),
        )
    except inventory.DeviceRefused as refused:
        db.session.rollback()
        form.form_errors.append(str(HANDOVER_REFUSALS.get(refused.code, refused.code)))
        return _page(enrolment, form, 409)
    db.session.commit()
    flash(_("Device handed over: receipt %(number)s.", number=gift.receipt_number), "success")
    return redirect(url_for("devices.receipt", loan_id=gift.id))
