"""Forms of the volunteers' pages: profile, limits, week, days off, login, list filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import DateField
from wtforms import EmailField
from wtforms import FieldList
from wtforms import FormField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import PasswordField
from wtforms import RadioField
from wtforms import SearchField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import StringField
from wtforms import TelField
from wtforms import TextAreaField
from wtforms import validators
from wtforms.widgets import HiddenInput

from routes.context import settings
from routes.fields import MultiCheckboxField
from routes.forms import FlaskForm
from scheduler.core.i18n import language_name
from scheduler.core.weekly import MAX_WINDOWS_PER_DAY
from scheduler.core.weekly import WindowInput
from scheduler.people import availability
from scheduler.people import volunteers as service
from scheduler.people.accounts import MIN_PASSWORD_LENGTH
from scheduler.people.volunteers import Limits

from ..weekly import ClockField
from ..weekly import DecimalTextField
from ..weekly import RowForm

#: Rows one week editor accepts: eight a day and one blank per day.
MAX_WINDOW_ROWS = 7 * (MAX_WINDOWS_PER_DAY + 1)


def _optional_count(label: Any, high: int, **kwargs: Any) -> IntegerField:
    message = _l("Enter a whole number between 0 and %(high)s, or leave it empty.", high=high)
    return IntegerField(
        label,
        validators=[
            validators.Optional(),
            validators.NumberRange(min=0, max=high, message=message),
        ],
        render_kw={"inputmode": "numeric", "min": 0, "max": high},
        **kwargs,
    )


def offered_languages() -> list[str]:
    return list(settings().booking.languages)


def language_choices(current: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The configured languages by name, plus any the volunteer already has outside the list."""
    codes = offered_languages() + [c for c in current if c not in offered_languages()]
    return [(code, language_name(code, str(get_locale()))) for code in codes]


class LimitsFields(FlaskForm):
    """What a volunteer gives: shared by the volunteer's own page and the dispatcher's."""

    has_car = RadioField(
        _l("Car for visits"),
        choices=[
            SelectChoice("yes", _l("Yes, I can drive to visits")),
            SelectChoice("no", _l("No car")),
        ],
        default="no",
        validators=[validators.InputRequired(_l("Say whether a car is available."))],
    )
    walking_km = DecimalTextField(
        _l("Walking or bus distance without a car (km)"),
        validators=[
            validators.InputRequired(_l("Enter a distance in km, 0 if none.")),
            validators.NumberRange(
                min=0,
                max=service.WALKING_KM_MAX,
                message=_l("Enter a distance from 0 to %(high)s km.", high=service.WALKING_KM_MAX),
            ),
        ],
        default=2.0,
    )
    max_km_per_day = _optional_count(_l("Most km driven in a day"), service.KM_PER_DAY_MAX)
    max_road_min_per_day = _optional_count(
        _l("Most minutes on the road in a day"), service.ROAD_MIN_PER_DAY_MAX
    )
    max_visits_per_day = _optional_count(_l("Most visits in a day"), service.VISITS_PER_DAY_MAX)
    max_visits_per_week = _optional_count(_l("Most visits in a week"), service.VISITS_PER_WEEK_MAX)
    max_work_hours_per_week = DecimalTextField(
        _l("Most hours of help in a week"),
        validators=[
            validators.Optional(),
            validators.NumberRange(
                min=0,
                max=service.WORK_HOURS_PER_WEEK_MAX,
                message=_l(
                    "Enter a number of hours from 0 to %(high)s, or leave it empty.",
                    high=service.WORK_HOURS_PER_WEEK_MAX,
                ),
            ),
        ],
    )

    def fill_limits(self, limits: Limits) -> None:
        self.has_car.data = "yes" if limits.has_car else "no"
        self.walking_km.data = limits.walking_km
        self.max_km_per_day.data = limits.max_km_per_day
        self.max_road_min_per_day.data = limits.max_road_min_per_day
        self.max_visits_per_day.data = limits.max_visits_per_day
        self.max_visits_per_week.data = limits.max_visits_per_week
        minutes = limits.max_work_min_per_week
        self.max_work_hours_per_week.data = None if minutes is None else round(minutes / 60, 2)

    def limits(self) -> Limits:
        hours = self.max_work_hours_per_week.data
        return Limits(
            has_car=self.has_car.data == "yes",
            walking_km=float(self.walking_km.data or 0),
            max_km_per_day=self.max_km_per_day.data,
            max_road_min_per_day=self.max_road_min_per_day.data,
            max_visits_per_day=self.max_visits_per_day.data,
            max_visits_per_week=self.max_visits_per_week.data,
            max_work_min_per_week=None if hours is None else round(hours * 60),
        )


class OwnLimitsForm(LimitsFields):
    """A volunteer's own limits and languages."""

    languages = MultiCheckboxField(
        _l("Languages I can help in"),
        validators=[validators.InputRequired(_l("Choose at least one language."))],
    )


