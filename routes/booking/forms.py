"""The request form, shared by the public booking page and the dispatchers' phone intake.

Every answer is checked here and the message goes beside its field, in the page's
language; the service checks the rules that protect the data again. Choices
(municipalities, sites, languages, times) are filled per request from the
organisation and ``[BOOKING]``, so an id from elsewhere is simply not a choice.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from datetime import date
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import Field
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TelField
from wtforms import TextAreaField
from wtforms import validators
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from routes.booking.words import GENERIC_CHOICE_MESSAGE
from routes.booking.words import MODE_LABELS
from routes.booking.words import NEED_LABELS
from routes.booking.words import REFERRAL_LABELS
from routes.booking.words import refusal_message
from routes.fields import AtLeastOne
from routes.fields import LocalDateField
from routes.fields import MaxText
from routes.fields import MultiCheckboxField
from routes.fields import OfferedChoices
from routes.fields import clean_text
from routes.fields import int_or_none
from routes.fields import mode_or_none
from routes.fields import one_line
from routes.fields import referral_or_none
from routes.forms import FlaskForm
from scheduler.core import phones
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import Need
from scheduler.models import Referral
from scheduler.models import Site
from scheduler.requests import intake
from scheduler.requests import private_link
from scheduler.requests.booking_options import BookingOptions


class BookingForm(FlaskForm):
    """One page: how, what for, where, when, who, and consent."""

    mode = RadioField(
        _l("How would you like to be helped?"),
        coerce=mode_or_none,
        choices=[SelectChoice(m.value, MODE_LABELS[m][0]) for m in Mode],
        validate_choice=False,
        validators=[
            validators.InputRequired(_l("Choose how you would like to be helped.")),
            OfferedChoices(_l("Choose how you would like to be helped.")),
        ],
    )
    needs = MultiCheckboxField(
        _l("What do you need help with?"),
        choices=[SelectChoice(n.value, NEED_LABELS[n][0]) for n in Need],
        validate_choice=False,
        validators=[
            AtLeastOne(_l("Tick at least one thing you need help with.")),
            OfferedChoices(GENERIC_CHOICE_MESSAGE),
        ],
    )
    need_details = TextAreaField(_l("Tell us a little more"), filters=[clean_text])
    municipality = SelectField(_l("Your municipality"), coerce=int_or_none, validate_choice=False)
    address = StringField(
        _l("Your street address"),
        filters=[one_line],
        validators=[MaxText(intake.ADDRESS_MAX)],
    )
    site = RadioField(_l("Which drop-in?"), coerce=int_or_none, validate_choice=False)
    availability = MultiCheckboxField(_l("When are you free?"), validate_choice=False)
    any_time = BooleanField(_l("Any time suits me"))
    deadline = LocalDateField(
        _l("Is there a date it must be done by?"), validators=[validators.Optional()]
    )
    first_name = StringField(
        _l("Your first name"),
        filters=[one_line],
        validators=[
            validators.DataRequired(_l("Enter your first name.")),
            MaxText(intake.FIRST_NAME_MAX),
        ],
    )
    phone = TelField(
        _l("Your phone number"),
        filters=[one_line],
        validators=[validators.DataRequired(_l("Enter a phone number where we can call you."))],
    )
    email = EmailField(
        _l("Your e-mail"),
        filters=[one_line],
        validators=[
            validators.Optional(),
            MaxText(intake.EMAIL_MAX),
            validators.Email(_l("Enter an e-mail like name@example.com, or leave it empty.")),
        ],
    )
    languages = MultiCheckboxField(
        _l("Which languages do you speak?"),
        validate_choice=False,
        validators=[
            AtLeastOne(_l("Tick at least one language you speak.")),
            OfferedChoices(GENERIC_CHOICE_MESSAGE),
        ],
    )
    accessibility_notes = TextAreaField(
        _l("Is there something we should know to help you well?"),
        filters=[clean_text],
        validators=[MaxText()],
    )
    for_someone_else = BooleanField(_l("I am filling in this form for someone else"))
    partner_name = StringField(
        _l("Your name and organisation"),
        filters=[one_line],
        validators=[MaxText(intake.REFERRER_MAX)],
    )
    referral = SelectField(
        _l("How did you hear about us?"),
        coerce=referral_or_none,
        choices=[SelectChoice("", _l("Choose (optional)"))]
        + [SelectChoice(r.value, REFERRAL_LABELS[r]) for r in Referral],
        validate_choice=False,
        validators=[OfferedChoices(GENERIC_CHOICE_MESSAGE)],
    )
    referral_name = StringField(
        _l("Name of the person or organisation"),
        filters=[one_line],
        validators=[MaxText(intake.REFERRER_MAX)],
    )
    consent = BooleanField(
        _l("I agree: you can use my answers to organise this help."),
        validators=[
            validators.DataRequired(_l("Please tick this box so we can keep your request."))
        ],
    )
    #: Left empty by people (it is hidden and labelled so); filled in by spam robots.
    website = StringField(_l("Leave this field empty"), filters=[one_line])

    #: Set by :func:`prepare`.
    max_text: int = 1000
    country: str = "CA"
    today: date | None = None
    deadline_max_days: int = 366
    phone_e164: str | None = None

    def prepare(
        self,
        options: BookingOptions,
        *,
        country: str,
        today: date,
        municipalities: Sequence[Municipality],
        sites: Sequence[Site],
        language_label: Callable[[str], str],
        default_languages: Sequence[str] = (),
    ) -> BookingForm:
        """Fill the choices of this organisation and the limits of ``[BOOKING]``."""
        self.max_text = options.max_text
        self.country = country
        self.today = today
        self.deadline_max_days = options.deadline_max_days
        self.municipality.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(m.id), m.name) for m in municipalities
        ]
        self.site.choices = [SelectChoice(str(s.id), s.name) for s in sites]
        if not sites:
            self.mode.choices = [c for c in self.mode.choices if c.value != Mode.DROPIN.value]
        self.availability.choices = [SelectChoice(code) for code in options.slot_codes()]
        self.languages.choices = [
            SelectChoice(code, language_label(code)) for code in options.languages
        ]
        self.need_details.validators = [MaxText()]
        if not self.is_submitted():
            if len(sites) == 1 and self.site.data is None:
                self.site.data = sites[0].id
            if not self.languages.data:
                self.languages.data = [c for c in default_languages if c in options.languages]
        return self

    # --- answers that depend on another one ---------------------------------------------

    def validate_need_details(self, field: Field) -> None:
        if Need.OTHER.value in (self.needs.data or []) and not field.data:
            raise ValidationError(_("Tell us in a few words what you need help with."))

    def validate_municipality(self, field: Field) -> None:
        offered = {str(c.value) for c in self.municipality.choices if c.value}
        if field.data is None or str(field.data) not in offered:
            raise ValidationError(_("Choose your municipality from the list."))

    def validate_address(self, field: Field) -> None:
        if self.mode.data is Mode.HOME and not field.data:
            raise ValidationError(_("Enter your street address, so the volunteer can find you."))

    def validate_site(self, field: Field) -> None:
        if self.mode.data is not Mode.DROPIN:
            return
        offered = {str(c.value) for c in self.site.choices}
        if field.data is None or str(field.data) not in offered:
            raise ValidationError(_("Choose the drop-in you will come to."))

    def validate_availability(self, field: Field) -> None:
        offered = {str(c.value) for c in self.availability.choices}
        if any(code not in offered for code in field.data or []):
            raise ValidationError(str(GENERIC_CHOICE_MESSAGE))
        if not self.any_time.data and not field.data:
            raise ValidationError(_("Tick at least one time, or “Any time suits me”."))

    def validate_deadline(self, field: Field) -> None:
        if field.data is None or self.today is None:
            return
        if field.data < self.today:
            raise ValidationError(_("This date has passed. Enter a date from today on."))
        if field.data > self.today + timedelta(days=self.deadline_max_days):
            raise ValidationError(_("This date is more than a year away. Please check it."))

    def validate_phone(self, field: Field) -> None:
        if not field.data:
            return
        try:
            self.phone_e164 = phones.parse_phone(field.data, self.country)
        except phones.InvalidPhone:
            raise ValidationError(
                _("This phone number does not look right. Check the digits and the area code.")
            ) from None

    def validate_partner_name(self, field: Field) -> None:
        if self.for_someone_else.data and not field.data:
            raise ValidationError(_("Enter your name and your organisation."))

    # --- results ---------------------------------------------------------------------------

    @property
    def is_bot(self) -> bool:
        """True when the hidden field was filled in: people never see it."""
        return bool(self.website is not None and self.website.data)

    def answers(self) -> intake.BookingAnswers:
        """The validated answers, ready for :func:`scheduler.requests.intake.create_request`."""
        mode = self.mode.data
        assert isinstance(mode, Mode) and self.phone_e164 is not None
        return intake.BookingAnswers(
            mode=mode,
            needs=list(self.needs.data or []),
            need_details=self.need_details.data or None,
            municipality_id=int(self.municipality.data),
            address=self.address.data if mode is Mode.HOME else None,
            site_id=self.site.data if mode is Mode.DROPIN else None,
            availability=[] if self.any_time.data else list(self.availability.data or []),
            any_time=bool(self.any_time.data),
            deadline=self.deadline.data,
            first_name=self.first_name.data,
            phone=self.phone_e164,
            email=self.email.data or None,
            languages=list(self.languages.data or []),
            accessibility_notes=self.accessibility_notes.data or None,
            referral=self.referral.data,
            referral_name=self.referral_name.data or None,
            for_someone_else=bool(self.for_someone_else.data),
            partner_name=self.partner_name.data if self.for_someone_else.data else None,
        )

    def show_refusal(self, error: intake.BookingRefused) -> None:
        """Put a refusal of the service beside its field (or on top of the form)."""
        target = getattr(self, error.field, None) if error.field else None
        message = refusal_message(error)
        if isinstance(target, Field) and not isinstance(target, HiddenField):
            target.errors = [*target.errors, message]
        else:
            self.form_errors.append(message)


class IntakeForm(BookingForm):
    """The same questions, asked by a dispatcher on the phone."""

    website = None  # no robots on the staff side
    consent = BooleanField(
        _l("I read the privacy notice to the caller and they agree."),
        validators=[
            validators.DataRequired(
                _l("Read the privacy notice to the caller, then tick this box.")
            )
        ],
    )
    internal_note = TextAreaField(
        _l("Internal note"),
        filters=[clean_text],
        validators=[MaxText(2000)],
    )
    beneficiary_id = HiddenField(filters=[int_or_none])

    #: The questions as a dispatcher reads them: about the caller, not "you".
    STAFF_LABELS = {
        "mode": _l("How will the person be helped?"),
        "needs": _l("What does the person need help with?"),
        "municipality": _l("Municipality"),
        "address": _l("Street address"),
        "availability": _l("When is the person free?"),
        "first_name": _l("First name"),
        "phone": _l("Phone number"),
        "email": _l("E-mail"),
        "languages": _l("Languages spoken"),
        "accessibility_notes": _l("Access needs"),
        "for_someone_else": _l("The caller is calling for someone else"),
        "partner_name": _l("Caller's name and organisation"),
    }

    def prepare(self, *args: Any, **kwargs: Any) -> BookingForm:
        for name, text in self.STAFF_LABELS.items():
            self[name].label.text = text
        return super().prepare(*args, **kwargs)


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you cancelling?"),
        filters=[clean_text],
        validators=[MaxText(private_link.CANCEL_REASON_MAX)],
    )


class CallerLookupForm(FlaskForm):
    """Find a caller who already asked for help, by phone number (GET, no token needed)."""

    class Meta:
        csrf = False

    lookup_phone = TelField(_l("Phone number of the caller"), filters=[one_line])
