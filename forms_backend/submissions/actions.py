"""Create submissions (idempotent, all or nothing) and move their cases through 受理 → 办结
(or 不予受理 / 不予许可), and reroute them to another department.

Functions raise ``ActionError`` (HTTP status + Chinese message) when a rule says no.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .. import audit, clock, second_factor
from ..deadlines import due_after
from ..errors import ActionError
from ..extensions import db
from ..notifications import outbox
from ..privacy import mask_name, mask_phone, vault
from ..references import new_reference
from ..uploads import CheckedFile, Staging
from .formspec import FormSpec
from .models import CLOSED, Case, CaseStatus, Submission, SubmissionFile

SAVE_FAILED = (
    "系统暂时无法保存您的申报，这次提交没有生效，上传的文件也没有保存。请稍后重新提交；"
    "如多次失败，请致电大厅咨询。"
)


def fingerprint(spec: FormSpec, values: dict[str, str], files: list[CheckedFile]) -> str:
    """A digest of what was submitted, to tell a retry from a different form with the same key."""
    body = {
        "target": spec.target_id,
        "answers": dict(sorted(spec.answers.items())),
        "values": dict(sorted(values.items())),
        "files": sorted((f.key, f.sha256) for f in files),
    }
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()


def _by_key(key: str) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.idempotency_key == key))


def _replay(existing: Submission, digest: str) -> Submission:
    if existing.fingerprint != digest:
        raise ActionError(
            409,
            "这个提交编号已经用于另一份内容不同的申报。若要提交新的申报，请刷新申报页面后重新填写；"
            f"之前的申报编号是 {existing.reference}。",
        )
    return existing


def _applicant_name(spec: FormSpec, values: dict[str, str]) -> str:
    for form_field in spec.fields:
        if form_field.key.endswith("name") and values.get(form_field.key):
            return mask_name(values[form_field.key])[:40]
    return ""


def create_submission(
    spec: FormSpec,
    values: dict[str, str],
    files: list[CheckedFile],
    idempotency_key: str | None,
    departments: dict[str, str],
) -> tuple[Submission, bool]:
    """Store the submission, its cases and files; returns (submission, replayed).

    ``departments`` maps item id → department id. Files are staged first and moved into place
    only after the commit; any failure leaves no row and no file behind.
    """
    digest = fingerprint(spec, values, files)
    if idempotency_key:
        existing = _by_key(idempotency_key)
        if existing is not None:
            return _replay(existing, digest), True
    phone = values[spec.phone_key]
    now = clock.now()
    with Staging() as staging:
        stored = [(checked, staging.add(checked)) for checked in files]
        for _attempt in range(3):
            submission = Submission(
                reference=new_reference(),
                target=spec.target_id,
                target_kind=spec.target_kind,
                window=spec.window,
                answers=json.dumps(dict(spec.answers), ensure_ascii=False),
                values_cipher=vault().encrypt(json.dumps(values, ensure_ascii=False)),
                applicant_masked=_applicant_name(spec, values),
                phone_masked=mask_phone(phone),
                phone_last4=phone[-4:],
                phone_cipher=vault().encrypt(phone),
                idempotency_key=idempotency_key or None,
                fingerprint=digest,
                created_at=now,
            )
            submission.cases = [
                Case(item=item.id, department=departments[item.id], updated_at=now)
                for item in spec.items
            ]
            submission.files = [
                SubmissionFile(
                    upload_key=checked.key,
                    label=checked.label,
                    filename=checked.filename,
                    stored_name=name,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                )
                for checked, name in stored
            ]
            db.session.add(submission)
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                if idempotency_key:
                    existing = _by_key(idempotency_key)
                    if existing is not None:  # a concurrent retry won the race
                        return _replay(existing, digest), True
                continue  # a reference collision: draw another code
            except SQLAlchemyError:
                db.session.rollback()
                raise ActionError(503, SAVE_FAILED) from None
            staging.publish()
            return submission, False
    raise ActionError(503, SAVE_FAILED)  # pragma: no cover


def find_submission(reference: str, phone_last4: str) -> Submission | None:
    submission = db.session.scalar(select(Submission).where(Submission.reference == reference))
    stored = submission.phone_last4 if submission else None
    if not second_factor.matches("submission", reference, stored, phone_last4):
        return None
    return submission


def values_of(submission: Submission) -> dict[str, str]:
    return json.loads(vault().decrypt(submission.values_cipher))


ACTIONS = {
    "accept": ((CaseStatus.SUBMITTED, CaseStatus.RETURNED), CaseStatus.ACCEPTED, "受理"),
    "return": ((CaseStatus.SUBMITTED, CaseStatus.ACCEPTED), CaseStatus.RETURNED, "退回补正"),
    "conclude": ((CaseStatus.ACCEPTED,), CaseStatus.CONCLUDED, "办结"),
    "reject": ((CaseStatus.SUBMITTED, CaseStatus.RETURNED), CaseStatus.NOT_ACCEPTED, "不予受理"),
    "refuse": ((CaseStatus.ACCEPTED,), CaseStatus.REFUSED, "不予许可"),
}
"""Staff action → (statuses it applies to, the status it leads to, its name)."""

NEEDS_REASON = {
    "return": "退回补正时必须写明原因，告诉申请人缺什么、怎么补。请填写退回原因后再提交。",
    "reject": "不予受理时必须写明理由和依据，申请人会在申报进度页看到。请填写理由后再提交。",
    "refuse": "不予许可时必须写明理由和依据，申请人会在申报进度页看到。请填写理由后再提交。",
}
"""The actions that need a reason, and what to say when it is missing."""

CASE_EVENTS = {
    "accept": "case_accepted",
    "return": "case_returned",
    "conclude": "case_concluded",
    "reject": "case_not_accepted",
    "refuse": "case_refused",
}


def change_case(
    case: Case, action: str, actor: str, reason: str | None, promised_days: int
) -> Case:
    """Apply a staff action with a conditional update (no lost updates) and audit it."""
    allowed, target, verb = ACTIONS[action]
    if action in NEEDS_REASON and not reason:
        raise ActionError(422, NEEDS_REASON[action], field="reason")
    now = clock.now()
    values: dict[str, object] = {"status": target, "updated_at": now, "handled_by": actor}
    if target is CaseStatus.ACCEPTED:
        values.update(accepted_at=now, due=due_after(now.date(), promised_days), return_reason=None)
    elif target is CaseStatus.RETURNED:
        values["return_reason"] = reason
    elif target is CaseStatus.CONCLUDED:
        values["concluded_at"] = now
    else:  # 不予受理 / 不予许可
        values.update(concluded_at=now, refusal_reason=reason)
    changed = db.session.execute(
        update(Case)
        .where(Case.id == case.id, Case.status.in_(allowed))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(case)
        raise ActionError(
            409, f"这个办件当前状态是“{case.status_enum.label}”，不能{verb}。请刷新列表后再操作。"
        )
    audit.record(
        actor, f"case.{action}", "case", f"{case.submission.reference}/{case.item}", reason
    )
    facts = {"reference": case.submission.reference, "item": case.item}
    if "due" in values:
        facts["due"] = values["due"].isoformat()
    outbox.add(
        db.session.connection(),
        CASE_EVENTS[action],
        subject=case.submission.reference,
        phone_cipher=case.submission.phone_cipher,
        phone_masked=case.submission.phone_masked,
        params=facts,
    )
    db.session.flush()
    db.session.expire(case)
    submission = case.submission
    db.session.refresh(submission)
    if submission.status in ("concluded", "closed") and submission.concluded_at is None:
        submission.concluded_at = now
    db.session.commit()
    return case


def reroute_case(case: Case, department: str, actor: str, reason: str | None, names) -> Case:
    """改派: an administrator moves an open case to another department (audited). ``names``:
    department id → department, to check the target and to word the audit entry."""
    if department not in names:
        raise ActionError(422, "请从列表中选择要改派到的部门。", field="department")
    if department == case.department:
        raise ActionError(
            422,
            f"这个办件已经由{names[department].name}办理，请选择另一个部门。",
            field="department",
        )
    before = case.department
    changed = db.session.execute(
        update(Case)
        .where(
            Case.id == case.id,
            Case.department == before,
            Case.status.not_in(tuple(CLOSED)),
        )
        .values(department=department, updated_at=clock.now(), handled_by=actor)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(case)
        raise ActionError(
            409,
            f"这个办件当前状态是“{case.status_enum.label}”，已经不能改派。请刷新页面后再操作。",
        )
    source = names[before].name if before in names else before
    detail = f"从{source}改派到{names[department].name}" + (f"：{reason}" if reason else "")
    audit.record(actor, "case.reroute", "case", f"{case.submission.reference}/{case.item}", detail)
    outbox.add(
        db.session.connection(),
        "case_rerouted",
        subject=case.submission.reference,
        phone_cipher=case.submission.phone_cipher,
        phone_masked=case.submission.phone_masked,
        params={
            "reference": case.submission.reference,
            "item": case.item,
            "department": department,
        },
    )
    db.session.commit()
    db.session.expire(case)
    return case


APPLICANT = "申请人"
"""The actor recorded in the audit log for the applicant's own corrections."""


