"""The hall queue's tables: counters, tickets (per hall, day and prefix numbered), events."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import ChinaDateTime


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    FINISHED = "finished"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    TicketStatus.WAITING: "等待叫号",
    TicketStatus.CALLED: "已叫号，请到窗口办理",
    TicketStatus.FINISHED: "已办结",
    TicketStatus.NO_SHOW: "已过号",
}


class Priority(StrEnum):
    """Why a ticket is called early: its booking's slot is now, or the green channel."""

    BOOKING = "booking"
    GREEN = "green"
    NORMAL = "normal"

    @property
    def label(self) -> str:
        return {"booking": "预约", "green": "绿色通道", "normal": "普通"}[self.value]


class Counter(db.Model):
    """One desk (柜台) of the hall, numbered as on its sign, serving one or more window types."""

    __tablename__ = "queue_counter"
    __table_args__ = (UniqueConstraint("hall", "number", name="uq_queue_counter_hall_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall: Mapped[str] = mapped_column(String(80))
    number: Mapped[int]
    windows: Mapped[str] = mapped_column(String(400))
    """Comma-separated window (type) ids this counter calls, the first is its own."""
    device_token: Mapped[str] = mapped_column(String(64), unique=True)
    """Secret in the URL of the counter's evaluation device (评价器); admins see it."""
    active: Mapped[bool] = mapped_column(default=True, server_default="1")

    def window_ids(self) -> list[str]:
        return [w for w in self.windows.split(",") if w]

    @property
    def window(self) -> str:
        return self.window_ids()[0]


class TicketNumber(db.Model):
    """The last number issued per hall, day and prefix (numbers restart every day)."""

    __tablename__ = "queue_number"

    hall: Mapped[str] = mapped_column(String(80), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


_CALLED_SQL = "status = 'called'"


class Ticket(db.Model):
    """A queue ticket (号) for one window type on one day. No personal data is stored."""

    __tablename__ = "queue_ticket"
    __table_args__ = (
        UniqueConstraint("hall", "day", "prefix", "number", name="uq_queue_ticket_number"),
        # A counter serves one ticket at a time: the database refuses a second called ticket.
        Index(
            "uq_queue_ticket_counter_called",
            "counter_id",
            unique=True,
            sqlite_where=text(_CALLED_SQL),
            postgresql_where=text(_CALLED_SQL),
        ),
        # the waiting line: priority tickets and the normal ones by id (hall_queue/order.py)
        Index("ix_queue_ticket_line", "hall", "day", "status", "window", "priority", "id"),
        Index("ix_queue_ticket_counter_day", "counter_id", "day"),  # 评价器, the counter's day
        Index("ix_queue_ticket_day", "day"),  # statistics over a date range
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    """Random key of the citizen's my-ticket page (printed on the ticket)."""
    hall: Mapped[str] = mapped_column(String(80))
    day: Mapped[dt.date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(2))
    number: Mapped[int]
    window: Mapped[str] = mapped_column(String(80))
    """The window type the ticket waits for now (changes on transfer)."""
    first_window: Mapped[str] = mapped_column(String(80))
    priority: Mapped[str] = mapped_column(String(10), default=Priority.NORMAL)
    green_reason: Mapped[str | None] = mapped_column(String(10))
    """``elderly`` (age from the ID number, which is not stored) or ``disabled``."""
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"), unique=True)
    priority_from: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    priority_until: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    """A booked ticket is called first only between these (its slot, a little before)."""
    status: Mapped[str] = mapped_column(String(10), default=TicketStatus.WAITING)
    issued_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    called_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    """The first call (waiting time ends here)."""
    last_called_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    """The latest call (service time starts here)."""
    calls: Mapped[int] = mapped_column(default=0)
    """Calls at the current counter (recalls included); a skip needs QUEUE_SKIP_AFTER_CALLS."""
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("queue_counter.id"))
    staff: Mapped[str | None] = mapped_column(String(80))
    """Username of the staff member who called (and finished) the ticket."""
    finished_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation.id"), unique=True)

    counter: Mapped[Counter | None] = relationship(lazy="joined")

    @property
    def label(self) -> str:
        """The printed number, e.g. A012."""
        return f"{self.prefix}{self.number:03d}"

    @property
    def status_enum(self) -> TicketStatus:
        return TicketStatus(self.status)


class EventKind(StrEnum):
    ISSUE = "issue"
    CALL = "call"
    RECALL = "recall"
    SKIP = "skip"
    TRANSFER = "transfer"
    FINISH = "finish"

    @property
    def label(self) -> str:
        return {
            "issue": "取号",
            "call": "叫号",
            "recall": "重呼",
            "skip": "过号",
            "transfer": "转窗口",
            "finish": "办结",
        }[self.value]


class TicketEvent(db.Model):
    """What happened to a ticket, when, at which counter, by whom (the call display's history)."""

    __tablename__ = "queue_event"
    __table_args__ = (Index("ix_queue_event_hall_at", "hall", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_ticket.id"), index=True)
    hall: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("queue_counter.id"))
    actor: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[str | None] = mapped_column(String(200))
