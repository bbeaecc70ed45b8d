"""Messages to people: the outbox, opt-outs, and what each organisation chose to send.

One :class:`OutboxMessage` row per message to one person by one channel. Its
``idempotency_key`` names the event, the recipient and the channel, and is unique: the
same event can never queue (nor send) the same message twice, whoever asks and however
often. A message on the ``call`` channel is a line of the dispatchers' call list; it is
"sent" when a dispatcher ticks it off.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime
from .base import str_enum
from .base import utcnow


class MessageChannel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"
    #: A line of the call list: a dispatcher reads the text out on the phone.
    CALL = "call"


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class RecipientKind(enum.StrEnum):
    BENEFICIARY = "beneficiary"
    VOLUNTEER = "volunteer"
    STAFF = "staff"
    #: A partner organisation's contact address (status of its referrals).
    PARTNER = "partner"


class MessageKind(enum.StrEnum):
    """The events that send a message; each can be turned off per organisation."""

    BOOKING = "booking"
    APPOINTMENT = "appointment"
    REMINDER = "reminder"
    MOVED = "moved"
    CANCELLED = "cancelled"
    VOLUNTEER_DAY = "volunteer_day"
    DIGEST = "digest"
    #: To a partner organisation that asked for it: one of its referrals changed status.
    REFERRAL_STATUS = "referral_status"
    #: A freed seat in a workshop series, offered to the next person on its waiting list.
    WORKSHOP_OFFER = "workshop_offer"
    #: A person enrolled in a workshop series (a seat, or a place on the waiting list).
    WORKSHOP_ENROLLED = "workshop_enrolled"


class OutboxMessage(Base):
    """One message to one person by one channel, and what became of it."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    kind: Mapped[MessageKind] = mapped_column(str_enum(MessageKind))
    recipient_kind: Mapped[RecipientKind] = mapped_column(str_enum(RecipientKind))
    channel: Mapped[MessageChannel] = mapped_column(str_enum(MessageChannel))
    #: E.164 phone number or e-mail address.
    address: Mapped[str] = mapped_column(sa.String(254))
    #: First name or display name, for the call list and the outbox page.
    recipient_name: Mapped[str] = mapped_column(sa.String(120), default="")
    #: Language of the text: "fr" or "en".
    language: Mapped[str] = mapped_column(sa.String(10))
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    #: Attach the appointment's one-event ``.ics`` to an e-mail.
    attach_ics: Mapped[bool] = mapped_column(default=False)
    status: Mapped[MessageStatus] = mapped_column(
        str_enum(MessageStatus), default=MessageStatus.QUEUED, index=True
    )
    #: The provider's words when a try failed, or why the message was cancelled.
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    #: "outbox", "smtp", "ovh", "twilio"…, and the provider's id of the message.
    provider: Mapped[str | None] = mapped_column(sa.String(20))
    provider_id: Mapped[str | None] = mapped_column(sa.String(100))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: Event + recipient + channel: the same message is never queued twice.
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("help_request.id", ondelete="SET NULL"), index=True
    )
    appointment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("appointment.id", ondelete="SET NULL")
    )
    volunteer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("volunteer.id", ondelete="SET NULL")
    )
    #: The dispatcher who ticked a call off.
    done_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.kind.value} {self.channel.value} {self.status.value}>"


class MessageOptOut(Base):
    """An address that asked for no more messages (STOP / ARRÊT, or told a dispatcher)."""

    __tablename__ = "message_opt_out"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    address: Mapped[str] = mapped_column(sa.String(254))
    #: "keyword" (an SMS answer) or "staff".
    source: Mapped[str] = mapped_column(sa.String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MessageSetting(Base):
    """An organisation's choice for one kind of message: on or off, and its own words.

    ``texts`` maps a language to ``{"subject": …, "body": …}``; a language missing
    there uses the default text.
    """

    __tablename__ = "message_setting"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    kind: Mapped[MessageKind] = mapped_column(str_enum(MessageKind))
    enabled: Mapped[bool] = mapped_column(default=True)
    texts: Mapped[dict[str, dict[str, str]]] = mapped_column(sa.JSON, default=dict)


class TimedRun(Base):
    """A timed job's run for one period (a day, a week) of one organisation, done once.

    Jobs run often and ask "is this period due and not yet done?": a restart of the
    jobs process then neither skips a run (the next tick catches up) nor doubles one
    (the unique key refuses the second).
    """

    __tablename__ = "timed_run"
    __table_args__ = (sa.UniqueConstraint("job", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(40))
    #: e.g. "org-3:2026-12-02" or "org-3:2026-W50".
    period: Mapped[str] = mapped_column(sa.String(60))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
