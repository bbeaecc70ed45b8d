"""Forms of the administration pages."""

from __future__ import annotations

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import FieldList
from wtforms import FormField
from wtforms import IntegerField
from wtforms import PasswordField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TelField
from wtforms import TextAreaField
from wtforms import validators

from routes.forms import FlaskForm
from scheduler.core.validation import ORGANISATION_LOCALES
from scheduler.core.validation import country_codes
from scheduler.models import Role
from scheduler.organisation import settings as organisation_settings
from scheduler.organisation import sites
from scheduler.organisation import territory
from scheduler.people.accounts import MIN_PASSWORD_LENGTH

from ..weekly import ClockField
from ..weekly import DecimalTextField
from ..weekly import RowForm
from ..weekly import day_names

MAX_OPENING_ROWS = 60
POPULATION_MESSAGE = _l("Enter a whole number of inhabitants from 0 to 10,000,000.")

EMAIL_MESSAGE = _l("Enter an e-mail address such as name@example.org.")
ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.DISPATCHER: _l("Dispatcher"),
    Role.VOLUNTEER: _l("Volunteer"),
    Role.PARTNER: _l("Partner staff"),
}
#: Roles an administrator may give from the Users page; partner staff are invited from
#: their partner organisation's page, which ties the login to it.
GIVEN_ROLES = (Role.ADMIN, Role.DISPATCHER, Role.VOLUNTEER)


def _email(label: object, required: bool) -> EmailField:
    first = (
        validators.InputRequired(_l("Enter an e-mail address."))
        if required
        else validators.Optional()
    )
    return EmailField(
        label, validators=[first, validators.Length(max=254), validators.Email(EMAIL_MESSAGE)]
    )


def locale_choices() -> list[tuple[str, str]]:
    shown_in = get_locale()
    return [
        (code, (Locale.parse(code).get_display_name(shown_in) or code).capitalize())
        for code in ORGANISATION_LOCALES
    ]


def country_choices() -> list[tuple[str, str]]:
    names = Locale.parse(str(get_locale())).territories
    pairs = [(code, names.get(code, code)) for code in country_codes()]
    return sorted(pairs, key=lambda pair: pair[1].casefold())


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(ROLE_LABELS[role])) for role in GIVEN_ROLES]


def _password(label: object) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            validators.InputRequired(_l("Enter a password.")),
            validators.Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l(
                    "The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
                ),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[
            validators.InputRequired(_l("Enter the name.")),
            validators.Length(max=organisation_settings.NAME_MAX),
        ],
    )
    timezone = StringField(
        _l("Time zone"),
        validators=[validators.InputRequired(_l("Enter a time zone.")), validators.Length(max=64)],
        render_kw={"list": "timezones", "autocomplete": "off", "spellcheck": "false"},
    )
    locale = SelectField(_l("Language and wording"), choices=locale_choices)
    country = SelectField(_l("Country"), choices=country_choices)
    contact_email = _email(_l("Contact e-mail"), required=False)
    contact_phone = TelField(_l("Contact phone"), validators=[validators.Length(max=32)])
    retention_days = IntegerField(
        _l("Days personal data is kept after a request is closed"),
        validators=[
            validators.InputRequired(_l("Enter a number of days.")),
            validators.NumberRange(
                min=organisation_settings.RETENTION_DAYS_RANGE[0],
                max=organisation_settings.RETENTION_DAYS_RANGE[1],
                message=_l(
                    "Enter a number of days between %(low)d and %(high)d.",
                    low=organisation_settings.RETENTION_DAYS_RANGE[0],
                    high=organisation_settings.RETENTION_DAYS_RANGE[1],
                ),
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )


def _weekday_choices() -> list[tuple[int, str]]:
    return list(day_names().items())


def _count(label: object, high: int) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            validators.Optional(),
            validators.NumberRange(
                min=0,
                max=high,
                message=_l("Enter a whole number between 0 and %(high)s.", high=high),
            ),
        ],
        render_kw={"inputmode": "numeric", "min": 0, "max": high},
    )


class OpeningRow(RowForm):
    weekday = SelectField(_l("Day"), choices=_weekday_choices, coerce=int, default=0)
    starts = ClockField(_l("From"))
    ends = ClockField(_l("To"))
    volunteers_needed = _count(_l("Volunteers needed"), sites.VOLUNTEERS_NEEDED_RANGE[1])
    visitors_per_hour = _count(_l("Visitors an hour"), sites.VISITORS_PER_HOUR_MAX)
    remove = BooleanField(_l("Remove"))


class SiteForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            validators.InputRequired(_l("Enter the name.")),
            validators.Length(max=sites.NAME_MAX),
        ],
    )
    address = StringField(
        _l("Address"),
        validators=[
            validators.InputRequired(_l("Enter the address.")),
            validators.Length(max=sites.ADDRESS_MAX),
        ],
    )
    municipality_id = SelectField(_l("Municipality"), choices=[])
    lat = DecimalTextField(_l("Latitude"), validators=[validators.Optional()])
    lon = DecimalTextField(_l("Longitude"), validators=[validators.Optional()])
    workstations = IntegerField(
        _l("Computers for visitors"),
        default=0,
        validators=[
            validators.InputRequired(_l("Enter a number, 0 if none.")),
            validators.NumberRange(
                min=0,
                max=sites.WORKSTATIONS_MAX,
                message=_l("Enter a whole number between 0 and %(high)s.", high=200),
            ),
        ],
        render_kw={"inputmode": "numeric", "min": 0},
    )
    access_notes = TextAreaField(
        _l("Access"), validators=[validators.Length(max=sites.ACCESS_NOTES_MAX)]
    )
    active = BooleanField(_l("Open: offered to visitors and volunteers"), default=True)
    openings = FieldList(FormField(OpeningRow), max_entries=MAX_OPENING_ROWS)

    def opening_inputs(self) -> list[sites.OpeningInput]:
        """Rows in order; a row ticked for removal counts as blank (kept for its index)."""
        rows = []
        for entry in self.openings:
            row = entry.form
            if row.remove.data:
                rows.append(sites.OpeningInput(row.weekday.data, None, None))
            else:
                rows.append(
                    sites.OpeningInput(
                        row.weekday.data,
                        row.starts.data,
                        row.ends.data,
                        row.volunteers_needed.data,
                        row.visitors_per_hour.data,
                    )
                )
        return rows


class PopulationField(StringField):
    """A count of inhabitants, as written in a census table: ``68601`` or ``68 601``.

    A string field so that what was typed is shown again as it was when it is refused.
    """

    def __init__(self, label: object = None, **kwargs: object) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, **kwargs)  # type: ignore[arg-type]

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist:
            return
        text = "".join(valuelist[0].split())  # every space, the non-breaking ones too
        if not text:
            return
        if not text.isascii() or not text.isdigit() or len(text) > 8:
            raise ValueError(str(POPULATION_MESSAGE))
        value = int(text)
        if value > territory.POPULATION_MAX:
            raise ValueError(str(POPULATION_MESSAGE))
        self.data = value  # type: ignore[assignment]

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)


class MunicipalityForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            validators.InputRequired(_l("Enter the name.")),
            validators.Length(max=territory.NAME_MAX),
        ],
    )
    region = StringField(
        _l("Region"),
        validators=[validators.Optional(), validators.Length(max=territory.REGION_MAX)],
    )
    lat = DecimalTextField(
        _l("Latitude of the centre"),
        validators=[
            validators.InputRequired(_l("Enter the latitude.")),
            validators.NumberRange(-90, 90, _l("A latitude is between -90 and 90.")),
        ],
    )
    lon = DecimalTextField(
        _l("Longitude of the centre"),
        validators=[
            validators.InputRequired(_l("Enter the longitude.")),
            validators.NumberRange(-180, 180, _l("A longitude is between -180 and 180.")),
        ],
    )
    active = BooleanField(_l("Served: offered in the lists"), default=True)
    population = PopulationField(_l("Inhabitants"))
    population_source = StringField(
        _l("Source of the population"),
        validators=[
            validators.Optional(),
            validators.Length(
                max=territory.POPULATION_SOURCE_MAX,
                message=_l(
                    "Write at most %(limit)d characters.", limit=territory.POPULATION_SOURCE_MAX
                ),
            ),
        ],
    )


class ImportForm(FlaskForm):
    lines = TextAreaField(
        _l("Municipalities, one a line"),
        validators=[
            validators.InputRequired(_l("Paste at least one line.")),
            validators.Length(max=100_000),
        ],
        render_kw={"rows": 8, "spellcheck": "false"},
    )


class NewUserForm(FlaskForm):
    email = _email(_l("E-mail"), required=True)
    display_name = StringField(
        _l("Name shown"), validators=[validators.Optional(), validators.Length(max=120)]
    )
    role = SelectField(_l("Role"), choices=role_choices, default=Role.DISPATCHER.value)
    password = _password(_l("Password"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)


class PasswordForm(FlaskForm):
    new_password = _password(_l("New password"))
