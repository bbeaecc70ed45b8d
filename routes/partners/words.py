"""Words for partner organisations and their referrals: kinds, statuses, reasons."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone

from routes.dispatch.display import reason_sentence
from scheduler.core.i18n import clock_text
from scheduler.dispatch.view import LeftOutLine
from scheduler.models import PartnerKind
from scheduler.partners.referrals import PartnerStatus
from scheduler.partners.referrals import ReferralLine

KIND_LABELS = {
    PartnerKind.SOCIAL_SERVICES: _l("Social services"),
    PartnerKind.SCHOOL: _l("School"),
    PartnerKind.SOCIAL_LANDLORD: _l("Social landlord"),
    PartnerKind.FOOD_BANK: _l("Food bank"),
    PartnerKind.LIBRARY: _l("Library"),
    PartnerKind.MUNICIPALITY: _l("Municipality"),
    PartnerKind.OTHER: _l("Other"),
}

STATUS_LABELS = {
    PartnerStatus.RECEIVED: _l("Received"),
    PartnerStatus.PLANNED: _l("Planned"),
    PartnerStatus.DONE: _l("Done"),
    PartnerStatus.NOT_SERVED: _l("Could not be served"),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, str(label)) for kind, label in KIND_LABELS.items()]


def why_not_served(line: ReferralLine) -> str:
    """Why a referral could not be served, in one sentence, without naming anyone."""
    if line.reason == "cancelled":
        return _("The request was cancelled.")
    if line.reason == "no_show":
        return _("The person was not there at the appointment.")
    if not line.reason:
        return ""
    left_out = LeftOutLine(
        reason=line.reason, detail=line.detail, request=None, site=None, starts=None
    )
    return reason_sentence(left_out) + " " + _("The dispatchers will try again.")


def appointment_words(moment: datetime) -> str:
    """ "mardi 8 décembre 2026, 10 h": the day in full and the time, in the organisation's
    zone, the time as every other page writes it (:func:`scheduler.core.i18n.clock_text`)."""
    hour = clock_text(to_user_timezone(moment).time(), get_locale())
    return _("%(day)s, %(time)s", day=format_date(moment, "full"), time=hour)
