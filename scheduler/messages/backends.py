"""How a message leaves: the outbox (nothing leaves), SMTP for e-mail, an SMS provider.

A backend sends one message or raises :class:`TemporaryFailure` (try again later: the
server is down, busy, or answered 5xx) or :class:`PermanentFailure` (trying again
would not help: the address is refused). It returns the provider's id of the message.
"""

from __future__ import annotations

import html
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from email.utils import make_msgid
from typing import Protocol

from scheduler.core.i18n import text_direction

from .settings import MessageSettings


class DeliveryFailure(Exception):
    """A try failed; ``reason`` is what the provider said, shown to dispatchers."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:500]


class TemporaryFailure(DeliveryFailure):
    """Worth trying again after a while."""


class PermanentFailure(DeliveryFailure):
    """Trying again would fail the same way."""


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "text/calendar"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message ready to go."""

    to: str
    subject: str
    body: str
    language: str
    attachments: tuple[Attachment, ...] = ()


class Backend(Protocol):
    name: str

    def send(self, message: Outgoing) -> str | None: ...


class OutboxOnly:
    """Keeps messages in the outbox for dispatchers to read; nothing leaves."""

    name = "outbox"

    def send(self, message: Outgoing) -> str | None:
        return None


_LINK = re.compile(r"https?://[^\s<>\"']+")


def right_to_left_html(body: str, language: str) -> str:
    """``body`` as an HTML page that reads right to left; every character escaped, its
    links clickable and kept left to right inside the sentence."""

    def link(match: re.Match[str]) -> str:
        found = match.group(0)
        url = found.rstrip(".,;:!?)،؛")  # a sentence's end is not part of the link
        return f'<a href="{url}" dir="ltr">{url}</a>{found[len(url) :]}'

    lines = [_LINK.sub(link, html.escape(line)) for line in body.split("\n")]
    lang = html.escape(language)
    return (
        f'<!doctype html><html lang="{lang}" dir="rtl"><head><meta charset="utf-8"></head>'
        f'<body dir="rtl"><p dir="rtl">{"<br>".join(lines)}</p></body></html>\n'
    )


class SmtpBackend:
    """E-mail through an SMTP server (``smtp_*`` settings of ``[MESSAGES]``)."""

    name = "smtp"

    def __init__(self, settings: MessageSettings) -> None:
        self.settings = settings

    def build(self, message: Outgoing) -> EmailMessage:
        email = EmailMessage()
        email["From"] = formataddr((self.settings.sender_name, self.settings.sender_email))
        email["To"] = message.to
        email["Subject"] = message.subject
        domain = self.settings.sender_email.rpartition("@")[2] or "localhost"
        email["Message-ID"] = make_msgid(domain=domain)
        email.set_content(message.body)
        if text_direction(message.language) == "rtl":
            # Plain text cannot say its direction: mail programs show an Arabic message
            # left-aligned, its sentences out of order around the Latin names and links.
            email.add_alternative(right_to_left_html(message.body, message.language), "html")
        for attachment in message.attachments:
            maintype, _, subtype = attachment.mimetype.partition("/")
            email.add_attachment(
                attachment.content,
                maintype=maintype,
                subtype=subtype,
                filename=attachment.filename,
            )
        # Set last: set_content() and add_attachment() move or drop Content-* headers.
        email["Content-Language"] = message.language
        return email

    def send(self, message: Outgoing) -> str | None:
        settings = self.settings
        email = self.build(message)
        try:
            if settings.smtp_security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.smtp_host,
                    settings.smtp_port,
                    timeout=settings.timeout_s,
                    context=ssl.create_default_context(),
                )
            else:
                client = smtplib.SMTP(
                    settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s
                )
            with client:
                if settings.smtp_security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if settings.smtp_username:
                    client.login(settings.smtp_username, settings.smtp_password)
                client.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(f"SMTP refused the address: {error.recipients}") from error
        except smtplib.SMTPResponseException as error:
            reason = f"SMTP {error.smtp_code}: {error.smtp_error!r}"
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(reason) from error
            raise TemporaryFailure(reason) from error
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(f"SMTP: {error}") from error
        return str(email["Message-ID"])
