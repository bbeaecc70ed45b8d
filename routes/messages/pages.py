"""The call list and the outbox, for dispatchers; a request's messages on its page."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.forms import FlaskForm
from routes.messages import bp
from scheduler import messages
from scheduler.core.extensions import db
from scheduler.core.phones import format_phone
from scheduler.messages.consent import opted_out_addresses
from scheduler.messages.consent import record_opt_out
from scheduler.models import HelpRequest
from scheduler.models import MessageChannel
from scheduler.models import MessageStatus
from scheduler.models import OutboxMessage
from scheduler.models import User
from scheduler.models import utcnow


class TickForm(FlaskForm):
    """Only its token: the call to tick is in the address."""


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def shown_address(message: OutboxMessage, country: str) -> str:
    if message.channel is MessageChannel.EMAIL:
        return message.address
    return format_phone(message.address, country)


def shown_body(message: OutboxMessage) -> str:
    """The text as sent, with the secret of a private link hidden from the page."""
    if message.kind.value != "booking":
        return message.body
    words = message.body.split()
    return " ".join("/request/…" if "/request/" in w else w for w in words)


@bp.get("/dispatch/calls")
@staff_required
def calls() -> str:
    org = _user().organisation
    return render_template(
        "messages/calls.html",
        calls=messages.calls_to_make(db.session(), org.id),
        form=TickForm(),
        phone=lambda m: format_phone(m.address, org.country),
        body=shown_body,
    )


@bp.post("/dispatch/calls/<int:message_id>/done")
@staff_required
def call_done(message_id: int) -> Response:
    user = _user()
    form = TickForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return redirect(url_for("messages.calls"), 303)
    org = user.organisation_id
    if messages.tick_call(db.session(), org, message_id, user=user, now=utcnow()):
        flash(_("Call ticked off."), "success")
    else:
        flash(_("This call was already ticked off."), "info")
    return redirect(url_for("messages.calls"), 303)


@bp.get("/dispatch/messages")
@staff_required
def outbox() -> Any:
    org = _user().organisation
    code = request.args.get("status", "")
    status = None
    if code:
        try:
            status = MessageStatus(code)
        except ValueError:
            abort(400)
    return render_template(
        "messages/outbox.html",
        rows=messages.recent_messages(db.session(), org.id, status=status),
        status=status,
        statuses=list(MessageStatus),
        address=lambda m: shown_address(m, org.country),
        body=shown_body,
    )


def request_messages(request_id: int) -> list[OutboxMessage]:
    """For the request page: every message about the request, newest first."""
    return messages.messages_of_request(db.session(), request_id)


def _contacts(help_request: HelpRequest) -> list[str]:
    person = help_request.beneficiary
    return [a for a in ((person.phone, person.email) if person else ()) if a]


def messages_stopped(help_request: HelpRequest) -> bool:
    """For the request page: the person asked for no more SMS or e-mail."""
    contacts = _contacts(help_request)
    found = opted_out_addresses(db.session(), help_request.organisation_id, contacts)
    return bool(contacts) and len(found) == len(contacts)


@bp.app_context_processor
def message_helpers() -> dict[str, Any]:
    return {
        "request_messages": request_messages,
        "message_body": shown_body,
        "messages_stopped": messages_stopped,
        "stop_messages_form": TickForm,
    }


@bp.post("/dispatch/requests/<int:request_id>/messages/stop")
@staff_required
def stop_messages(request_id: int) -> Response:
    """The person told a dispatcher they want no more SMS or e-mail: only calls from now."""
    user = _user()
    help_request = db.session.get(HelpRequest, request_id)
    if help_request is None or help_request.organisation_id != user.organisation_id:
        abort(404)
    if TickForm().validate_on_submit():
        for address in _contacts(help_request):
            record_opt_out(
                db.session(),
                user.organisation_id,
                address,
                source="staff",
                now=utcnow(),
                actor=user,
                target=f"request:{request_id}",
            )
        flash(_("No more SMS or e-mail will be sent to this person."), "success")
    else:
        flash(_("The form expired. Please send it again."), "error")
    return redirect(url_for("inbox.show", request_id=request_id), 303)
