"""Forms of the dispatcher's inbox: filters (GET), triage, corrections, merge, erasure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SearchField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import validators

from routes.fields import MultiCheckboxField
from routes.forms import FlaskForm
from scheduler.requests.triage import ADDRESS_MAX
from scheduler.requests.triage import DURATION_BOUNDS_MIN
from scheduler.requests.triage import NOTES_MAX

CHOOSE_FROM_LIST = _l("Choose one of the values in the list.")


def _filter_select(label: object) -> SelectField:
    """A filter select: empty means "all"; an unknown value is an error, never a crash."""
    return SelectField(
        label,
        validators=[validators.Optional()],
        invalid_choice_message=CHOOSE_FROM_LIST,
        invalid_value_message=CHOOSE_FROM_LIST,
    )


class InboxFilterForm(FlaskForm):
    """Read from the query string; choices are filled in by the view."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Reference, first name or phone"),
        validators=[
            validators.Length(max=100, message=_l("Type at most %(max)d characters.")),
        ],
    )
    status = _filter_select(_l("Status"))
    mode = _filter_select(_l("Mode"))
    municipality = _filter_select(_l("Municipality"))
    need = _filter_select(_l("Need"))
    language = _filter_select(_l("Language"))
    partner = _filter_select(_l("Referred by"))
    sort = _filter_select(_l("Sort by"))


class TriageForm(FlaskForm):
    version = HiddenField()
    duration_min = IntegerField(
        _l("Duration estimate (minutes)"),
        validators=[
            validators.InputRequired(_l("Enter the duration in minutes.")),
            validators.NumberRange(
                *DURATION_BOUNDS_MIN,
                message=_l("Enter a duration between %(min)s and %(max)s minutes."),
            ),
        ],
    )
    priority = SelectField(
        _l("Priority"),
        coerce=int,
        invalid_choice_message=CHOOSE_FROM_LIST,
        invalid_value_message=CHOOSE_FROM_LIST,
    )
    required_language = SelectField(
        _l("Language of the help"), invalid_choice_message=CHOOSE_FROM_LIST
    )
    required_skills = MultiCheckboxField(
        _l("Skills the volunteer must have"), invalid_choice_message=CHOOSE_FROM_LIST
    )
    internal_notes = TextAreaField(
        _l("Internal notes"),
        validators=[
            validators.Length(max=NOTES_MAX, message=_l("Write at most %(max)d characters."))
        ],
    )
    #: Shows only the statuses the request may go to; any status is accepted here so
    #: that an impossible one gets the triage rule's own message.
    status = SelectField(_l("Status"), validate_choice=False)
    cancel_reason = SelectField(
        _l("Reason for cancelling"), invalid_choice_message=CHOOSE_FROM_LIST
    )


class PlaceForm(FlaskForm):
    version = HiddenField()
    municipality = SelectField(
        _l("Municipality"),
        coerce=int,
        invalid_choice_message=CHOOSE_FROM_LIST,
        invalid_value_message=CHOOSE_FROM_LIST,
    )
    address = StringField(
        _l("Street address"),
        validators=[
            validators.Length(max=ADDRESS_MAX, message=_l("Write at most %(max)d characters."))
        ],
    )
    availability = MultiCheckboxField(
        _l("When the person is free"), invalid_choice_message=CHOOSE_FROM_LIST
    )
    any_time = BooleanField(_l("Any time suits the person"))


class MergeForm(FlaskForm):
    keep = RadioField(
        _l("Which request do we keep?"),
        coerce=int,
        validators=[validators.InputRequired(_l("Choose the request to keep."))],
        invalid_choice_message=CHOOSE_FROM_LIST,
        invalid_value_message=CHOOSE_FROM_LIST,
    )


class EraseForm(FlaskForm):
    """Nothing to fill in: the confirmation page's button, protected against forgery."""
