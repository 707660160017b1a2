"""The .ics calendar file for a booking (icalendar, RFC 5545).

One UID per booking for its whole life, so a calendar program updates the same entry: a
reschedule raises ``SEQUENCE``; a cancellation is sent as ``METHOD:CANCEL`` with
``STATUS:CANCELLED``. LOCATION is where the citizen must be: the hall's street address and the
window, or for a home visit (上门服务) the citizen's own address. One reminder (VALARM) at
18:00 the day before. Every text a citizen reads is Chinese.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from catalog import Catalog

from .. import clock
from ..privacy import vault
from .actions import materials_of
from .models import Booking, BookingStatus

REMINDER_AT = dt.time(18, 0)
"""The reminder fires at 18:00 the day before the booking."""


def _materials(booking: Booking) -> list[str]:
    """What to bring whatever the situation (situational materials are on the booking page)."""
    return [m["name"] for m in materials_of(booking) if m["required"]]


def _place(booking: Booking, catalog: Catalog) -> str:
    if booking.home_visit and booking.address_cipher:
        return vault().decrypt(booking.address_cipher)
    window = catalog.windows.get(booking.window)
    hall = catalog.halls.get(window.hall) if window else None
    parts = (
        hall.address if hall else None,
        hall.name if hall else None,
        window.name if window else None,
        window.location if window else None,
    )
    return "，".join(p for p in parts if p)


def _description(booking: Booking, catalog: Catalog, item_name: str) -> list[str]:
    lines = [f"预约号：{booking.reference}", f"办理事项：{item_name}"]
    if booking.status == BookingStatus.CANCELLED:
        return [*lines, "这个预约已经取消，不用再去办理。"]
    materials = _materials(booking)
    if booking.home_visit:
        lines.append("上门服务：工作人员会在约定时间前电话联系您，请保持电话畅通。")
        if materials:
            lines.append("请准备好：" + "、".join(materials))
        return lines
    if materials:
        lines.append("请携带：" + "、".join(materials) + "（其他材料视情况而定，详见预约详情页）")
    lines.append("请提前 10 分钟到达，凭预约号在窗口签到。")
    return lines


def booking_calendar(booking: Booking, catalog: Catalog) -> bytes:
    """The booking as a one-event calendar; a cancelled booking as its cancellation."""
    item = catalog.items.get(booking.item)
    item_name = item.name if item else booking.item
    cancelled = booking.status == BookingStatus.CANCELLED
    summary = f"{'上门服务' if booking.home_visit else '办事预约'}：{item_name}"

    calendar = Calendar()
    calendar.add("prodid", "-//banshi//bookings//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.reference}@banshi")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", clock.now())
    event.add("dtstart", booking.slot.start)
    event.add("dtend", booking.slot.end)
    event.add("summary", f"已取消：{summary}" if cancelled else summary)
    event.add("location", _place(booking, catalog))
    event.add("description", "\n".join(_description(booking, catalog, item_name)))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        start = booking.slot.start
        alarm.add(
            "description",
            f"办事提醒：明天 {start:%H:%M} {item_name}，预约号 {booking.reference}",
        )
        the_day_before = dt.datetime.combine(
            start.date() - dt.timedelta(days=1), REMINDER_AT, tzinfo=start.tzinfo
        )
        alarm.add("trigger", the_day_before)
        event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
