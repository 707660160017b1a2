"""Store feedback and staff replies (audited)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import audit, clock
from ..catalog_access import catalog
from ..extensions import db
from ..privacy import mask_name, mask_phone, vault
from ..references import new_reference
from .models import Feedback, Status


class FeedbackError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def create_feedback(form) -> Feedback:
    item = catalog().items.get(form.item.data) if form.item.data else None
    keys = vault()
    for _attempt in range(3):
        feedback = Feedback(
            reference=new_reference(),
            kind=form.kind.data,
            content=form.content.data,
            window=form.window.data or (item.window if item else None),
            item=item.id if item else None,
            department=item.department if item else None,
            name_masked=mask_name(form.name.data) if form.name.data else None,
            name_cipher=keys.encrypt(form.name.data) if form.name.data else None,
            contact_cipher=keys.encrypt(form.contact_phone.data)
            if form.contact_phone.data
            else None,
            contact_masked=mask_phone(form.contact_phone.data) if form.contact_phone.data else None,
            status=Status.NEW,
            created_at=clock.now(),
        )
        db.session.add(feedback)
        try:
            db.session.commit()
        except IntegrityError:  # a reference collision: draw another code
            db.session.rollback()
            continue
        return feedback
    raise FeedbackError(503, "系统繁忙，留言没有保存。请稍后再试。")  # pragma: no cover


def find_feedback(reference: str) -> Feedback | None:
    return db.session.scalar(select(Feedback).where(Feedback.reference == reference))


def reply_to(feedback: Feedback, text: str, actor: str) -> Feedback:
    """Reply (or correct an earlier reply); the citizen reads it with the reference."""
    db.session.execute(
        update(Feedback)
        .where(Feedback.id == feedback.id)
        .values(reply=text, status=Status.REPLIED, replied_at=clock.now(), replied_by=actor)
        .execution_options(synchronize_session=False)
    )
    audit.record(actor, "feedback.reply", "feedback", feedback.reference, text)
    db.session.commit()
    db.session.refresh(feedback)
    return feedback
