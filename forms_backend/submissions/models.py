"""Submissions (一表申报), their cases (one per item, routed to its department) and files."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import ChinaDateTime


class CaseStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    CONCLUDED = "concluded"
    NOT_ACCEPTED = "not_accepted"
    """不予受理: refused at acceptance, with a reason the applicant sees."""
    REFUSED = "refused"
    """不予许可: refused after review, with a reason the applicant sees."""

    @property
    def label(self) -> str:
        return CASE_LABELS[self]


CASE_LABELS = {
    CaseStatus.SUBMITTED: "待受理",
    CaseStatus.ACCEPTED: "已受理",
    CaseStatus.RETURNED: "退回补正",
    CaseStatus.CONCLUDED: "已办结",
    CaseStatus.NOT_ACCEPTED: "不予受理",
    CaseStatus.REFUSED: "不予许可",
}

CLOSED = frozenset({CaseStatus.CONCLUDED, CaseStatus.NOT_ACCEPTED, CaseStatus.REFUSED})
"""The statuses a case ends in: nothing more happens to it."""

SUBMISSION_LABELS = {
    "submitted": "已提交，等待受理",
    "in_progress": "办理中",
    "returned": "需要补正材料",
    "concluded": "已办结",
    "closed": "已办理完毕（有办件不予受理或不予许可，原因见下表）",
}


class Submission(db.Model):
    """One application through the one form. Field values are stored encrypted."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    target: Mapped[str] = mapped_column(String(80))
    target_kind: Mapped[str] = mapped_column(String(10))
    window: Mapped[str | None] = mapped_column(String(80))
    answers: Mapped[str] = mapped_column(Text, default="{}")
    """The situation answers as JSON (not personal)."""
    values_cipher: Mapped[str] = mapped_column(Text)
    """The field values as encrypted JSON."""
    applicant_masked: Mapped[str] = mapped_column(String(40), default="")
    phone_masked: Mapped[str] = mapped_column(String(11))
    phone_last4: Mapped[str] = mapped_column(String(4))
    phone_cipher: Mapped[str | None] = mapped_column(String(200))
    """The contact phone, encrypted (call-back of a 差评 follow-up)."""
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    concluded_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    """When the last of its cases was closed (办结, 不予受理 or 不予许可)."""

    cases: Mapped[list[Case]] = relationship(
        back_populates="submission", order_by="Case.id", lazy="selectin"
    )
    files: Mapped[list[SubmissionFile]] = relationship(
        order_by="SubmissionFile.id", lazy="selectin"
    )

    @property
    def status(self) -> str:
        """Derived from the cases: concluded only when every case is; closed when every case
        is closed and at least one was refused."""
        statuses = {c.status for c in self.cases}
        if statuses and statuses == {CaseStatus.CONCLUDED}:
            return "concluded"
        if statuses and statuses <= CLOSED:
            return "closed"
        if CaseStatus.RETURNED in statuses:
            return "returned"
        if statuses & ({CaseStatus.ACCEPTED} | CLOSED):
            return "in_progress"
        return "submitted"

    @property
    def status_label(self) -> str:
        return SUBMISSION_LABELS[self.status]


class Case(db.Model):
    """The part of a submission one department handles (one per applicable item)."""

    __tablename__ = "submission_case"
    __table_args__ = (Index("ix_submission_case_department_status", "department", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    item: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.SUBMITTED)
    return_reason: Mapped[str | None] = mapped_column(String(1000))
    refusal_reason: Mapped[str | None] = mapped_column(String(1000))
    """Why the case was not accepted (不予受理) or refused (不予许可): the applicant reads it."""
    due: Mapped[dt.date | None] = mapped_column(Date)
    """Promised completion date, set on acceptance (working days on the hall calendar)."""
    updated_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    concluded_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    """When the case was closed: 办结, 不予受理 or 不予许可."""
    handled_by: Mapped[str | None] = mapped_column(String(80))

    submission: Mapped[Submission] = relationship(back_populates="cases", lazy="joined")

    @property
    def status_enum(self) -> CaseStatus:
        return CaseStatus(self.status)

    @property
    def closed(self) -> bool:
        """办结, 不予受理 or 不予许可: nothing more happens; the applicant may rate it."""
        return self.status in CLOSED


class SubmissionFile(db.Model):
    """An uploaded material, stored under a random name outside any served folder."""

    __tablename__ = "submission_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    upload_key: Mapped[str] = mapped_column(String(90))
    label: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
