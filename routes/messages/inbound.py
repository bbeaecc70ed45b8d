"""SMS answers posted by a provider: STOP / ARRÊT stop further messages to that number.

Twilio signs each webhook (``X-Twilio-Signature``, HMAC-SHA1 of the full URL and the
sorted form fields under the auth token): an unsigned or wrongly signed post is refused
with 403. OVHcloud keeps answers on its side; a timed job reads them (``sms_replies``).
"""

from __future__ import annotations

import logging

from flask import Response
from flask import abort
from flask import request

from routes.context import settings
from routes.messages import bp
from scheduler.core.extensions import csrf
from scheduler.core.extensions import db
from scheduler.messages import handle_reply
from scheduler.messages.sms import twilio_signature_valid
from scheduler.models import utcnow

log = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _public_url() -> str:
    """The address Twilio posted to, as it signed it (behind a proxy: [MESSAGES] base_url)."""
    base = settings().messages.base_url
    if base:
        return base.rstrip("/") + request.full_path.rstrip("?")
    return request.url


@bp.post("/messages/inbound/twilio")
@csrf.exempt
def twilio_inbound() -> Response:
    running = settings().messages
    if running.sms_provider != "twilio":
        abort(404)
    fields = {key: request.form.get(key, "") for key in request.form}
    signature = request.headers.get("X-Twilio-Signature", "")
    if not twilio_signature_valid(running.twilio_auth_token, _public_url(), fields, signature):
        log.warning("an SMS webhook with a wrong signature was refused")
        abort(403)
    sender = fields.get("From", "")[:32]
    text = fields.get("Body", "")[:1600]
    if sender:
        handle_reply(db.session(), sender, text, now=utcnow())
    return Response(EMPTY_TWIML, mimetype="text/xml")
