"""Book, cancel and reschedule: every change to bookings and seats goes through here.

Each function runs its own transaction and raises ``ActionError`` (status code + Chinese
message) when the rule or the seat count says no; the views only translate it.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from catalog.bundling import applies
from catalog.conditions import condition_text

from .. import audit, clock, second_factor
from ..catalog_access import catalog
from ..database import Prepared, checkpoint_outside_lock, write_lock
from ..errors import ActionError
from ..extensions import db, the_app
from ..notifications import outbox
from ..privacy import mask_id_number, mask_phone, vault
from ..references import new_reference
from ..slots import BookingKind, SlotSpec
from .models import ACTIVE_STATUSES, Booking, BookingStatus
from .seats import ensure_slot, release_seat, slot_id, take_seat

FULL_MESSAGE = "这个时段已经约满了。请选择其他时段。"


@dataclass(frozen=True)
class Applicant:
    """Validated booking data (``BookingRequest.applicant``)."""

    item: str
    kind: BookingKind
    slot: SlotSpec
    name: str
    id_number: str
    phone: str
    elderly: bool = False
    disabled: bool = False
    home_visit: bool = False
    address: str | None = None
    notes: str | None = None
    idempotency_key: str | None = None


def _hall_phone() -> str:
    halls = list(catalog().halls.values())
    return (
        halls[0].phone if halls and halls[0].phone else None
    ) or catalog().settings.complaint_phone


# Statements on the booking path are built and compiled once (``Prepared``): building them,
# or even SQLAlchemy's per-execution work, costs more than running them (docs/benchmarks.md).
# They run on the DB-API cursor of the caller's connection (same transaction, no ORM).
_TABLE = Booking.__table__
_NO_SHOWS = Prepared(
    select(func.count(_TABLE.c.id), func.max(_TABLE.c.day)).where(
        _TABLE.c.id_hmac == bindparam("id_hmac"),
        _TABLE.c.status == BookingStatus.NO_SHOW.value,
        _TABLE.c.day >= bindparam("since"),
    )
)
_BOOKING_COLUMNS = (
    "reference", "slot_id", "item", "kind", "window", "day", "name", "id_cipher", "id_hmac",
    "id_masked", "phone_cipher", "phone_masked", "phone_last4", "elderly", "disabled",
    "home_visit", "address_cipher", "notes", "status", "created_at", "updated_at",
    "idempotency_key",
)  # fmt: skip
_INSERT_BOOKING = Prepared(insert(_TABLE).returning(_TABLE.c.id), _BOOKING_COLUMNS)
_ACTIVE_ON = select(_TABLE.c.id).where(
    _TABLE.c.id_hmac == bindparam("id_hmac"),
    _TABLE.c.day == bindparam("day"),
    _TABLE.c.status.in_([status.value for status in ACTIVE_STATUSES]),
)


def check_not_blocked(id_hmac: str, connection: Connection | None = None) -> None:
    """Refuse people with too many standing no-shows, saying how many and until when."""
    record = no_show_record(id_hmac, connection)
    if record.blocked_until is not None:
        raise ActionError(403, blocked_message(record))


def blocked_message(record: NoShowRecord) -> str:
    return (
        f"您在近 {record.lookback_days} 天内有 {record.count} 次预约未按时到场，按规定 "
        f"{record.blocked_until:%Y年%m月%d日} 前暂停网上预约。"
        f"在此期间您仍可以直接到大厅取号办理；如有疑问，请致电 {_hall_phone()}。"
    )


def _one_per_day_error(day: dt.date) -> ActionError:
    return ActionError(
        409,
        f"您在 {day:%Y年%m月%d日} 已有一个有效预约，每人每天只能预约一次。如需改时间，请用预约号改约；如需办理其他事项，请到窗口一并说明。",
    )


KEY_REUSED = (
    "这个请求编号已经用于另一份预约，不能再用。请刷新预约页面后重新提交；"
    "程序调用接口时，每次新的预约请换一个 idempotency_key。"
)


def _replayed(key: str | None, id_hmac: str) -> Booking | None:
    """The booking already stored under ``key`` for this person (a retry), else None."""
    if not key:
        return None
    found = db.session.scalar(select(Booking).where(Booking.idempotency_key == key))
    if found is not None and found.id_hmac != id_hmac:
        raise ActionError(409, KEY_REUSED, field="idempotency_key")
    return found


def create_booking(applicant: Applicant) -> NewBooking | Booking:
    """Take a seat and store the booking in one transaction; ActionError when refused.

    With an idempotency key, a retry (the answer to the first attempt was lost) returns the
    booking already stored under that key, as a ``Booking``, instead of booking again.

    The one-booking-per-day rule is the database's unique index: a duplicate rolls the whole
    transaction back (seat included) and is reported with a clear message.

    This is the hot path (see docs/benchmarks.md): it runs ``Prepared`` statements on its own
    pooled connection, not through the ORM session, and returns a ``NewBooking``.
    """
    keys = vault()
    id_hmac = keys.lookup_hash(applicant.id_number)
    replayed = _replayed(applicant.idempotency_key, id_hmac)
    if replayed is not None:
        return replayed
    now = clock.now()
    spec = applicant.slot
    fields = {  # encrypt before taking any lock
        "item": applicant.item,
        "kind": applicant.kind.value,
        "window": spec.window,
        "day": spec.day,
        "name": applicant.name,
        "id_cipher": keys.encrypt(applicant.id_number),
        "id_hmac": id_hmac,
        "id_masked": mask_id_number(applicant.id_number),
        "phone_cipher": keys.encrypt(applicant.phone),
        "phone_masked": mask_phone(applicant.phone),
        "phone_last4": applicant.phone[-4:],
        "elderly": applicant.elderly,
        "disabled": applicant.disabled,
        "home_visit": applicant.home_visit,
        "address_cipher": keys.encrypt(applicant.address) if applicant.address else None,
        "notes": applicant.notes,
        "status": BookingStatus.BOOKED.value,
        "created_at": now,
        "updated_at": now,
        "idempotency_key": applicant.idempotency_key,
    }
    with db.engine.connect() as connection, checkpoint_outside_lock(connection):
        check_not_blocked(id_hmac, connection)
        seat = slot_id(connection, spec)
        for _attempt in range(3):
            reference = new_reference()
            with write_lock():
                if not take_seat(seat, connection):
                    connection.rollback()
                    fresh = slot_id(connection, spec, cached=False)  # a remembered id may be stale
                    if fresh == seat or not take_seat(fresh, connection):
                        connection.rollback()
                        raise ActionError(409, FULL_MESSAGE, field="slot")
                    seat = fresh
                try:
                    params = {"reference": reference, "slot_id": seat, **fields}
                    (booking_id,) = _INSERT_BOOKING.first(connection, params)
                    outbox.add(
                        connection,
                        "home_visit_confirmed" if applicant.home_visit else "booking_confirmed",
                        subject=reference,
                        phone_cipher=fields["phone_cipher"],
                        phone_masked=fields["phone_masked"],
                        params=outbox.booking_facts(
                            reference, applicant.item, spec.window, spec.start
                        ),
                    )
                    connection.commit()
                except IntegrityError:
                    connection.rollback()  # the seat goes back with the rest of the transaction
                else:
                    return _detached(booking_id, reference, seat, spec, fields)
            replayed = _replayed(applicant.idempotency_key, id_hmac)  # a concurrent retry won
            if replayed is not None:
                return replayed
            if connection.execute(_ACTIVE_ON, {"id_hmac": id_hmac, "day": spec.day}).first():
                raise _one_per_day_error(spec.day)
            # otherwise a reference collision (1 in 10^11): try another code
    raise ActionError(503, "系统繁忙，预约没有成功。请稍后再试。")  # pragma: no cover


@dataclass(frozen=True)
class NewBooking:
    """A booking just stored, as the answer needs it (building an ORM object cost more)."""

    id: int
    reference: str
    slot_id: int
    slot: SlotSpec
    item: str
    kind: str
    window: str
    day: dt.date
    name: str
    id_masked: str
    phone_masked: str
    elderly: bool
    disabled: bool
    home_visit: bool
    status: str = BookingStatus.BOOKED.value

    @property
    def status_enum(self) -> BookingStatus:
        return BookingStatus(self.status)


def _detached(
    booking_id: int, reference: str, seat: int, spec: SlotSpec, fields: dict
) -> NewBooking:
    return NewBooking(
        id=booking_id,
        reference=reference,
        slot_id=seat,
        slot=spec,
        **{key: fields[key] for key in _NEW_BOOKING_FIELDS},
    )


_NEW_BOOKING_FIELDS = (
    "item",
    "kind",
    "window",
    "day",
    "name",
    "id_masked",
    "phone_masked",
    "elderly",
    "disabled",
    "home_visit",
)


def find_booking(reference: str, phone_last4: str) -> Booking | None:
    """The booking with this reference whose phone ends in ``phone_last4``."""
    booking = db.session.scalar(select(Booking).where(Booking.reference == reference))
    stored = booking.phone_last4 if booking else None
    return booking if second_factor.matches("booking", reference, stored, phone_last4) else None


def recover_booking(id_number: str, phone: str, day: dt.date) -> Booking | None:
    """找回预约号: the person's active booking on ``day`` when the full phone number matches."""
    keys = vault()
    found = db.session.scalar(
        select(Booking).where(
            Booking.id_hmac == keys.lookup_hash(id_number),
            Booking.day == day,
            Booking.status.in_([status.value for status in ACTIVE_STATUSES]),
        )
    )
    if found is None or not hmac.compare_digest(keys.decrypt(found.phone_cipher), phone):
        return None
    return found


