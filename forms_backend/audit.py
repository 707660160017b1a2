"""The audit log: every staff action on submissions, follow-ups and feedback leaves a row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Index, String, insert
from sqlalchemy.orm import Mapped, mapped_column

from . import clock
from .database import Prepared
from .extensions import db
from .types import ChinaDateTime


class AuditEntry(db.Model):
    """Who did what to which record, when. Written in the same transaction as the change."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_subject", "subject_type", "subject_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_ref: Mapped[str] = mapped_column(String(120))
    """A reference, or reference/item id for a case (item ids have up to 80 characters)."""
    detail: Mapped[str | None] = mapped_column(String(2000))


def row(actor: str, action: str, subject_type: str, subject_ref: str, detail: str | None):
    """The column values of an audit row written now."""
    return {
        "at": clock.now(),
        "actor": actor,
        "action": action,
        "subject_type": subject_type,
        "subject_ref": subject_ref[:120],
        "detail": detail[:2000] if detail else None,
    }


def record(actor: str, action: str, subject_type: str, subject_ref: str, detail: str | None = None):
    """Add an audit row to the current session (committed with the change it describes)."""
    entry = AuditEntry(**row(actor, action, subject_type, subject_ref, detail))
    db.session.add(entry)
    return entry


_INSERT = Prepared(
    insert(AuditEntry.__table__), ("at", "actor", "action", "subject_type", "subject_ref", "detail")
)


def add(
    connection: Connection,
    actor: str,
    action: str,
    subject_type: str,
    subject_ref: str,
    detail: str | None = None,
) -> None:
    """``record`` for a Core transaction: the row goes in with the caller's ``connection``."""
    _INSERT.run(connection, row(actor, action, subject_type, subject_ref, detail))
