"""找回我的预约和办件: ID number + phone → a six-digit SMS code (valid ``RECOVERY_CODE_MINUTES``,
``RECOVERY_CODE_TRIES`` tries, limited per phone and per client address) → the person's
bookings, applications and evaluations, masked.

The answer to a code request never tells whether records exist (no enumeration); a code is
only sent when there is something to find, so nobody can make us text a stranger for nothing.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from .. import clock
from ..bookings.actions import NoShowRecord, no_show_record
from ..bookings.models import Booking
from ..catalog_access import catalog
from ..errors import ActionError
from ..evaluations.models import Evaluation
from ..evaluations.rules import LEVELS
from ..extensions import db
from ..privacy import mask_phone, vault
from ..submissions.models import SUBMISSION_LABELS, Submission
from . import outbox
from .models import RecoveryCode, ReminderOptOut

SENT = (
    "如果身份证号和手机号与我们的预约或申报记录一致，验证码已发送到这个手机，{minutes} 分钟内有效。"
    "没有收到时，请核对号码，或 1 分钟后重新获取。"
)


def _hashes(id_number: str, phone: str, address: str) -> tuple[str, str, str]:
    keys = vault()
    return keys.lookup_hash(id_number), keys.lookup_hash(phone), keys.lookup_hash(f"ip:{address}")


def _count_since(column, value: str, since: dt.datetime) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(column == value, RecoveryCode.created_at >= since)
    )


def _code_hmac(code: str) -> str:
    return vault().lookup_hash(f"code:{code}")


def request_code(id_number: str, phone: str, address: str) -> str:
    """Store (and, when records exist, send) a new code; returns the message for the citizen."""
    config = current_app.config
    now = clock.now()
    id_hmac, phone_hmac, address_hmac = _hashes(id_number, phone, address)
    hour_ago = now - dt.timedelta(hours=1)
    last = db.session.scalar(
        select(func.max(RecoveryCode.created_at)).where(RecoveryCode.phone_hmac == phone_hmac)
    )
    if last is not None and now - last < dt.timedelta(seconds=60):
        raise ActionError(429, "验证码刚刚发送过。请 1 分钟后再获取。", "phone")
    per_phone = int(config["RECOVERY_CODES_PER_PHONE_PER_HOUR"])
    if _count_since(RecoveryCode.phone_hmac, phone_hmac, hour_ago) >= per_phone:
        raise ActionError(
            429,
            f"这个手机号一小时内已获取 {per_phone} 次验证码。请一小时后再试，或到大厅窗口查询。",
            "phone",
        )
    per_address = int(config["RECOVERY_CODES_PER_ADDRESS_PER_HOUR"])
    if _count_since(RecoveryCode.address_hmac, address_hmac, hour_ago) >= per_address:
        raise ActionError(
            429, "这台设备一小时内获取验证码的次数已达上限。请一小时后再试，或到大厅窗口查询。"
        )
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = int(config["RECOVERY_CODE_MINUTES"])
    db.session.add(
        RecoveryCode(
            phone_hmac=phone_hmac,
            id_hmac=id_hmac,
            address_hmac=address_hmac,
            code_hmac=_code_hmac(code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
    )
    if find_records(id_number, phone).any:
        outbox.add(
            db.session.connection(),
            "recovery_code",
            subject="找回",
            phone_cipher=vault().encrypt(phone),
            phone_masked=mask_phone(phone),
            params={"code": code, "minutes": minutes},
        )
    db.session.commit()
    return SENT.format(minutes=minutes)


def verify(person: Person, code: str) -> Records:
    """Check the code (one try used); the records when it is right."""
    now = clock.now()
    entry = db.session.scalar(
        select(RecoveryCode)
        .where(RecoveryCode.phone_hmac == person.phone_hmac, RecoveryCode.id_hmac == person.id_hmac)
        .order_by(RecoveryCode.id.desc())
        .limit(1)
    )
    if entry is None or entry.used or entry.expires_at < now:
        raise ActionError(400, "验证码已过期或已使用。请重新获取验证码。", "code")
    tries = int(current_app.config["RECOVERY_CODE_TRIES"])
    if entry.attempts >= tries:
        raise ActionError(429, f"验证码已输错 {tries} 次，已经失效。请重新获取验证码。", "code")
    entry.attempts += 1
    right = hmac.compare_digest(entry.code_hmac, _code_hmac(code))
    if right:
        entry.used = True
    db.session.commit()
    if not right:
        left = tries - entry.attempts
        hint = f"还可以再试 {left} 次。" if left else "验证码已经失效，请重新获取。"
        raise ActionError(400, f"验证码不对。{hint}", "code")
    return records_of(person)


@dataclass
class Records:
    bookings: list[dict] = field(default_factory=list)
    submissions: list[dict] = field(default_factory=list)
    evaluations: list[dict] = field(default_factory=list)
    opted_out: bool = False
    no_shows: NoShowRecord | None = None
    """The person's no-show record (count, block end), as on the booking page."""

    @property
    def any(self) -> bool:
        return bool(self.bookings or self.submissions or self.evaluations)


