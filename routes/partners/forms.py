"""The fields a partner's referral adds to the check page of the step-by-step form.

Kept here, not in the booking package, because only partner staff ever see them: the
public pages' catalogues (Arabic, Spanish, Portuguese) need not carry their words.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import TextAreaField
from wtforms import validators

from routes.forms import FlaskForm


class ReferralSendForm(FlaskForm):
    """The check page's button for a partner's referral: the person's consent given to
    the partner, and a note for the dispatchers (never shown to the person nor to volunteers)."""

    consent_to_partner = BooleanField(
        _l(
            "The person agrees that we refer them, and that our organisation follows what "
            "becomes of their request."
        ),
        validators=[validators.DataRequired(_l("Tick this box once the person has agreed to it."))],
    )
    note = TextAreaField(
        _l("Note for the dispatchers"),
        filters=[lambda text: text.strip() if isinstance(text, str) else text],
        validators=[validators.Length(max=1000, message=_l("Write at most %(max)d characters."))],
    )
