"""SMS answers kept by a provider (OVHcloud), read and acted on (STOP / ARRÊT).

Twilio posts answers to a webhook instead (``routes/messages/inbound.py``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from .backends import DeliveryFailure
from .consent import handle_reply
from .settings import MessageSettings
from .sms import OvhSms

log = logging.getLogger(__name__)


def read_sms_replies(session: Session, now: datetime, settings: MessageSettings) -> int:
    """Read the answers waiting at OVHcloud; how many were opt-outs."""
    if settings.backend != "send" or settings.sms_provider != "ovh":
        return 0
    try:
        replies = OvhSms(settings).fetch_replies()
    except DeliveryFailure as failure:
        log.warning("SMS answers could not be read: %s", failure.reason)
        return 0
    return sum(handle_reply(session, r.sender, r.text, now=now) for r in replies)
