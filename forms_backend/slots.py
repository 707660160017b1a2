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
    if not calendar.covers(day.year):
        return []  # the year's holiday schedule is not published: no day of it is offered
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
    """The dates open for booking, both included (empty when ``last`` < ``first``)."""

    first: dt.date
    last: dt.date
    calendar_limit: dt.date | None = None
    """Set when the horizon stops early because the next year's holidays are not recorded."""

    @property
    def explanation(self) -> str:
        """Why the horizon is shorter than usual, in Chinese; "" when it is not."""
        if self.calendar_limit is None:
            return ""
        year = self.calendar_limit.year + 1
        if self.last < self.first:
            return f"{year} 年的节假日安排尚未公布，暂时不能预约。公布后即可预约。"
        return (
            f"{year} 年的节假日安排尚未公布，目前只能预约到 {self.calendar_limit:%Y年%m月%d日}；"
            "公布后即可预约之后的日期。"
        )

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
    """From ``first_offset`` days after today up to the ``working_days``-th working day ahead,
    but never past the last day whose year's holiday schedule is recorded."""
    first = today + dt.timedelta(days=first_offset)
    last = max(first, calendar.working_days_after(today, working_days))
    end = calendar.coverage_end(today)
    if end is None:
        end = dt.date(today.year, 1, 1) - dt.timedelta(days=1)
    if last > end:
        return Horizon(first, end, calendar_limit=end)
    return Horizon(first, last)
