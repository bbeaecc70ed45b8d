"""Messages for dispatchers: the call list, the outbox, each organisation's choices; and the
SMS providers' inbound webhooks (STOP answers).

- ``/dispatch/calls``: people to call, with what to say; a button ticks each off.
- ``/dispatch/messages``: the outbox, with each message's status and the provider's reason.
- ``/admin/messages``: which kinds of message are sent, and their words.
- ``/messages/inbound/twilio``: Twilio's signed webhook for SMS answers.

``hooks`` is what other pages call right after their commit; it only queues.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("messages", __name__)

# The pages register on the blueprint.
from routes.messages import inbound  # noqa: E402,F401
from routes.messages import pages  # noqa: E402,F401
from routes.messages import preferences  # noqa: E402,F401
from routes.messages import texts_page  # noqa: E402,F401
