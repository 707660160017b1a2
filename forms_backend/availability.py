"""What can be booked now: the catalog, the calendar and the stored seat counts together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from catalog import Item, Window

from . import clock
from .catalog_access import calendar, catalog
from .extensions import the_app
from .slots import BookingKind, Horizon, SlotSpec, day_slots, horizon


def _memo(name: str) -> dict:
    """A per-worker cache of values that depend only on the catalog and their key."""
    cache = the_app().extensions.setdefault(name, {})
    if len(cache) > 512:  # keys hold dates: old ones are never asked for again
        cache.clear()
    return cache


def booking_horizon() -> Horizon:
    config = the_app().config
    key = (
        clock.today(),
        int(config["BOOKING_FIRST_DAY_OFFSET"]),
        int(config["BOOKING_WORKING_DAYS_AHEAD"]),
    )
    cache = _memo("banshi_horizons")
    if key not in cache:
        cache[key] = horizon(key[0], calendar(), key[1], key[2])
    return cache[key]


def window_for(item: Item) -> Window:
    window = catalog().window_of(item)
    if window is None:  # item_allows() is checked first; a published item always has one
        raise LookupError(f"item {item.id} has no window")
    return window


def specs(item: Item, kind: BookingKind, day: dt.date) -> list[SlotSpec]:
    """Slots of the item's window for ``kind`` on ``day`` that start after now."""
    now = clock.now()
    minutes = int(the_app().config["SLOT_MINUTES"])
    window = window_for(item)
    key = (window.id, day, kind.slot_kind, minutes)
    cache = _memo("banshi_day_slots")
    if key not in cache:
        cache[key] = tuple(day_slots(window, day, kind.slot_kind, calendar(), minutes))
    return [spec for spec in cache[key] if spec.start > now]


@dataclass(frozen=True)
class Availability:
    spec: SlotSpec
    remaining: int

    def as_json(self) -> dict:
        return {
            "slot": self.spec.start.isoformat(),
            "start": self.spec.start.isoformat(),
            "end": self.spec.end.isoformat(),
            "window": self.spec.window,
            "kind": self.spec.kind.value,
            "capacity": self.spec.capacity,
            "remaining": self.remaining,
        }


def available(item: Item, kind: BookingKind, day: dt.date) -> list[Availability]:
    """Every slot on ``day`` with its remaining seats (0 when full)."""
    from .bookings.seats import stored_slots

    day_specs = specs(item, kind, day)
    if not day_specs:
        return []
    stored = stored_slots(day_specs[0].window, kind.slot_kind.value, day)
    result = []
    for spec in day_specs:
        slot = stored.get(spec.start)
        remaining = spec.capacity if slot is None else max(slot.capacity - slot.booked, 0)
        result.append(Availability(spec, remaining))
    return result


def next_free(item: Item, kind: BookingKind) -> Availability | None:
    """The earliest slot with a free seat within the booking horizon."""
    for day in booking_horizon().days():
        for slot in available(item, kind, day):
            if slot.remaining > 0:
                return slot
    return None
