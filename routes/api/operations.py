"""The operations of ``/api/v1``: thin views that check the token, parse, call one
service and write JSON.

Creating a request calls :func:`scheduler.requests.intake.create_request`, the service
behind the booking form, the phone intake and partners' referrals, with the answers
checked as the form checks them; its refusals come back as 422 problems naming the field.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import timedelta
from typing import Any

from flask import Response
from flask import url_for
from flask_babel import gettext as _
from flask_smorest import Blueprint

from routes.booking.words import refusal_message
from routes.context import settings
from routes.messages import hooks as message_hooks
from routes.partners.words import why_not_served
from scheduler.api import reads
from scheduler.core import audit
from scheduler.core import phones
from scheduler.core.extensions import db
from scheduler.dispatch.weeks import WeekInvalid
from scheduler.dispatch.weeks import WeekOutOfRange
from scheduler.dispatch.weeks import parse_week
from scheduler.dispatch.weeks import week_code
from scheduler.models import ApiScope
from scheduler.models import Mode
from scheduler.models import Need
from scheduler.models import RequestStatus
from scheduler.models import Source
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from scheduler.partners.referrals import ReferralLine
from scheduler.requests import intake
from scheduler.requests.inbox import InboxFilters
from scheduler.requests.inbox import Sort
from scheduler.requests.inbox import list_requests

from . import idempotency
from . import schemas
from .auth import current_token
from .auth import token_required
from .parsing import ApiParser
from .problems import problem_response

log = logging.getLogger(__name__)

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Refer people, follow referrals, and read the organisation's week.",
)
bp.ARGUMENTS_PARSER = ApiParser()


def invalid(field: str, message: str, *, code: str = "invalid") -> Any:
    """A 422 problem naming the body field at fault, as validation errors do."""
    return problem_response(422, message, code=code, errors={"json": {field: [message]}})


def _week_or_problem(text: str, *, location: str = "query") -> date | Response:
    """The Monday of ``text``, checked as the plan page checks it, or a 422 problem.

    Every operation taking a week reads it here, so that a week one accepts is accepted by
    all, and a malformed one gets the same problem (code ``week``) from all.
    """
    token = current_token()
    try:
        return parse_week(text, today=local_today(token.organisation, utcnow()))
    except WeekOutOfRange as far:
        message = _(
            "Choose a week between %(first)s and %(last)s.",
            first=week_code(far.earliest),
            last=week_code(far.latest),
        )
    except WeekInvalid:
        message = _("Enter a week such as 2026-W49.")
    return problem_response(422, message, code="week", errors={location: {"week": [message]}})


def _record_export(what: str, rows: int) -> None:
    """Personal data (first names, places, times) left the service to a token's software:
    in the audit trail, once an hour per token and operation (software polls)."""
    token = current_token()
    audit.record_export(
        db.session(),
        actor=None,
        what=f"api_token:{token.id}:{what}",
        rows=rows,
        now=utcnow(),
        organisation_id=token.organisation_id,
        once_per=timedelta(hours=1),
    )
    db.session.commit()


def _status(line: ReferralLine) -> dict[str, Any]:
    """A referral's status as the API writes it, with the partner page's sentence."""
    return {
        "reference": line.reference,
        "first_name": line.first_name,
        "mode": line.mode.value,
        "municipality": line.municipality,
        "created_at": line.created_at,
        "status": line.status.value,
        "appointment_at": line.appointment_at,
        "reason": line.reason,
        "reason_text": why_not_served(line) or None,
    }


@bp.route("/requests", methods=["POST"])
@token_required(ApiScope.REQUESTS_CREATE)
@bp.arguments(schemas.NewRequestSchema)
@bp.response(201, schemas.CreatedSchema)
def create_request(body: dict[str, Any]) -> Any:
    """Create a help request

    The booking form's questions and rules. With a partner's token, the request is a
    referral of that partner organisation, which may then follow its status; the person's
    consent is recorded as given to the partner.
    """
    token = current_token()
    org = token.organisation
    options = settings().booking
    for name in ("need_details", "accessibility_notes"):
        if body[name] and len(body[name]) > options.max_text:
            return invalid(
                name,
                _("Write at most %(limit)d characters.", limit=options.max_text),
                code="too_long",
            )
    if Need.OTHER.value in body["needs"] and not (body["need_details"] or "").strip():
        return invalid("need_details", _("Say in a few words what the person needs help with."))
    try:
        phone = phones.parse_phone(body["phone"], org.country)
    except phones.InvalidPhone:
        return invalid("phone", _("This phone number does not look right."), code="phone")
    if not body["first_name"].strip():
        return invalid("first_name", _("Enter the first name."), code="first_name_missing")
    mode = Mode(body["mode"])
    answers = intake.BookingAnswers(
        mode=mode,
        needs=body["needs"],
        need_details=body["need_details"],
        municipality_id=body["municipality_id"],
        address=body["address"] if mode is Mode.HOME else None,
        site_id=body["site_id"] if mode is Mode.DROPIN else None,
        availability=[] if body["any_time"] else body["availability"],
        any_time=body["any_time"],
        deadline=body["deadline"],
        first_name=body["first_name"],
        phone=phone,
        email=body["email"],
        languages=body["languages"],
        accessibility_notes=body["accessibility_notes"],
    )
    claimed = idempotency.claim(token)
    if isinstance(claimed, Response):
        return claimed
    if claimed is not None:
        # The same call again: what the first one created, as it stands now (the request
        # it was merged into, if a dispatcher merged it with the person's other one).
        first = reads.created_request(db.session(), token, claimed.rsplit("/", 1)[-1])
        if isinstance(first, reads.MergedAway):
            return problem_response(
                410,
                _(
                    "The request made with this Idempotency-Key, %(reference)s, was merged "
                    "with another request of the same person, which carries on the help.",
                    reference=first.reference,
                ),
                code="merged",
            )
        if first is None:
            return problem_response(404, _("No request of this reference."), code="not_found")
        location = url_for("api.request_status", reference=first.reference)
        status = _status(reads.follow_up(db.session(), first))
        return status, 201, idempotency.replayed_headers(location)
    now = utcnow()
    try:
        created = intake.create_request(
            db.session(),
            org,
            answers,
            options=options,
            now=now,
            locale=org.locale,
            # A partner's token makes a referral (PARTNER, set by the service); a staff
            # token is the organisation's own software, not the public form.
            source=Source.API,
            internal_note=body["note"],
            partner=token.partner_organisation,
        )
    except intake.BookingRefused as refused:
        db.session.rollback()
        field = {"municipality": "municipality_id", "site": "site_id"}.get(
            refused.field, refused.field
        )
        return invalid(field or "body", str(refusal_message(refused)), code="refused")
    request = created.request
    audit.record(
        db.session(),
        actor=None,
        action="request.create",
        target=f"help_request:{request.id}",
        detail={"client": f"api:{token.id}", "partner": token.partner_organisation_id},
        now=now,
        organisation_id=token.organisation_id,
    )
    db.session.commit()
    log.info("API: request %d created by API client %d", request.id, token.id)
    location = url_for("api.request_status", reference=request.reference)
    idempotency.settle(location)
    message_hooks.after_booking(created)
    return _status(reads.follow_up(db.session(), request)), 201, {"Location": location}


@bp.route("/requests/<reference>", methods=["GET"])
@token_required(ApiScope.REQUESTS_READ)
@bp.response(200, schemas.RequestStatusSchema)
def request_status(reference: str) -> Any:
    """Read where a request stands

    A partner's token reads its own organisation's referrals only; any other reference
    is unknown (404).
    """
    request = reads.visible_request(db.session(), current_token(), reference)
    if request is None:
        return problem_response(404, _("No request of this reference."), code="not_found")
    return _status(reads.follow_up(db.session(), request))


@bp.route("/referrals", methods=["GET"])
@token_required(ApiScope.REQUESTS_READ)
@bp.arguments(schemas.PageQuerySchema, location="query")
@bp.response(200, schemas.StatusPageSchema)
def referrals(query: dict[str, Any]) -> Any:
    """List my partner organisation's referrals

    Newest first, with where each stands. Only for a partner's token.
    """
    token = current_token()
    if not token.is_partner:
        return problem_response(
            403,
            _("Only a partner's token has referrals; use GET /requests."),
            code="partner_only",
        )
    page = reads.partner_referrals(
        db.session(), token, page=query["page"], per_page=query["per_page"]
    )
    found = page.as_dict()
    found["items"] = [_status(line) for line in page.items]
    _record_export("referrals", len(page.items))
    return found


@bp.route("/requests", methods=["GET"])
@token_required(ApiScope.REQUESTS_READ, staff=True)
@bp.arguments(schemas.RequestsQuerySchema, location="query")
@bp.response(200, schemas.StaffRequestPageSchema)
def requests_list(query: dict[str, Any]) -> Any:
    """List the organisation's requests

    Most urgent first, as in the dispatchers' inbox; open requests unless ``status``
    names one. Staff tokens only.
    """
    token = current_token()
    statuses = (
        frozenset({RequestStatus(query["status"])}) if query["status"] else InboxFilters.statuses
    )
    filters = InboxFilters(
        statuses=statuses,
        mode=Mode(query["mode"]) if query["mode"] else None,
        municipality_id=query["municipality_id"],
        need=query["need"],
        sort=Sort.URGENCY,
    )
    found = list_requests(
        db.session(),
        token.organisation,
        filters,
        now=utcnow(),
        page=query["page"],
        per_page=query["per_page"],
    )
    _record_export("requests", len(found.rows))
    return {
        "items": [reads.staff_request(row.request) for row in found.rows],
        "page": found.page,
        "per_page": found.per_page,
        "total": found.total,
        "pages": found.pages,
    }


@bp.route("/appointments", methods=["GET"])
@token_required(ApiScope.APPOINTMENTS_READ, staff=True)
@bp.arguments(schemas.WeekQuerySchema, location="query")
@bp.response(200, schemas.AppointmentWeekSchema)
def appointments(query: dict[str, Any]) -> Any:
    """List a week's appointments

    Every appointment starting in the week (the organisation's local time), cancelled
    ones included with their status. Staff tokens only.
    """
    monday = _week_or_problem(query["week"])
    if isinstance(monday, Response):
        return monday
    week = reads.week_appointments(db.session(), current_token(), monday)
    _record_export("appointments", len(week["items"]))
    return week


@bp.route("/plans/<week>", methods=["GET"])
@token_required(ApiScope.PLANS_READ, staff=True)
@bp.response(200, schemas.PlanSchema)
def plan(week: str) -> Any:
    """Read a week's published plan

    The visits of the plan published for the week (``2026-W49``), and the requests left
    out with the planner's reason. 404 when no plan of that week is published.
    """
    monday = _week_or_problem(week, location="path")
    if isinstance(monday, Response):
        return monday
    found = reads.week_plan(db.session(), current_token(), monday)
    if found is None:
        return problem_response(404, _("No plan is published for this week."), code="not_found")
    _record_export("plan", len(found["visits"]))
    return found
