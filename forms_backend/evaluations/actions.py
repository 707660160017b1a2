"""Record evaluations from each channel, open follow-ups for 差评, and move follow-ups along.

Functions raise ``ActionError`` (HTTP status + Chinese message, optionally the field).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit, clock
from ..bookings.actions import find_booking
from ..bookings.models import BookingStatus
from ..catalog_access import catalog
from ..deadlines import due_after
from ..errors import ActionError
from ..extensions import db
from ..notifications import outbox
from ..privacy import mask_phone, vault
from ..references import new_reference
from ..submissions.actions import find_submission
from .models import Evaluation, FollowUp, FollowUpStatus
from .rules import DIMENSIONS, Channel, is_negative
from .schemas import EvaluationRequest

ONCE = "这次办理已经评价过了：每次办理只能评价一次。如需补充意见，请使用“悉心听”意见箱。"
NOT_EVALUABLE_BOOKING = (
    "没有找到可以评价的预约：预约号或手机号后 4 位不对，或这次办理还没有完成"
    "（办理完成后才能评价）。请核对后重试。"
)
"""One answer whether the digits are wrong or the booking is not served yet: otherwise the
status code would tell a guesser that the 4 digits were right."""
NOT_EVALUABLE_CASE = (
    "没有找到可以评价的办件：申报编号或手机号后 4 位不对，或这个办件还没有办理完毕"
    "（办结、不予受理或不予许可后才能评价）。请核对后重试。"
)


def _booking_source(data: EvaluationRequest) -> dict:
    booking = find_booking(data.reference, data.phone_last4)
    if booking is None or booking.status != BookingStatus.SERVED:
        raise ActionError(404, NOT_EVALUABLE_BOOKING)
    if db.session.scalar(select(Evaluation.id).where(Evaluation.booking_id == booking.id)):
        raise ActionError(409, ONCE)
    item = catalog().items.get(booking.item)
    return {
        "booking_id": booking.id,
        "window": booking.window,
        "item": booking.item,
        "department": item.department if item else None,
        "contact": vault().decrypt(booking.phone_cipher),
    }


def _case_source(data: EvaluationRequest) -> dict:
    submission = find_submission(data.reference, data.phone_last4)
    if submission is None:
        raise ActionError(404, NOT_EVALUABLE_CASE)
    case = next((c for c in submission.cases if c.item == data.item), None)
    if case is None:
        names = "、".join(c.item for c in submission.cases)
        raise ActionError(
            422, f"这份申报里没有事项“{data.item[:80]}”的办件。可评价的有：{names}。", "item"
        )
    if not case.closed:  # a refusal can be rated too: 差评 often comes from one
        raise ActionError(404, NOT_EVALUABLE_CASE)
    if db.session.scalar(select(Evaluation.id).where(Evaluation.case_id == case.id)):
        raise ActionError(409, ONCE)
    return {
        "case_id": case.id,
        "window": submission.window,
        "item": case.item,
        "department": case.department,
        "contact": vault().decrypt(submission.phone_cipher) if submission.phone_cipher else None,
    }


def _onsite_source(data: EvaluationRequest) -> dict:
    window = catalog().windows.get(data.window)
    if window is None:
        raise ActionError(422, f"没有窗口“{data.window[:80]}”。请从列表中选择窗口。", "window")
    item = None
    if data.item:
        item = catalog().items.get(data.item)
        if item is None or not item.published:
            raise ActionError(
                422, f"没有找到事项“{data.item[:80]}”。请从列表中选择，或不选。", "item"
            )
    return {
        "ticket": data.ticket,
        "window": window.id,
        "item": item.id if item else None,
        "department": item.department if item else None,
        "contact": data.contact_phone or None,
    }


SOURCES = {
    Channel.BOOKING: _booking_source,
    Channel.CASE: _case_source,
    Channel.ONSITE: _onsite_source,
}


def create_evaluation(data: EvaluationRequest) -> Evaluation:
    """Store the evaluation (and its follow-up when it is a 差评) in one transaction."""
    channel = Channel(data.channel)
    source = SOURCES[channel](data)
    now = clock.now()
    level = data.level
    contact = source.pop("contact")
    for _attempt in range(3):
        evaluation = Evaluation(
            reference=new_reference(),
            channel=channel.value,
            level=level,
            labels="、".join(data.labels),
            reason=data.reason or None,
            contact_cipher=vault().encrypt(contact) if contact else None,
            contact_masked=mask_phone(contact) if contact else None,
            day=now.date(),
            month=now.strftime("%Y-%m"),
            created_at=now,
            **{key: data.score(key) for key in DIMENSIONS},
            **source,
        )
        if is_negative(level):
            days = int(current_app.config["FOLLOW_UP_WORKING_DAYS"])
            evaluation.follow_up = FollowUp(
                department=source["department"],
                status=FollowUpStatus.OPEN,
                due=due_after(now.date(), days),
                created_at=now,
                updated_at=now,
            )
        db.session.add(evaluation)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            if channel is Channel.ONSITE and db.session.scalar(
                select(Evaluation.id).where(
                    Evaluation.window == source["window"],
                    Evaluation.day == now.date(),
                    Evaluation.ticket == source["ticket"],
                )
            ):
                raise ActionError(
                    409,
                    f"排队号 {source['ticket']} 今天在这个窗口已经评价过了：每次办理只能评价一次。",
                    "ticket",
                ) from None
            if channel is not Channel.ONSITE and _already(source):
                raise ActionError(409, ONCE) from None
            continue  # a reference collision: draw another code
        return evaluation
    raise ActionError(503, "系统繁忙，评价没有保存。请稍后再试。")  # pragma: no cover


def _already(source: dict) -> bool:
    if source.get("booking_id"):
        return bool(
            db.session.scalar(
                select(Evaluation.id).where(Evaluation.booking_id == source["booking_id"])
            )
        )
    return bool(
        db.session.scalar(select(Evaluation.id).where(Evaluation.case_id == source["case_id"]))
    )


STEPS = {
    "callback": (
        (FollowUpStatus.OPEN,),
        FollowUpStatus.CALLED_BACK,
        "callback_note",
        "回访核实",
    ),
    "rectify": (
        (FollowUpStatus.CALLED_BACK,),
        FollowUpStatus.RECTIFIED,
        "rectification",
        "整改",
    ),
    "reply": ((FollowUpStatus.RECTIFIED,), FollowUpStatus.REPLIED, "reply", "答复"),
}


def advance(follow_up: FollowUp, step: str, text: str, actor: str) -> FollowUp:
    """One staff step of the follow-up, audited. Anonymous 差评 skip the call-back."""
    allowed, target, column, verb = STEPS[step]
    if step == "rectify" and follow_up.evaluation.contact_cipher is None:
        allowed = (FollowUpStatus.OPEN, FollowUpStatus.CALLED_BACK)
    if follow_up.status not in allowed:
        raise ActionError(
            409,
            f"这条差评整改当前是“{follow_up.status_enum.label}”，不能{verb}。请按 回访核实 → 整改 → 答复 的顺序办理。",
        )
    now = clock.now()
    setattr(follow_up, column, text)
    follow_up.status = target
    follow_up.updated_at = now
    follow_up.handled_by = actor
    if target is FollowUpStatus.REPLIED:
        follow_up.replied_at = now
    audit.record(actor, f"follow_up.{step}", "evaluation", follow_up.evaluation.reference, text)
    if target is FollowUpStatus.REPLIED:
        evaluation = follow_up.evaluation
        outbox.add(
            db.session.connection(),
            "follow_up_replied",
            subject=evaluation.reference,
            phone_cipher=evaluation.contact_cipher,
            phone_masked=evaluation.contact_masked,
            params={"reference": evaluation.reference},
        )
    db.session.commit()
    return follow_up


def rate_rectification(follow_up: FollowUp, rating: int, comment: str | None) -> FollowUp:
    """The evaluator's rating of the rectification closes the follow-up."""
    if follow_up.status != FollowUpStatus.REPLIED:
        raise ActionError(
            409,
            "整改答复还没有给出，或您已经评价过整改结果。请在收到答复后再评价。",
        )
    follow_up.rating = rating
    follow_up.rating_comment = comment
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.updated_at = clock.now()
    db.session.commit()
    return follow_up


def find_evaluation(reference: str) -> Evaluation | None:
    return db.session.scalar(select(Evaluation).where(Evaluation.reference == reference))


def assign(follow_up: FollowUp, department: str | None, actor: str) -> FollowUp:
    """An admin (re)assigns a follow-up to the responsible department, audited."""
    if follow_up.status not in (
        FollowUpStatus.OPEN,
        FollowUpStatus.CALLED_BACK,
        FollowUpStatus.RECTIFIED,
    ):
        raise ActionError(409, "这条差评已经答复，不能再改派。")
    if department is not None and department not in catalog().departments:
        raise ActionError(422, f"没有部门“{department[:80]}”。请从列表中选择。")
    follow_up.department = department
    follow_up.updated_at = clock.now()
    audit.record(
        actor,
        "follow_up.assign",
        "evaluation",
        follow_up.evaluation.reference,
        department or "大厅管理",
    )
    db.session.commit()
    return follow_up
