"""The messages tests' real SMTP server and world, for the partners' status e-mails."""

from ..messages.conftest import smtp_server  # noqa: F401
from ..messages.conftest import world_factory  # noqa: F401
