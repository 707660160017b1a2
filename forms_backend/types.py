"""Column types shared by the models."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from catalog.workdays import CHINA


class ChinaDateTime(TypeDecorator):
    """An aware datetime stored as naive China Standard Time, read back as aware +08:00.

    Readable in the database (09:00 is 09:00 at the hall) and identical on SQLite and PostgreSQL.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to a ChinaDateTime column")
        return value.astimezone(CHINA).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=CHINA)
