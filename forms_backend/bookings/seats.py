"""Seats in slots: the only code that changes ``slot.booked``.

A seat is taken by one conditional UPDATE (``booked < capacity`` in the WHERE clause), so two
requests can never both take the last seat, whatever the number of workers or processes:
the database serialises the row update and re-checks the condition.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..database import Prepared
from ..extensions import db, the_app
from ..slots import SlotSpec
from .models import Slot

_FIND_SLOT = select(Slot).where(
    Slot.window == bindparam("window"),
    Slot.kind == bindparam("kind"),
    Slot.start == bindparam("start"),
)
_SLOT = Slot.__table__
_TAKE_SEAT = Prepared(
    update(_SLOT)
    .where(_SLOT.c.id == bindparam("slot_id"), _SLOT.c.booked < _SLOT.c.capacity)
    .values(booked=_SLOT.c.booked + 1)
)
"""UPDATE slot SET booked = booked + 1 WHERE id = :slot_id AND booked < capacity"""
_SLOT_ID = select(_SLOT.c.id).where(
    _SLOT.c.window == bindparam("window"),
    _SLOT.c.kind == bindparam("kind"),
    _SLOT.c.start == bindparam("start"),
)
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _insert_slot(spec: SlotSpec, dialect: str):
    return (
        _INSERTS[dialect](Slot)
        .values(
            window=spec.window,
            kind=spec.kind.value,
            day=spec.day,
            start=spec.start,
            end=spec.end,
            capacity=spec.capacity,
            booked=0,
        )
        .on_conflict_do_nothing(index_elements=["window", "kind", "start"])
    )


def ensure_slot(spec: SlotSpec) -> Slot:
    """The stored slot for ``spec``, inserted if nobody has yet (race-safe).

    Keep the returned object referenced: then ``booking.slot`` is found in the session's
    identity map without another query. Its ``booked`` count is not refreshed; do not trust it.
    """
    found = _find(spec)
    if found is not None:
        return found
    db.session.execute(_insert_slot(spec, db.session.get_bind().dialect.name))
    db.session.commit()
    return _find(spec)


def _find(spec: SlotSpec) -> Slot | None:
    params = {"window": spec.window, "kind": spec.kind.value, "start": spec.start}
    return db.session.execute(_FIND_SLOT, params).scalar_one_or_none()


def take_seat(slot_id: int, connection: Connection | None = None) -> bool:
    """Take one seat in the current transaction; False when the slot is full."""
    connection = connection or db.session.connection()
    return _TAKE_SEAT.run(connection, {"slot_id": slot_id}).rowcount == 1


def _slot_ids() -> dict[tuple[str, str, object], int]:
    return the_app().extensions.setdefault("banshi_slot_ids", {})


def slot_id(connection: Connection, spec: SlotSpec, *, cached: bool = True) -> int:
    """The id of the stored slot for ``spec`` (inserted if nobody has yet, race-safe).

    Slot rows are never deleted, so ids are remembered per worker: the booking path then
    needs no SELECT. A caller whose seat UPDATE matches no row asks again with
    ``cached=False`` before answering "full" (see ``create_booking``). Commits any insert.
    """
    key = (spec.window, spec.kind.value, spec.start)
    ids = _slot_ids()
    if cached and key in ids:
        return ids[key]
    params = {"window": spec.window, "kind": spec.kind.value, "start": spec.start}
    found = connection.execute(_SLOT_ID, params).scalar()
    if found is None:
        connection.execute(_insert_slot(spec, connection.dialect.name))
        connection.commit()
        found = connection.execute(_SLOT_ID, params).scalar_one()
    ids[key] = found
    return found


def release_seat(slot_id: int) -> None:
    """Give a seat back in the current transaction."""
    db.session.execute(
        update(Slot)
        .where(Slot.id == slot_id, Slot.booked > 0)
        .values(booked=Slot.booked - 1)
        .execution_options(synchronize_session=False)
    )


def stored_slots(window: str, kind: str, day) -> dict:
    """Stored slots of one window, kind and day, by start time."""
    rows = db.session.scalars(
        select(Slot).where(Slot.window == window, Slot.kind == kind, Slot.day == day)
    )
    return {slot.start: slot for slot in rows}
