"""Slots (materialised when first booked) and bookings."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import ChinaDateTime


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    SERVED = "served"
    NO_SHOW = "no_show"
    VISIT_MISSED = "visit_missed"
    """A home visit that did not happen (nobody home, rescheduled by phone, staff kept away):
    never counted as a no-show."""
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    BookingStatus.BOOKED: "已预约",
    BookingStatus.CHECKED_IN: "已签到",
    BookingStatus.SERVED: "已办理",
    BookingStatus.NO_SHOW: "未到",
    BookingStatus.VISIT_MISSED: "未能上门",
    BookingStatus.CANCELLED: "已取消",
}
ACTIVE_STATUSES = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
_ACTIVE_SQL = "status IN ('booked', 'checked_in')"


class Slot(db.Model):
    """One bookable time at one window; ``booked`` never exceeds ``capacity``."""

    __tablename__ = "slot"
    __table_args__ = (
        UniqueConstraint("window", "kind", "start", name="uq_slot_window_kind_start"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="seats"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    window: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    start: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    end: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0, server_default="0")


class Booking(db.Model):
    """A citizen's booking. ID number, phone and address are stored encrypted."""

    __tablename__ = "booking"
    __table_args__ = (
        # One active booking per person per day, enforced by the database itself.
        Index(
            "uq_booking_person_day_active",
            "id_hmac",
            "day",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_booking_window_day", "window", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    item: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    window: Mapped[str] = mapped_column(String(80))
    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(50))
    id_cipher: Mapped[str] = mapped_column(String(200))
    id_hmac: Mapped[str] = mapped_column(String(64), index=True)
    id_masked: Mapped[str] = mapped_column(String(18))
    phone_cipher: Mapped[str] = mapped_column(String(200))
    phone_masked: Mapped[str] = mapped_column(String(11))
    phone_last4: Mapped[str] = mapped_column(String(4))
    elderly: Mapped[bool] = mapped_column(default=False)
    disabled: Mapped[bool] = mapped_column(default=False)
    home_visit: Mapped[bool] = mapped_column(default=False)
    address_cipher: Mapped[str | None] = mapped_column(String(600))
    notes: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default=BookingStatus.BOOKED)
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    handled_by: Mapped[str | None] = mapped_column(String(80))
    no_show_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    """When staff recorded the no-show standing now (it may be undone that same day)."""
    assigned_to: Mapped[str | None] = mapped_column(String(80))
    """The staff member (username) who took on this assisted booking; they may see the phone."""
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    """Chosen by the client per booking attempt: a retry with the same key gets this booking."""
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    """The calendar entry's revision (.ics SEQUENCE): raised by every reschedule and cancel."""

    slot: Mapped[Slot] = relationship(lazy="joined")

    @property
    def status_enum(self) -> BookingStatus:
        return BookingStatus(self.status)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES
