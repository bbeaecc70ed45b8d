"""Forms of the partner organisations' administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import SelectField
from wtforms import StringField
from wtforms import validators

from routes.forms import FlaskForm
from routes.partners.words import kind_choices
from scheduler.models import PartnerKind
from scheduler.partners import organisations

from .forms import EMAIL_MESSAGE


class PartnerForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            validators.InputRequired(_l("Enter the name.")),
            validators.Length(max=organisations.NAME_MAX),
        ],
    )
    kind = SelectField(_l("Kind"), choices=kind_choices, default=PartnerKind.SOCIAL_SERVICES.value)
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[
            validators.Optional(),
            validators.Length(max=organisations.EMAIL_MAX),
            validators.Email(EMAIL_MESSAGE),
        ],
    )
    notify_on_status = BooleanField(
        _l("E-mail this address when one of its referrals changes status")
    )

    def fields(self) -> organisations.PartnerFields:
        return organisations.PartnerFields(
            name=self.name.data or "",
            kind=PartnerKind(self.kind.data),
            contact_email=self.contact_email.data or None,
            notify_on_status=bool(self.notify_on_status.data),
        )


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            validators.InputRequired(_l("Enter an e-mail address.")),
            validators.Length(max=254),
            validators.Email(EMAIL_MESSAGE),
        ],
    )
    display_name = StringField(
        _l("Name shown"), validators=[validators.Optional(), validators.Length(max=120)]
    )
