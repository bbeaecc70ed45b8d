"""The API's bodies and query strings, as marshmallow schemas: they validate what comes
in (an unknown field is refused, as an unknown form field would be meaningless) and
describe what goes out in the OpenAPI document.

The limits are the booking form's: the same column sizes from
:mod:`scheduler.requests.intake`, the same choices (modes, needs); the organisation's own
choices (municipalities, sites, languages, times) are checked by the intake service, as
for the form.
"""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import validate

from routes.fields import clean_text
from routes.fields import one_line
from scheduler.core.text import strip_bidi
from scheduler.models import Mode
from scheduler.models import Need
from scheduler.models import RequestStatus
from scheduler.partners.referrals import PartnerStatus
from scheduler.requests import intake

#: Longest free text accepted (need details, access needs); ``[BOOKING] max_text`` may be
#: lower and is checked by the view.
TEXT_MAX = 4000
ID_MAX = 2**31 - 1


def _id(**kwargs: object) -> ma.fields.Integer:
    return ma.fields.Integer(strict=True, validate=validate.Range(1, ID_MAX), **kwargs)  # type: ignore[arg-type]


#: Halves of surrogate pairs: JSON may escape them alone, no database stores them.
_SURROGATES = re.compile("[\ud800-\udfff]")
#: Fields typed on one line; the others keep their line breaks.
ONE_LINE = frozenset({"first_name", "phone", "email", "address"})


def clean_value(name: str, value: Any) -> Any:
    """A text as the booking form would keep it: no bidirectional controls, no control
    characters or lone surrogates (PostgreSQL refuses NUL), trimmed, one line where the
    form has one line. Lists are cleaned item by item."""
    if isinstance(value, list):
        return [clean_value("", item) if isinstance(item, str) else item for item in value]
    if not isinstance(value, str):
        return value
    value = _SURROGATES.sub("", strip_bidi(value))
    return one_line(value) if name in ONE_LINE else clean_text(value)


def refuse_non_booleans(schema: ma.Schema, data: dict[str, Any]) -> None:
    """Refuse with a 400 any boolean field that is not JSON ``true`` or ``false``.

    marshmallow reads ``"true"``, ``"yes"``, ``"on"``, ``1`` and ``"0"`` as booleans: a
    client sending ``"consent": "false"`` as text would be read as having consent, or
    ``"no"`` as not. A boolean has one spelling in JSON; anything else is a client's
    mistake to fix, named in the problem's ``errors``.
    """
    wrong = sorted(
        name
        for name, field in schema.load_fields.items()
        if isinstance(field, ma.fields.Boolean)
        and (field.data_key or name) in data
        and not isinstance(data[field.data_key or name], bool)
    )
    if wrong:
        message = _("Must be true or false (a JSON boolean, without quotes).")
        abort(
            400,
            message=_("%(fields)s: send true or false, without quotes.", fields=", ".join(wrong)),
            errors={"json": {name: [message] for name in wrong}},
        )


class NewRequestSchema(ma.Schema):
    """A help request, with the booking form's questions."""

    @ma.pre_load
    def clean(self, data: Any, **_kwargs: Any) -> Any:
        if not isinstance(data, dict):
            return data
        refuse_non_booleans(self, data)
        return {key: clean_value(key, value) for key, value in data.items()}

    mode = ma.fields.String(required=True, validate=validate.OneOf([m.value for m in Mode]))
    needs = ma.fields.List(
        ma.fields.String(validate=validate.OneOf([n.value for n in Need])),
        required=True,
        validate=validate.Length(min=1, max=len(Need)),
    )
    need_details = ma.fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=TEXT_MAX)
    )
    municipality_id = _id(required=True)
    address = ma.fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=intake.ADDRESS_MAX)
    )
    site_id = _id(load_default=None, allow_none=True)
    availability = ma.fields.List(
        ma.fields.String(validate=validate.Length(max=20)),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"description": 'Times the person is free, such as "tue-am"'},
    )
    any_time = ma.fields.Boolean(load_default=False)
    deadline = ma.fields.Date(load_default=None, allow_none=True)
    first_name = ma.fields.String(
        required=True, validate=validate.Length(min=1, max=intake.FIRST_NAME_MAX)
    )
    phone = ma.fields.String(required=True, validate=validate.Length(min=1, max=40))
    email = ma.fields.Email(
        load_default=None, allow_none=True, validate=validate.Length(max=intake.EMAIL_MAX)
    )
    languages = ma.fields.List(
        ma.fields.String(validate=validate.Length(max=8)),
        required=True,
        validate=validate.Length(min=1, max=20),
        metadata={"description": "ISO 639-1 codes the organisation offers"},
    )
    accessibility_notes = ma.fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=TEXT_MAX)
    )
    note = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=intake.INTERNAL_NOTE_MAX),
        metadata={"description": "A note for the dispatcher; never shown to the person"},
    )
    consent = ma.fields.Boolean(
        required=True,
        validate=validate.Equal(True),
        metadata={
            "description": "The person agreed that their answers be used to organise this "
            "help (for a partner's token: agreed to the partner, who follows the referral)"
        },
    )