class VolunteerForm(LimitsFields):
    """The whole profile, as a dispatcher edits it."""

    first_name = StringField(
        _l("First name"),
        validators=[
            validators.InputRequired(_l("Enter the first name.")),
            validators.Length(max=service.NAME_MAX),
        ],
        render_kw={"autocomplete": "off"},
    )
    last_name = StringField(_l("Last name"), validators=[validators.Length(max=service.NAME_MAX)])
    phone = TelField(_l("Phone"), validators=[validators.Length(max=32)])
    email = EmailField(
        _l("E-mail"),
        validators=[
            validators.Optional(),
            validators.Length(max=254),
            validators.Email(_l("Enter an e-mail address such as name@example.org.")),
        ],
    )
    home_address = StringField(
        _l("Home address"), validators=[validators.Length(max=service.ADDRESS_MAX)]
    )
    home_municipality_id = SelectField(_l("Home municipality"), choices=[])
    home_lat = DecimalTextField(_l("Latitude of the home"), validators=[validators.Optional()])
    home_lon = DecimalTextField(_l("Longitude of the home"), validators=[validators.Optional()])
    starts_from_site_id = SelectField(_l("The working day starts and ends"), choices=[])
    languages = MultiCheckboxField(_l("Languages"))
    skills = MultiCheckboxField(_l("Can help with"))
    notes = TextAreaField(
        _l("Notes for the coordination"),
        validators=[validators.Length(max=service.NOTES_MAX)],
    )
    active = BooleanField(_l("Active: can be given visits"), default=True)


class WindowRow(RowForm):
    """One time slot of the week; the weekday is fixed by the day it sits under."""

    weekday = IntegerField(
        widget=HiddenInput(),
        validators=[validators.InputRequired(), validators.NumberRange(min=0, max=6)],
    )
    starts = ClockField(_l("From"))
    ends = ClockField(_l("To"))
    remove = BooleanField(_l("Remove"))


class AvailabilityForm(FlaskForm):
    windows = FieldList(FormField(WindowRow), max_entries=MAX_WINDOW_ROWS)
    #: The week (see :meth:`fingerprint`) whose lost visits were shown and confirmed.
    confirm = HiddenField()

    def fingerprint(self) -> str:
        """The week as typed, in a stable order: a confirmation holds for that week only."""
        kept = sorted(
            (r.weekday, r.starts.isoformat(), r.ends.isoformat())
            for r in self.window_inputs()
            if r.starts is not None and r.ends is not None
        )
        return ";".join(f"{d}-{a}-{b}" for d, a, b in kept)

    def window_inputs(self) -> list[WindowInput]:
        """The rows in order; a row ticked for removal counts as blank (kept for its index)."""
        rows = []
        for entry in self.windows:
            row = entry.form
            if row.remove.data:
                rows.append(WindowInput(row.weekday.data, None, None))
            else:
                rows.append(WindowInput(row.weekday.data, row.starts.data, row.ends.data))
        return rows


class AbsenceForm(FlaskForm):
    first_day = DateField(
        _l("First day away"),
        validators=[validators.InputRequired(_l("Enter the first day away."))],
    )
    last_day = DateField(_l("Last day away"), validators=[validators.Optional()])
    note = StringField(_l("Note"), validators=[validators.Length(max=availability.MAX_NOTE)])
    #: The days ("first|last") whose planned visits the volunteer was shown and accepted.
    confirm = HiddenField()


PASSWORD_CHOICES = [
    SelectChoice("temporary", _l("Make a temporary password to hand over")),
    SelectChoice("chosen", _l("Set the password now")),
]


class GiveLoginForm(FlaskForm):
    login_email = EmailField(
        _l("E-mail to sign in with"),
        validators=[
            validators.InputRequired(_l("Enter the e-mail the volunteer will sign in with.")),
            validators.Length(max=254),
            validators.Email(_l("Enter an e-mail address such as name@example.org.")),
        ],
    )
    password_choice = RadioField(_l("Password"), choices=PASSWORD_CHOICES, default="temporary")
    password = PasswordField(
        _l("Password, if you set it now"),
        validators=[validators.Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_password(self, field: PasswordField) -> None:
        if self.password_choice.data == "chosen" and len(field.data or "") < MIN_PASSWORD_LENGTH:
            raise validators.ValidationError(
                _l("The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
            )


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    name = SearchField(_l("Name"), validators=[validators.Optional(), validators.Length(max=80)])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Inactive")),
            SelectChoice("all", _l("All")),
        ],
        default="active",
        validate_choice=False,
    )
    language = SelectField(_l("Language"), choices=[], validate_choice=False)
    car = SelectField(
        _l("Car"),
        choices=[
            SelectChoice("", _l("Any")),
            SelectChoice("yes", _l("With a car")),
            SelectChoice("no", _l("Without a car")),
        ],
        validate_choice=False,
    )
    municipality = SelectField(_l("Home municipality"), choices=[], validate_choice=False)
    skill = SelectField(_l("Can help with"), choices=[], validate_choice=False)

    def filters(self) -> service.VolunteerFilter:
        """Unknown values (an old bookmark, a hand-typed URL) mean "any"."""

        def known(field: SelectField) -> str | None:
            values = {str(SelectChoice.from_input(c).value) for c in field.choices or []}
            return field.data if field.data and field.data in values else None

        municipality = known(self.municipality)
        return service.VolunteerFilter(
            active={"active": True, "inactive": False}.get(self.status.data or "active"),
            language=known(self.language),
            has_car={"yes": True, "no": False}.get(self.car.data or ""),
            municipality_id=int(municipality) if municipality else None,
            skill=known(self.skill),
            name=(self.name.data or "").strip() or None,
        )
