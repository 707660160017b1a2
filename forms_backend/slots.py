"""Bookable slots, computed from the catalog's windows and the working-day calendar.

Pure functions: nothing here touches the database. A slot exists in the ``slot`` table only
once somebody books it (see ``bookings.seats``); until then its capacity is the window's counters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from catalog import Item, Period, Window, WorkCalendar
from catalog.workdays import CHINA


class BookingKind(StrEnum):
    """What a citizen books (the URL and API values)."""

    APPOINTMENT = "appointment"
    AFTER_HOURS = "after_hours"
    ASSISTED = "assisted"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def slot_kind(self) -> SlotKind:
        return SlotKind.AFTER_HOURS if self is BookingKind.AFTER_HOURS else SlotKind.REGULAR


KIND_LABELS = {
    BookingKind.APPOINTMENT: "预约办理",
    BookingKind.AFTER_HOURS: "延时服务（早晚弹性、双休日不打烊）",
    BookingKind.ASSISTED: "帮办代办",
}


class SlotKind(StrEnum):
    """Regular opening hours, or after-hours time (早晚弹性 and 双休日不打烊)."""

    REGULAR = "regular"
    AFTER_HOURS = "after_hours"


@dataclass(frozen=True)
class SlotSpec:
    """One bookable time at one window, before it is stored."""

    window: str
    kind: SlotKind
    start: dt.datetime
    end: dt.datetime
    capacity: int

    @property
    def day(self) -> dt.date:
        return self.start.date()


def item_allows(item: Item, kind: BookingKind) -> bool:
    """True when the catalog lets citizens book ``kind`` for ``item``."""
    if not item.published or not item.window:
        return False
    return {
        BookingKind.APPOINTMENT: item.booking.appointment,
        BookingKind.AFTER_HOURS: item.booking.after_hours,
        BookingKind.ASSISTED: item.booking.assisted,
    }[kind]


def _at(day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=CHINA)


def _cut(start: dt.datetime, end: dt.datetime, length: dt.timedelta) -> Iterator[tuple]:
    """Whole slots of ``length`` from ``start`` that end by ``end``."""
    while start + length <= end:
        yield start, start + length
        start += length


def _periods(day: dt.date, periods: list[Period]) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(_at(day, p.start_time), _at(day, p.end_time)) for p in periods]


def day_slots(
    window: Window, day: dt.date, kind: SlotKind, calendar: WorkCalendar, minutes: int
) -> list[SlotSpec]:
    """Slots of ``kind`` at ``window`` on ``day``; empty when the hall is closed."""
    length = dt.timedelta(minutes=minutes)
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    if calendar.is_working_day(day):
        hours = _periods(day, window.hours)
        if kind is SlotKind.REGULAR:
            spans = hours
        else:
            opening, closing = hours[0][0], hours[-1][1]
            early = dt.timedelta(minutes=window.flexible.early_minutes)
            late = dt.timedelta(minutes=window.flexible.late_minutes)
            spans = [(opening - early, opening), (closing, closing + late)]
    elif kind is SlotKind.AFTER_HOURS and calendar.is_weekend_service_day(day):
        spans = _periods(day, window.weekend)
    return [
        SlotSpec(window.id, kind, start, end, window.counters)
        for span_start, span_end in spans
        for start, end in _cut(span_start, span_end, length)
    ]


@dataclass(frozen=True)
class Horizon:
    """The dates open for booking, both included."""

    first: dt.date
    last: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last

    def days(self) -> Iterator[dt.date]:
        day = self.first
        while day <= self.last:
            yield day
            day += dt.timedelta(days=1)


def horizon(
    today: dt.date, calendar: WorkCalendar, first_offset: int, working_days: int
) -> Horizon:
    """From ``first_offset`` days after today up to the ``working_days``-th working day ahead."""
    first = today + dt.timedelta(days=first_offset)
    last = max(first, calendar.working_days_after(today, working_days))
    return Horizon(first, last)
