"""A 悉心听 message and its reply."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import ChinaDateTime


class Kind(StrEnum):
    PRAISE = "praise"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    BUTLER = "butler"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.PRAISE: "表扬",
    Kind.COMPLAINT: "投诉",
    Kind.SUGGESTION: "咨询建议",
    Kind.BUTLER: "管家服务",
}


class Status(StrEnum):
    NEW = "new"
    REPLIED = "replied"

    @property
    def label(self) -> str:
        return {"new": "待答复", "replied": "已答复"}[self.value]


class Feedback(db.Model):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    content: Mapped[str] = mapped_column(String(1000))
    window: Mapped[str | None] = mapped_column(String(80))
    item: Mapped[str | None] = mapped_column(String(80))
    department: Mapped[str | None] = mapped_column(String(80), index=True)
    name_masked: Mapped[str | None] = mapped_column(String(40))
    name_cipher: Mapped[str | None] = mapped_column(String(300))
    contact_cipher: Mapped[str | None] = mapped_column(String(200))
    contact_masked: Mapped[str | None] = mapped_column(String(11))
    status: Mapped[str] = mapped_column(String(12), default=Status.NEW, index=True)
    reply: Mapped[str | None] = mapped_column(String(1000))
    replied_at: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)
    replied_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)

    @property
    def status_enum(self) -> Status:
        return Status(self.status)