class RequestStatusSchema(ma.Schema):
    """Where a request stands: what its partner sees on the partner's pages, no more."""

    reference = ma.fields.String(required=True)
    first_name = ma.fields.String(required=True)
    mode = ma.fields.String(required=True, validate=validate.OneOf([m.value for m in Mode]))
    municipality = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    status = ma.fields.String(
        required=True,
        validate=validate.OneOf([s.value for s in PartnerStatus]),
        metadata={"description": "received, planned, done or not_served"},
    )
    appointment_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "Start of the appointment, once published"}
    )
    reason = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Why it could not be served: cancelled, no_show, or the "
            "planner's reason code"
        },
    )
    reason_text = ma.fields.String(
        allow_none=True, metadata={"description": "The same, in a sentence"}
    )


class CreatedSchema(RequestStatusSchema):
    pass


class PageQuerySchema(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = ma.fields.Integer(
        load_default=25, validate=validate.Range(1, 100), metadata={"description": "At most 100"}
    )


class RequestsQuerySchema(PageQuerySchema):
    status = ma.fields.String(
        load_default=None, validate=validate.OneOf([s.value for s in RequestStatus])
    )
    mode = ma.fields.String(load_default=None, validate=validate.OneOf([m.value for m in Mode]))
    municipality_id = ma.fields.Integer(load_default=None, validate=validate.Range(1, ID_MAX))
    need = ma.fields.String(load_default=None, validate=validate.OneOf([n.value for n in Need]))


class WeekQuerySchema(ma.Schema):
    """The week is read by :func:`scheduler.dispatch.weeks.parse_week` in the view, as
    ``/plans/<week>`` reads it, so that both accept the same weeks and refuse the others
    with the same problem (no pattern here, which would answer a different one)."""

    week = ma.fields.String(
        required=True,
        metadata={
            "description": "ISO week such as 2026-W49 (2026-W1 and 2026W49 are read too), "
            "one year back to two ahead"
        },
    )


class PageSchema(ma.Schema):
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)


class StatusPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(RequestStatusSchema), required=True)


class StaffRequestSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    reference = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    mode = ma.fields.String(required=True)
    needs = ma.fields.List(ma.fields.String(), required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    municipality_id = ma.fields.Integer(required=True)
    municipality = ma.fields.String(required=True)
    first_name = ma.fields.String(allow_none=True)
    priority = ma.fields.Integer(required=True)
    deadline = ma.fields.Date(allow_none=True)
    partner_organisation_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)


class StaffRequestPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(StaffRequestSchema), required=True)


class AppointmentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    request_reference = ma.fields.String(allow_none=True)
    volunteer_id = ma.fields.Integer(allow_none=True)
    volunteer = ma.fields.String(allow_none=True)
    site_id = ma.fields.Integer(allow_none=True)
    municipality = ma.fields.String(allow_none=True)


class AppointmentWeekSchema(ma.Schema):
    week = ma.fields.String(required=True)
    items = ma.fields.List(ma.fields.Nested(AppointmentSchema), required=True)


class PlannedVisitSchema(ma.Schema):
    kind = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    request_reference = ma.fields.String(allow_none=True)
    volunteer_id = ma.fields.Integer(allow_none=True)
    site_id = ma.fields.Integer(allow_none=True)
    travel_min_before = ma.fields.Integer(required=True)
    travel_km_before = ma.fields.Float(required=True)


class LeftOutSchema(ma.Schema):
    request_reference = ma.fields.String(allow_none=True)
    reason = ma.fields.String(required=True)


class PlanSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    week = ma.fields.String(required=True)
    published_at = ma.fields.AwareDateTime(allow_none=True)
    visits = ma.fields.List(ma.fields.Nested(PlannedVisitSchema), required=True)
    left_out = ma.fields.List(ma.fields.Nested(LeftOutSchema), required=True)
