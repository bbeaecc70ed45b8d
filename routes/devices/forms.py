"""Forms of the devices pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import validators

from routes.forms import FlaskForm
from scheduler.models import DeviceKind
from scheduler.models import DeviceState

KIND_LABELS = {
    DeviceKind.LAPTOP: _l("Laptop"),
    DeviceKind.TABLET: _l("Tablet"),
    DeviceKind.PHONE: _l("Phone"),
    DeviceKind.OTHER: _l("Other"),
}
STATE_LABELS = {
    DeviceState.IN_STOCK: _l("In stock"),
    DeviceState.REFURBISHING: _l("Being refurbished"),
    DeviceState.LOANED: _l("Loaned"),
    DeviceState.GIVEN: _l("Given"),
    DeviceState.RETIRED: _l("Retired"),
}
DATE_MESSAGE = _l("Enter a date such as 2026-12-15.")
HAND_STATES = (DeviceState.IN_STOCK, DeviceState.REFURBISHING, DeviceState.RETIRED)


def kind_choices() -> list[tuple[str, str]]:
    return [(k.value, str(label)) for k, label in KIND_LABELS.items()]


def state_choices() -> list[tuple[str, str]]:
    return [(s.value, str(STATE_LABELS[s])) for s in HAND_STATES]


class DeviceForm(FlaskForm):
    kind = SelectField(_l("Type"), choices=kind_choices, default="laptop")
    label = StringField(
        _l("Label"),
        validators=[
            validators.InputRequired(_l("Enter the label written on the device.")),
            validators.Length(max=60),
        ],
    )
    serial = StringField(_l("Serial number"), validators=[validators.Length(max=80)])
    acquired_at = DateField(
        _l("Acquired on"), validators=[validators.Optional()], format="%Y-%m-%d"
    )
    state = SelectField(_l("State"), choices=state_choices, default="in_stock")
    notes = TextAreaField(_l("Notes"), validators=[validators.Length(max=500)])


class StateForm(FlaskForm):
    state = SelectField(_l("New state"), choices=state_choices)


class LendForm(FlaskForm):
    volunteer_id = SelectField(_l("Volunteer"), choices=[], validate_choice=True)
    holder_name = StringField(_l("Or a person or family"), validators=[validators.Length(max=120)])
    starts_on = DateField(
        _l("From"), validators=[validators.InputRequired(DATE_MESSAGE)], format="%Y-%m-%d"
    )
    due_on = DateField(
        _l("Back on"), validators=[validators.InputRequired(DATE_MESSAGE)], format="%Y-%m-%d"
    )
    note = StringField(_l("Note"), validators=[validators.Length(max=300)])


class GiveForm(FlaskForm):
    """Shown below the loan form on the device's page: its own ids (``give-…``), or its
    labels and error links would lead to the loan form's fields of the same name."""

    holder_name = StringField(
        _l("Given to (person or family)"),
        validators=[
            validators.InputRequired(_l("Enter who receives the device.")),
            validators.Length(max=120),
        ],
        id="give-holder_name",
    )
    note = StringField(_l("Note"), validators=[validators.Length(max=300)], id="give-note")


class ReturnForm(FlaskForm):
    """Only the CSRF token: the loan is in the address."""
