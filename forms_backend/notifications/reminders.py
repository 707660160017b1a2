"""Reminders, run by the periodic ``reminders`` task (every 10 minutes, idempotent): the day
before each booking from ``NOTIFY_REMINDER_TIME``, and on the morning of a home visit from
``NOTIFY_HOME_VISIT_TIME``. A deterministic key per booking and day means a second run, or
several workers, write each reminder once. Opted-out phones are skipped."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..bookings.models import Booking, BookingStatus, Slot
from ..extensions import db
from ..privacy import vault
from .models import ReminderOptOut
from .outbox import add, booking_facts


def _at(day: dt.date, setting: str) -> dt.datetime:
    hour, minute = (int(part) for part in str(current_app.config[setting]).split(":"))
    return clock.now().replace(
        year=day.year,
        month=day.month,
        day=day.day,
        hour=hour,
        minute=minute,
        second=0,
        microsecond=0,
    )


def _opted_out(phone_cipher: str) -> bool:
    phone_hmac = vault().lookup_hash(vault().decrypt(phone_cipher))
    return db.session.get(ReminderOptOut, phone_hmac) is not None


def _due(day: dt.date, home_visits: bool) -> list[tuple[Booking, Slot]]:
    """Bookings on ``day``: home visits (reminded that morning) or hall visits (the day before,
    "到窗口办")."""
    query = (
        select(Booking, Slot)
        .join(Slot, Slot.id == Booking.slot_id)
        .where(
            Booking.day == day,
            Booking.status == BookingStatus.BOOKED,
            Booking.home_visit.is_(home_visits),
        )
    )
    return [(row[0], row[1]) for row in db.session.execute(query)]


def enqueue_due() -> list[int]:
    """Write the reminders that are due now; returns the new message ids (the outbox poller
    sends them)."""
    now = clock.now()
    today = now.date()
    ids: list[int] = []
    connection = db.session.connection()
    plans = []
    if now >= _at(today, "NOTIFY_REMINDER_TIME"):
        tomorrow = today + dt.timedelta(days=1)
        plans += [("booking_reminder", b, s, tomorrow) for b, s in _due(tomorrow, False)]
    if now >= _at(today, "NOTIFY_HOME_VISIT_TIME"):
        plans += [
            ("home_visit_reminder", b, s, today) for b, s in _due(today, True) if s.start > now
        ]
    for event, booking, slot, day in plans:
        if _opted_out(booking.phone_cipher):
            continue
        message_id = add(
            connection,
            event,
            subject=booking.reference,
            phone_cipher=booking.phone_cipher,
            phone_masked=booking.phone_masked,
            params=booking_facts(booking.reference, booking.item, booking.window, slot.start),
            key=f"{event}.{booking.reference}.{day.isoformat()}",
        )
        if message_id is not None:
            ids.append(message_id)
    db.session.commit()
    return ids
