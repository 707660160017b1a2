"""Queue statistics: waiting time (取号 → 叫号), service time (叫号 → 办结), no-shows, per
window type, counter, hour of day and day, and 日均办件量 (finished tickets per open day)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from statistics import mean

from sqlalchemy import select

from .. import clock
from ..catalog_access import catalog
from ..extensions import db
from .models import Counter, Ticket, TicketStatus


def _minutes(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class _Group:
    """Counts and durations of one group of tickets (a window type, a counter, an hour …)."""

    def __init__(self) -> None:
        self.issued = 0
        self.finished = 0
        self.no_show = 0
        self.unserved = 0
        self.waits: list[float] = []
        self.services: list[float] = []

    def add(self, ticket: Ticket, today: dt.date) -> None:
        self.issued += 1
        wait = _minutes(ticket.issued_at, ticket.called_at)
        if wait is not None:
            self.waits.append(wait)
        if ticket.status == TicketStatus.FINISHED:
            self.finished += 1
            service = _minutes(ticket.last_called_at, ticket.finished_at)
            if service is not None:
                self.services.append(service)
        elif ticket.status == TicketStatus.NO_SHOW:
            self.no_show += 1
        elif ticket.day < today:  # still waiting (or called) when that day closed
            self.unserved += 1

    def as_json(self) -> dict:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 1)

        return {
            "issued": self.issued,
            "finished": self.finished,
            "no_show": self.no_show,
            "unserved": self.unserved,
            "wait_minutes_mean": rounded(mean(self.waits)) if self.waits else None,
            "wait_minutes_p90": rounded(_percentile(self.waits, 0.9)),
            "service_minutes_mean": rounded(mean(self.services)) if self.services else None,
        }


def queue_stats(start: dt.date, end: dt.date) -> dict:
    """Aggregates over the tickets issued from ``start`` to ``end`` (inclusive)."""
    today = clock.today()
    tickets = db.session.scalars(
        select(Ticket).where(Ticket.day >= start, Ticket.day <= end).order_by(Ticket.id)
    ).all()
    counters = {c.id: c for c in db.session.scalars(select(Counter))}
    total = _Group()
    by_window: dict[str, _Group] = defaultdict(_Group)
    by_counter: dict[int, _Group] = defaultdict(_Group)
    by_hour: dict[int, _Group] = defaultdict(_Group)
    by_day: dict[dt.date, _Group] = defaultdict(_Group)
    by_priority: dict[str, _Group] = defaultdict(_Group)
    for ticket in tickets:
        total.add(ticket, today)
        by_window[ticket.first_window].add(ticket, today)
        if ticket.counter_id:
            by_counter[ticket.counter_id].add(ticket, today)
        by_hour[ticket.issued_at.hour].add(ticket, today)
        by_day[ticket.day].add(ticket, today)
        by_priority[ticket.priority].add(ticket, today)
    open_days = len(by_day)
    windows = catalog().windows
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        **total.as_json(),
        "open_days": open_days,
        "daily_finished_mean": round(total.finished / open_days, 1) if open_days else None,
        "windows": [
            {"id": w, "name": windows[w].name if w in windows else w, **g.as_json()}
            for w, g in sorted(by_window.items())
        ],
        "counters": [
            {
                "number": counters[c].number if c in counters else c,
                "hall": counters[c].hall if c in counters else None,
                **g.as_json(),
            }
            for c, g in sorted(by_counter.items(), key=lambda kv: counters[kv[0]].number)
        ],
        "hours": [{"hour": h, **g.as_json()} for h, g in sorted(by_hour.items())],
        "days": [{"day": d.isoformat(), **g.as_json()} for d, g in sorted(by_day.items())],
        "priorities": {p: g.as_json() for p, g in sorted(by_priority.items())},
    }


def public_stats(start: dt.date, end: dt.date) -> dict:
    """What the public statistics JSON shows: no counter numbers, no staff."""
    report = queue_stats(start, end)
    report.pop("counters")
    return report


def counter_today(counter: Counter) -> dict:
    today = clock.today()
    group = _Group()
    for ticket in db.session.scalars(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.day == today)
    ):
        group.add(ticket, today)
    return group.as_json()
