"""The .ics calendar file for a booking (icalendar)."""

from __future__ import annotations

from icalendar import Calendar, Event

from catalog import Catalog

from .. import clock
from .models import Booking


def booking_calendar(booking: Booking, catalog: Catalog) -> bytes:
    item = catalog.items.get(booking.item)
    window = catalog.windows.get(booking.window)
    hall = catalog.halls.get(window.hall) if window else None
    item_name = item.name if item else booking.item
    place = "，".join(
        p
        for p in (
            hall.name if hall else None,
            window.name if window else None,
            window.location if window else None,
        )
        if p
    )
    materials = [m.name for m in (item.materials if item else []) if not m.exempt]
    description = [f"预约号：{booking.reference}", f"办理事项：{item_name}"]
    if hall:
        description.append(f"地址：{hall.address}")
    if materials:
        description.append("请携带：" + "、".join(materials))
    description.append("请提前 10 分钟到达，凭预约号在窗口签到。")

    calendar = Calendar()
    calendar.add("prodid", "-//banshi//bookings//ZH")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{booking.reference}@banshi")
    event.add("dtstamp", clock.now())
    event.add("dtstart", booking.slot.start)
    event.add("dtend", booking.slot.end)
    event.add("summary", f"办事预约：{item_name}")
    event.add("location", place)
    event.add("description", "\n".join(description))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
