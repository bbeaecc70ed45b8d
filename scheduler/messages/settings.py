"""The ``[MESSAGES]`` table of ``config.toml``, read once and typed.

Secrets (the SMTP password, the SMS providers' keys) are empty in the committed file and
come from the environment, e.g. ``ESCOUADE_MESSAGES__smtp_password``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import fields
from typing import Any

from scheduler.core.settings import ConfigurationError

BACKENDS = ("outbox", "send")
SMS_PROVIDERS = ("none", "ovh", "twilio")


@dataclass(frozen=True, slots=True)
class MessageSettings:
    """How messages leave Escouade, and when the timed ones are made; see ``[MESSAGES]``."""

    #: "outbox": messages are kept for dispatchers to read, nothing leaves (the default);
    #: "send": e-mail through SMTP and SMS through ``sms_provider``.
    backend: str = "outbox"
    sender_email: str = "escouade@localhost"
    sender_name: str = "Escouade"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    #: "none", "starttls" or "ssl".
    smtp_security: str = "none"
    timeout_s: float = 10.0
    sms_provider: str = "none"
    ovh_endpoint: str = "https://eu.api.ovh.com/1.0"
    ovh_application_key: str = ""
    ovh_application_secret: str = ""
    ovh_consumer_key: str = ""
    ovh_service_name: str = ""
    ovh_sender: str = ""
    twilio_base_url: str = "https://api.twilio.com"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from: str = ""
    #: A token in the address of the inbound SMS webhook, for providers that sign nothing.
    inbound_token: str = ""
    #: Tries before a message is marked failed, and the waits between them in seconds.
    max_attempts: int = 4
    retry_delays_s: tuple[int, ...] = (60, 300, 1800)
    #: Local hour, the day before, at which reminders go out.
    reminder_hour: int = 17
    #: Local hour of the dispatchers' daily digest.
    digest_hour: int = 7
    #: Day (0 = Monday) and local hour at which next week's draft plan is made.
    draft_weekday: int = 3
    draft_hour: int = 14
    #: Width, in minutes, of the window of arrival told for a home visit, centred on its start.
    arrival_window_min: int = 30
    #: Public address of the service, for links in messages; empty: [FEEDS] base_url.
    base_url: str = ""

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> MessageSettings:
        """Read ``[MESSAGES]``; missing keys keep their defaults.

        :raises ConfigurationError: an unknown key, a value of the wrong kind, or an
            unknown backend or provider.
        """
        table = dict(table or {})
        known = {f.name: f for f in fields(cls)}
        unknown = set(table) - set(known)
        if unknown:
            raise ConfigurationError(f"[MESSAGES] has unknown keys: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        defaults = cls()
        try:
            for name, value in table.items():
                default = getattr(defaults, name)
                if isinstance(default, tuple):
                    values[name] = tuple(int(v) for v in value)
                elif isinstance(default, bool):
                    values[name] = bool(value)
                else:
                    values[name] = type(default)(value)
        except (TypeError, ValueError) as error:
            raise ConfigurationError(f"[MESSAGES] has a value of the wrong kind: {error}") from None
        settings = cls(**values)
        if settings.backend not in BACKENDS:
            raise ConfigurationError(f"[MESSAGES] backend must be one of {', '.join(BACKENDS)}.")
        if settings.sms_provider not in SMS_PROVIDERS:
            raise ConfigurationError(
                f"[MESSAGES] sms_provider must be one of {', '.join(SMS_PROVIDERS)}."
            )
        if settings.smtp_security not in ("none", "starttls", "ssl"):
            raise ConfigurationError("[MESSAGES] smtp_security must be none, starttls or ssl.")
        if settings.max_attempts < 1 or not 0 <= settings.reminder_hour <= 23:
            raise ConfigurationError("[MESSAGES] max_attempts or reminder_hour is out of range.")
        if not 0 <= settings.digest_hour <= 23 or not 0 <= settings.draft_hour <= 23:
            raise ConfigurationError("[MESSAGES] digest_hour and draft_hour are hours, 0 to 23.")
        if not 0 <= settings.draft_weekday <= 6:
            raise ConfigurationError("[MESSAGES] draft_weekday is a day, 0 (Monday) to 6.")
        return settings

    @property
    def sms_available(self) -> bool:
        """True when an SMS can leave (or be kept in the outbox, which shows it)."""
        return self.backend == "outbox" or self.sms_provider != "none"

    def retry_delay_s(self, attempts: int) -> int:
        """Seconds to wait after the ``attempts``-th failed try (the last delay repeats)."""
        delays = self.retry_delays_s or (60,)
        return delays[min(attempts, len(delays)) - 1]
