"""The outbox (one row per message, written in the transaction of the change that causes it),
reminder opt-outs and the one-time codes of 找回."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import ChinaDateTime


class MessageStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    MessageStatus.PENDING: "等待发送",
    MessageStatus.SENDING: "正在发送",
    MessageStatus.SENT: "已发送",
    MessageStatus.FAILED: "发送失败",
}


class OutboxMessage(db.Model):
    """One message to one citizen. ``key`` is its idempotency key: unique here, and carried to
    the provider (SMS ``OutId``, e-mail ``Message-ID``). The phone is kept encrypted only until
    the message is sent; the log keeps the masked phone."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    event: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(120), index=True)
    """The reference the message is about (booking, submission or evaluation)."""
    phone_cipher: Mapped[str | None] = mapped_column(String(200))
    phone_masked: Mapped[str] = mapped_column(String(11))
    params: Mapped[str] = mapped_column(Text, default="{}")
    """Facts to render the template with (JSON, no personal data)."""
    text: Mapped[str | None] = mapped_column(Text)
    """The rendered text as sent (verification codes masked)."""
    channel: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime, index=True)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    """Wall-clock time of the next delivery attempt (back-off after a failure)."""
    lease_until: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    """While ``sending``: a worker holds the message until then; afterwards another may retry."""
    sent_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    provider_id: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(String(500))

    @property
    def status_enum(self) -> MessageStatus:
        return MessageStatus(self.status)


class ReminderOptOut(db.Model):
    """A phone number (by its HMAC) that asked for no reminders."""

    __tablename__ = "reminder_opt_out"

    phone_hmac: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)


class RecoveryCode(db.Model):
    """A six-digit code sent for 找回我的预约和办件 (stored as an HMAC, never in clear)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_hmac: Mapped[str] = mapped_column(String(64), index=True)
    id_hmac: Mapped[str] = mapped_column(String(64))
    address_hmac: Mapped[str] = mapped_column(String(64), index=True)
    code_hmac: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    used: Mapped[bool] = mapped_column(default=False)
