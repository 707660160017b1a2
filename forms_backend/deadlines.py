"""Due dates counted in working days on the hall's calendar (China's official calendar plus the
catalog's overrides), for 差评 follow-ups and promised time limits."""

from __future__ import annotations

import datetime as dt

from .catalog_access import calendar


def due_after(start: dt.date, working_days: int) -> dt.date:
    """The date ``working_days`` working days after ``start`` (``start`` itself not counted).

    0 working days means "today": an immediate case is due the day it starts.
    """
    if working_days <= 0:
        return start
    return calendar().working_days_after(start, working_days)


def is_overdue(due: dt.date, today: dt.date) -> bool:
    """Overdue from the day after the due date."""
    return today > due


def working_days_left(due: dt.date, today: dt.date) -> int:
    """Working days from tomorrow up to ``due`` (negative when overdue, in calendar days)."""
    if today > due:
        return -(today - due).days  # calendar days late, as a negative number
    return sum(1 for _ in calendar().working_days(today + dt.timedelta(days=1), due))
