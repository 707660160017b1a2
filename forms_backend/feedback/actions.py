"""Store feedback and staff replies (audited)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import audit, clock
from ..catalog_access import catalog
from ..errors import ActionError
from ..extensions import db
from ..privacy import mask_name, mask_phone, vault
from ..references import new_reference
from .models import Feedback, Status
from .schemas import FeedbackRequest


def create_feedback(message: FeedbackRequest) -> Feedback:
    """Store a validated message with a new reference (the item's department receives it)."""
    item = catalog().items.get(message.item) if message.item else None
    name, phone = message.name, message.contact_phone
    keys = vault()
    for _attempt in range(3):
        feedback = Feedback(
            reference=new_reference(),
            kind=message.kind,
            content=message.content,
            window=message.window or (item.window if item else None),
            item=item.id if item else None,
            department=item.department if item else None,
            name_masked=mask_name(name) if name else None,
            name_cipher=keys.encrypt(name) if name else None,
            contact_cipher=keys.encrypt(phone) if phone else None,
            contact_masked=mask_phone(phone) if phone else None,
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
    raise ActionError(503, "系统繁忙，留言没有保存。请稍后再试。")  # pragma: no cover


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