def submit_correction(submission: Submission, note: str | None, files: list[CheckedFile]) -> int:
    """补正: the applicant answers a return with a note and/or files; returned cases go back to
    待受理. All or nothing, like the first submission. Returns the number of cases reopened."""
    returned = [c for c in submission.cases if c.status == CaseStatus.RETURNED]
    if not returned:
        raise ActionError(409, "这份申报目前没有被退回补正的办件，不需要补正。")
    if not note and not files:
        raise ActionError(422, "请写明补正说明，或上传补正后的材料（至少一项）。", field="note")
    now = clock.now()
    with Staging() as staging:
        for checked in files:
            db.session.add(
                SubmissionFile(
                    submission_id=submission.id,
                    upload_key=checked.key,
                    label=f"补正：{checked.label}",
                    filename=checked.filename,
                    stored_name=staging.add(checked),
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                )
            )
        reopened = db.session.execute(
            update(Case)
            .where(Case.submission_id == submission.id, Case.status == CaseStatus.RETURNED)
            .values(status=CaseStatus.SUBMITTED, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        detail = "；".join(
            part
            for part in (
                note,
                "、".join(f.label for f in files) and f"上传：{'、'.join(f.label for f in files)}",
            )
            if part
        )
        for case in returned:
            audit.record(
                APPLICANT, "case.correct", "case", f"{submission.reference}/{case.item}", detail
            )
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            raise ActionError(503, SAVE_FAILED) from None
        staging.publish()
    db.session.expire(submission)
    return reopened


def history(reference: str) -> list:
    """The audit entries of a submission and its cases, oldest first (for the staff page)."""
    return list(
        db.session.scalars(
            select(audit.AuditEntry)
            .where(
                audit.AuditEntry.subject_type.in_(("case", "submission")),
                audit.AuditEntry.subject_ref.like(f"{reference}%"),
            )
            .order_by(audit.AuditEntry.id)
        )
    )
