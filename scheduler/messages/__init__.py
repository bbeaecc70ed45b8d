"""Messages to people: confirmations, appointments, reminders, changes, digests.

Everything is queued first in the outbox (``outbox``), once per event, recipient and
channel; ``delivery`` sends one queued message with the backend of its channel
(``backends``: SMTP; ``sms``: OVHcloud or Twilio) and records the outcome. Who is told
what: ``beneficiaries``, ``volunteers``, ``digest``; after a change, ``news``; the step
every message to a beneficiary shares (workshops' too): ``to_beneficiary``. Their
words: ``texts`` (editable per organisation) and ``words``. STOP answers: ``consent``.
The call list: ``calls``. The task queue's ``send_message`` runs: ``background``. May import
``core``, ``models``, ``calendars`` and ``tasks``.
"""

from __future__ import annotations

from .beneficiaries import queue_booking_confirmation
from .beneficiaries import queue_reminders
from .calls import calls_to_make
from .calls import messages_of_request
from .calls import recent_messages
from .calls import tick_call
from .consent import handle_reply
from .consent import record_opt_out
from .delivery import Backends
from .delivery import deliver
from .delivery import deliver_due
from .digest import queue_digests
from .news import queue_news
from .settings import MessageSettings

__all__ = [
    "Backends",
    "MessageSettings",
    "calls_to_make",
    "deliver",
    "deliver_due",
    "handle_reply",
    "messages_of_request",
    "queue_booking_confirmation",
    "queue_digests",
    "queue_news",
    "queue_reminders",
    "recent_messages",
    "record_opt_out",
    "tick_call",
]