def _deadline(booking: Booking) -> dt.datetime:
    hours = int(current_app.config["CANCEL_HOURS_BEFORE"])
    return booking.slot.start - dt.timedelta(hours=hours)


def _check_changeable(booking: Booking, verb: str) -> None:
    if booking.status != BookingStatus.BOOKED:
        raise ActionError(409, f"这个预约的状态是“{booking.status_enum.label}”，不能再{verb}。")
    if clock.now() > _deadline(booking):
        hours = current_app.config["CANCEL_HOURS_BEFORE"]
        raise ActionError(
            409,
            f"距预约时间已不足 {hours} 小时，不能在线{verb}。如不能按时到场，请致电 {_hall_phone()} 说明。",
        )


def cancel_booking(booking: Booking) -> Booking:
    """Cancel up to ``CANCEL_HOURS_BEFORE`` hours before the slot and free the seat."""
    _check_changeable(booking, "取消")
    slot_id = booking.slot_id
    db.session.commit()
    with write_lock():
        _cancel_in_transaction(booking.id, slot_id, booking)
    db.session.refresh(booking)
    return booking


def _notify(event: str, booking: Booking, start: dt.datetime, window: str | None = None) -> None:
    """The booking's message, written in the current transaction."""
    outbox.add(
        db.session.connection(),
        event,
        subject=booking.reference,
        phone_cipher=booking.phone_cipher,
        phone_masked=booking.phone_masked,
        params=outbox.booking_facts(
            booking.reference, booking.item, window or booking.window, start
        ),
    )