def _name(item_id: str) -> str:
    found = catalog().items.get(item_id) or catalog().bundles.get(item_id)
    return found.name if found else item_id


@dataclass(frozen=True)
class Person:
    """Who is looking, by lookup hashes only (kept in the session after a verified code)."""

    id_hmac: str
    phone_hmac: str
    phone_last4: str

    @classmethod
    def of(cls, id_number: str, phone: str) -> Person:
        keys = vault()
        return cls(keys.lookup_hash(id_number), keys.lookup_hash(phone), phone[-4:])


def find_records(id_number: str, phone: str) -> Records:
    return records_of(Person.of(id_number, phone))


def records_of(person: Person) -> Records:
    """Bookings (same ID number and phone), applications (same phone and the ID number among
    the submitted fields) and the evaluations of either; masked, newest first."""
    keys = vault()
    records = Records()
    booking_ids: list[int] = []
    for booking in db.session.scalars(
        select(Booking).where(Booking.id_hmac == person.id_hmac).order_by(Booking.id.desc())
    ):
        if keys.lookup_hash(keys.decrypt(booking.phone_cipher)) != person.phone_hmac:
            continue
        booking_ids.append(booking.id)
        records.bookings.append(
            {
                "reference": booking.reference,
                "item": _name(booking.item),
                "start": booking.slot.start.isoformat(),
                "status": booking.status_enum.label,
                "phone": booking.phone_masked,
            }
        )
    records.no_shows = no_show_record(person.id_hmac)
    case_ids: list[int] = []
    for submission in db.session.scalars(
        select(Submission)
        .where(Submission.phone_last4 == person.phone_last4)
        .order_by(Submission.id.desc())
    ):
        if not submission.phone_cipher:
            continue
        if keys.lookup_hash(keys.decrypt(submission.phone_cipher)) != person.phone_hmac:
            continue
        submitted = json.loads(keys.decrypt(submission.values_cipher)).values()
        if not any(keys.lookup_hash(str(value)) == person.id_hmac for value in submitted):
            continue
        case_ids += [case.id for case in submission.cases]
        records.submissions.append(
            {
                "reference": submission.reference,
                "target": _name(submission.target),
                "created": submission.created_at.date().isoformat(),
                "status": SUBMISSION_LABELS.get(submission.status, submission.status),
            }
        )
    if booking_ids or case_ids:
        for evaluation in db.session.scalars(
            select(Evaluation)
            .where(Evaluation.booking_id.in_(booking_ids) | Evaluation.case_id.in_(case_ids))
            .order_by(Evaluation.id.desc())
        ):
            records.evaluations.append(
                {
                    "reference": evaluation.reference,
                    "level": LEVELS[evaluation.level],
                    "day": evaluation.day.isoformat(),
                    "item": _name(evaluation.item) if evaluation.item else "",
                }
            )
    records.opted_out = db.session.get(ReminderOptOut, person.phone_hmac) is not None
    return records


def set_reminders(person: Person, wanted: bool) -> None:
    """Opt in or out of reminders for this phone (after a verified code)."""
    phone_hmac = person.phone_hmac
    existing = db.session.get(ReminderOptOut, phone_hmac)
    if wanted and existing is not None:
        db.session.delete(existing)
    elif not wanted and existing is None:
        db.session.add(ReminderOptOut(phone_hmac=phone_hmac, created_at=clock.now()))
    db.session.commit()
