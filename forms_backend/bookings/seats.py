"""Seats in slots: the only code that changes ``slot.booked``.

A seat is taken by one conditional UPDATE (``booked < capacity`` in the WHERE clause), so two
requests can never both take the last seat, whatever the number of workers or processes:
the database serialises the row update and re-checks the condition.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..slots import SlotSpec
from .models import Slot


def ensure_slot(spec: SlotSpec) -> Slot:
    """The stored slot for ``spec``, inserted if nobody has yet (race-safe).

    Keep the returned object referenced: then ``booking.slot`` is found in the session's
    identity map without another query. Its ``booked`` count is not refreshed; do not trust it.
    """
    found = db.session.scalar(_slot_query(spec))
    if found is not None:
        return found
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    db.session.execute(
        insert(Slot)
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
    db.session.commit()
    return db.session.scalar(_slot_query(spec))


def _slot_query(spec: SlotSpec):
    return select(Slot).where(
        Slot.window == spec.window, Slot.kind == spec.kind.value, Slot.start == spec.start
    )


def take_seat(slot_id: int) -> bool:
    """Take one seat in the current transaction; False when the slot is full."""
    result = db.session.execute(
        update(Slot)
        .where(Slot.id == slot_id, Slot.booked < Slot.capacity)
        .values(booked=Slot.booked + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


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
