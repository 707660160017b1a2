"""Evaluations (好差评) and the follow-up every 差评 opens."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import ChinaDateTime


class Evaluation(db.Model):
    """One evaluation: per served booking, per concluded case, or per on-site visit."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("window", "day", "ticket", name="uq_evaluation_visit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    channel: Mapped[str] = mapped_column(String(10))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("submission_case.id"), unique=True)
    ticket: Mapped[str | None] = mapped_column(String(10))
    """On-site: the queue ticket of the visit (one evaluation per ticket per window per day)."""
    window: Mapped[str | None] = mapped_column(String(80), index=True)
    item: Mapped[str | None] = mapped_column(String(80))
    department: Mapped[str | None] = mapped_column(String(80), index=True)
    level: Mapped[int]
    labels: Mapped[str] = mapped_column(String(400), default="")
    """Ticked 差评 labels, joined with 、."""
    reason: Mapped[str | None] = mapped_column(String(500))
    experience: Mapped[int | None]
    window_service: Mapped[int | None]
    process: Mapped[int | None]
    quality: Mapped[int | None]
    service: Mapped[int | None]
    contact_cipher: Mapped[str | None] = mapped_column(String(200))
    """The evaluator's phone, encrypted; never shown to the evaluated window's staff."""
    contact_masked: Mapped[str | None] = mapped_column(String(11))
    day: Mapped[dt.date] = mapped_column(Date)
    month: Mapped[str] = mapped_column(String(7), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)

    follow_up: Mapped[FollowUp | None] = relationship(back_populates="evaluation", lazy="joined")

    @property
    def label_list(self) -> list[str]:
        return [label for label in self.labels.split("、") if label]


class FollowUpStatus(StrEnum):
    OPEN = "open"
    CALLED_BACK = "called_back"
    RECTIFIED = "rectified"
    REPLIED = "replied"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return FOLLOW_UP_LABELS[self]


FOLLOW_UP_LABELS = {
    FollowUpStatus.OPEN: "待回访",
    FollowUpStatus.CALLED_BACK: "已回访核实",
    FollowUpStatus.RECTIFIED: "已整改",
    FollowUpStatus.REPLIED: "已答复，待评价人评价",
    FollowUpStatus.CLOSED: "评价人已评价整改",
}


class FollowUp(db.Model):
    """差评整改: assigned → call back → rectify → reply → the evaluator rates the rectification."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), unique=True)
    department: Mapped[str | None] = mapped_column(String(80), index=True)
    """Responsible department; None means the hall's management (admins)."""
    status: Mapped[str] = mapped_column(String(20), default=FollowUpStatus.OPEN, index=True)
    due: Mapped[dt.date] = mapped_column(Date)
    callback_note: Mapped[str | None] = mapped_column(String(1000))
    rectification: Mapped[str | None] = mapped_column(String(1000))
    reply: Mapped[str | None] = mapped_column(String(1000))
    rating: Mapped[int | None]
    """The evaluator's rating of the rectification, 1–5."""
    rating_comment: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    replied_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    handled_by: Mapped[str | None] = mapped_column(String(80))

    evaluation: Mapped[Evaluation] = relationship(back_populates="follow_up", lazy="joined")

    @property
    def status_enum(self) -> FollowUpStatus:
        return FollowUpStatus(self.status)

    def overdue(self, today: dt.date) -> bool:
        """Not yet answered to the evaluator after the due date."""
        open_ = self.status in (
            FollowUpStatus.OPEN,
            FollowUpStatus.CALLED_BACK,
            FollowUpStatus.RECTIFIED,
        )
        return open_ and today > self.due