def _cancel_in_transaction(booking_id: int, slot_id: int, booking: Booking) -> None:
    changed = db.session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status == BookingStatus.BOOKED)
        .values(
            status=BookingStatus.CANCELLED, updated_at=clock.now(), sequence=Booking.sequence + 1
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        raise ActionError(409, "这个预约刚刚已被取消或改动。请重新查询预约。")
    release_seat(slot_id)
    _notify("booking_cancelled", booking, booking.slot.start)
    db.session.commit()


def reschedule_booking(booking: Booking, new_slot: SlotSpec) -> Booking:
    """Move to ``new_slot``: the new seat is taken before the old one is released, atomically."""
    _check_changeable(booking, "改约")
    if new_slot.start == booking.slot.start and new_slot.window == booking.window:
        raise ActionError(409, "新时段与原预约时段相同。请选择另一个时段。", field="slot")
    check_not_blocked(booking.id_hmac)
    old_slot_id = booking.slot_id
    new_slot_id = ensure_slot(new_slot).id
    db.session.commit()
    with write_lock():
        _move_in_transaction(booking.id, old_slot_id, new_slot_id, new_slot, booking)
    db.session.expire(booking)
    return db.session.get(Booking, booking.id)


def _move_in_transaction(
    booking_id: int, old_slot_id: int, new_slot_id: int, new_slot: SlotSpec, booking: Booking
) -> None:
    if not take_seat(new_slot_id):
        db.session.rollback()
        raise ActionError(409, FULL_MESSAGE, field="slot")
    try:
        moved = db.session.execute(
            update(Booking)
            .where(
                Booking.id == booking_id,
                Booking.status == BookingStatus.BOOKED,
                Booking.slot_id == old_slot_id,
            )
            .values(
                slot_id=new_slot_id,
                day=new_slot.day,
                updated_at=clock.now(),
                sequence=Booking.sequence + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:
            db.session.rollback()
            raise ActionError(409, "这个预约刚刚已被取消或改动。请重新查询预约。")
        release_seat(old_slot_id)
        event = "home_visit_rescheduled" if booking.home_visit else "booking_rescheduled"
        _notify(event, booking, new_slot.start, new_slot.window)
        db.session.commit()
    except IntegrityError:  # the person already has another active booking that day
        db.session.rollback()
        raise _one_per_day_error(new_slot.day) from None


HOME_VISIT_ANSWERS = {"agent": "no"}
"""A home visit serves the applicant in person at home, so nobody applies on their behalf:
the catalog's situation ``agent`` (是否委托他人代办) is answered "no" and its 代办人 /
委托书 materials are left out."""


def materials_of(booking: Booking | NewBooking) -> list[dict]:
    """The materials to bring, from the catalog (exempt ones are left out).

    A situational material is not ``required``: the booking does not know the applicant's
    situation, so ``condition`` says in words when it is needed (仅当…时需要). A home visit
    leaves out what only an agent brings (``HOME_VISIT_ANSWERS``).
    """
    item = catalog().items.get(booking.item)
    if item is None:
        return []
    answers = HOME_VISIT_ANSWERS if booking.home_visit else {}
    return [
        {
            "name": material.name,
            "required": material.required and not material.when,
            "condition": condition_text(material.when, item.situations) or None,
            "form": material.form.value,
            "copies": material.copies,
            "notes": material.notes,
        }
        for material in item.materials
        if not material.exempt and applies(material.when, answers)
    ]


@dataclass(frozen=True)
class NoShowRecord:
    """The no-shows standing against a person: the ones staff recorded and did not undo (an
    undone no-show or a late check-in no longer counts)."""

    count: int
    limit: int
    lookback_days: int
    block_days: int
    blocked_until: dt.date | None
    """The first day online booking is open again, while the person is blocked."""

    def as_json(self) -> dict:
        """The record as the APIs answer it (``bookings.schemas.NoShows``)."""
        return {
            "count": self.count,
            "limit": self.limit,
            "lookback_days": self.lookback_days,
            "block_days": self.block_days,
            "blocked_until": self.blocked_until.isoformat() if self.blocked_until else None,
        }


def no_show_record(id_hmac: str, connection: Connection | None = None) -> NoShowRecord:
    config = the_app().config
    today = clock.today()
    lookback = int(config["NO_SHOW_LOOKBACK_DAYS"])
    limit = int(config["NO_SHOW_LIMIT"])
    block_days = int(config["NO_SHOW_BLOCK_DAYS"])
    params = {"id_hmac": id_hmac, "since": today - dt.timedelta(days=lookback)}
    connection = connection or db.session.connection()
    count, latest = _NO_SHOWS.first(connection, params)
    until = None
    if limit > 0 and count >= limit:
        until = latest + dt.timedelta(days=block_days)
    return NoShowRecord(
        count, limit, lookback, block_days, until if until and today < until else None
    )


# Staff actions on a booking (the day list). ``visit`` says which bookings an action fits: hall
# visits (False), home visits (True, 上门服务), or both (None).
@dataclass(frozen=True)
class StaffAction:
    allowed: tuple[BookingStatus, ...]
    target: BookingStatus
    done: str
    """What the flash message says happened (已签到)."""
    verb: str
    """What could not be done (签到), in the refusal."""
    visit: bool | None


STAFF_ACTIONS = {
    "check-in": StaffAction(
        (BookingStatus.BOOKED,), BookingStatus.CHECKED_IN, "已签到", "签到", False
    ),
    "served": StaffAction(
        (BookingStatus.CHECKED_IN,), BookingStatus.SERVED, "已办理", "办结", False
    ),
    "no-show": StaffAction(
        (BookingStatus.BOOKED,), BookingStatus.NO_SHOW, "已记为未到", "记为未到", False
    ),
    "undo-no-show": StaffAction(
        (BookingStatus.NO_SHOW,), BookingStatus.BOOKED, "的未到记录已撤销", "撤销未到", False
    ),
    "late-check-in": StaffAction(
        (BookingStatus.NO_SHOW,),
        BookingStatus.CHECKED_IN,
        "已补签到，未到记录不再计入",
        "补签到",
        False,
    ),
    "visited": StaffAction(
        (BookingStatus.BOOKED,), BookingStatus.SERVED, "已记为已上门服务", "记为已上门服务", True
    ),
    "visit-missed": StaffAction(
        (BookingStatus.BOOKED,), BookingStatus.VISIT_MISSED, "已记为未能上门", "记为未能上门", True
    ),
}
VISIT_MISSED_REASONS = {
    "not-home": "上门时家中无人，电话也联系不上",
    "rescheduled": "群众来电要求改期",
    "staff": "工作人员原因未能前往",
}
"""Why a home visit did not happen (the audit log keeps the reason; none counts as 未到)."""


def check_staff_action(booking: Booking, action: str) -> None:
    """ActionError unless ``action`` fits the booking now (its kind of visit, its day, its
    status): the confirmation pages ask only about what can be done."""
    rule = STAFF_ACTIONS[action]
    _refuse_unless_fits(booking, action, rule)
    if booking.status not in rule.allowed:
        raise _wrong_status(booking, rule)


def _wrong_status(booking: Booking, rule: StaffAction) -> ActionError:
    return ActionError(
        409, f"预约 {booking.reference} 当前状态是“{booking.status_enum.label}”，不能{rule.verb}。"
    )


def _refuse_unless_fits(booking: Booking, action: str, rule: StaffAction) -> None:
    now = clock.now()
    today = now.date()
    ref = booking.reference
    if rule.visit is not None and rule.visit != booking.home_visit:
        kind = "上门服务" if booking.home_visit else "到厅办理"
        raise ActionError(409, f"预约 {ref} 是{kind}的预约，不能{rule.verb}。")
    if action in ("check-in", "late-check-in") and booking.day != today:
        raise ActionError(409, f"预约 {ref} 是 {booking.day:%m月%d日} 的，只能在当天{rule.verb}。")
    if action in ("no-show", "visited", "visit-missed") and now < booking.slot.start:
        raise ActionError(409, f"预约 {ref} 的时段还没开始，不能{rule.verb}。")
    if action == "undo-no-show" and (
        booking.no_show_at is None or booking.no_show_at.date() != today
    ):
        raise ActionError(
            409,
            f"预约 {ref} 的未到是在 {booking.no_show_at:%m月%d日} 记录的，只能在记录当天撤销。"
            if booking.no_show_at
            else f"预约 {ref} 没有可撤销的未到记录。",
        )


def staff_change(booking: Booking, action: str, actor: str, reason: str | None = None) -> str:
    """Apply a day-list action (``STAFF_ACTIONS``) with its audit row; the message to flash.

    Refusals raise ``ActionError``. A no-show sends the citizen its message; undoing it or a
    late check-in makes it stop counting toward the block (``no_show_record``) and tells them.
    """
    rule = STAFF_ACTIONS[action]
    _refuse_unless_fits(booking, action, rule)
    if action == "visit-missed" and reason not in VISIT_MISSED_REASONS:
        raise ActionError(422, "请选择未能上门的原因。", field="reason")
    now = clock.now()
    values: dict = {"status": rule.target, "updated_at": now, "handled_by": actor}
    if rule.target is BookingStatus.CHECKED_IN:
        values["checked_in_at"] = now
    values["no_show_at"] = now if rule.target is BookingStatus.NO_SHOW else None
    try:
        changed = db.session.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.status.in_(rule.allowed))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    except IntegrityError:  # undo: the person booked another visit that day meanwhile
        db.session.rollback()
        raise ActionError(
            409, f"预约 {booking.reference} 的预约人当天已有另一个有效预约，不能撤销未到。"
        ) from None
    if changed.rowcount != 1:
        db.session.rollback()
        raise _wrong_status(booking, rule)
    detail = VISIT_MISSED_REASONS[reason] if action == "visit-missed" else None
    audit.record(actor, f"booking.{action}", "booking", booking.reference, detail)
    if rule.target is BookingStatus.NO_SHOW:
        _notify("booking_no_show", booking, booking.slot.start)
    elif BookingStatus.NO_SHOW in rule.allowed:  # undone or late check-in: no longer counts
        _notify("booking_no_show_undone", booking, booking.slot.start)
    db.session.commit()
    db.session.refresh(booking)
    return f"预约 {booking.reference}（{booking.name}）{rule.done}。"
