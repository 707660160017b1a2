"""What the site contains: the catalog, the pages that exist, and where the backend lives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from catalog import Bundle, Catalog, Item
from catalog.reform import ReformReport
from catalog.workdays import china_today

CALENDAR_DAYS = 120
"""How many days from the build date the pages' opening-day map covers (今天开放吗)."""


@dataclass(frozen=True)
class Site:
    """The catalog as seen by the page renderers.

    ``item_ids`` and ``bundle_ids`` are the entries that get a page (published ones, or the
    small neighbourhood of one entry when previewing with ``serve --only``). Links to entries
    without a page are rendered as plain text, never as broken links.
    """

    catalog: Catalog
    backend_url: str | None = ""
    """Base URL of the forms backend; "" means the same origin as the site, None that there is
    no backend (a static guide only: no booking buttons, no service links, no backend requests)."""
    item_ids: frozenset[str] = field(default_factory=frozenset)
    bundle_ids: frozenset[str] = field(default_factory=frozenset)
    department_ids: frozenset[str] = field(default_factory=frozenset)
    theme_ids: frozenset[str] = field(default_factory=frozenset)
    window_ids: frozenset[str] = field(default_factory=frozenset)
    preview: bool = False
    """True for ``serve --only``: no statistics or open data pages."""
    reform: ReformReport | None = None
    """The catalog against its reform baseline (settings ``reform_baseline``), if any."""
    today: dt.date = field(default_factory=china_today)
    """The build date in China: the opening-day map starts here."""

    @classmethod
    def full(
        cls,
        catalog: Catalog,
        backend_url: str | None = "",
        reform: ReformReport | None = None,
        today: dt.date | None = None,
    ) -> Site:
        """Every published item and bundle, and every department, theme and window."""
        return cls(
            reform=reform,
            catalog=catalog,
            backend_url=_base(backend_url),
            today=today or china_today(),
            item_ids=frozenset(i.id for i in catalog.published_items()),
            bundle_ids=frozenset(b.id for b in catalog.published_bundles()),
            department_ids=frozenset(catalog.departments),
            theme_ids=frozenset(catalog.themes),
            window_ids=frozenset(catalog.windows),
        )

    @classmethod
    def around(
        cls,
        catalog: Catalog,
        entry_id: str,
        backend_url: str | None = "",
        today: dt.date | None = None,
    ) -> Site:
        """A small site around one item or bundle (published or not), for instant preview."""
        if entry_id in catalog.items:
            bundles = catalog.bundles_of_item(entry_id)
            items = [catalog.items[entry_id]]
        elif entry_id in catalog.bundles:
            bundles = [catalog.bundles[entry_id]]
            items = []
        else:
            raise KeyError(entry_id)
        for bundle in bundles:
            items += [catalog.items[s.item] for s in bundle.sub_items]
        item_ids = {i.id for i in items}
        departments = {i.department for i in items} | {b.lead_department for b in bundles}
        themes = {t for i in items for t in i.themes} | {t for b in bundles for t in b.themes}
        windows = {i.window for i in items if i.window} | {b.window for b in bundles}
        return cls(
            catalog=catalog,
            backend_url=_base(backend_url),
            today=today or china_today(),
            item_ids=frozenset(item_ids),
            bundle_ids=frozenset(b.id for b in bundles),
            department_ids=frozenset(departments),
            theme_ids=frozenset(themes),
            window_ids=frozenset(windows),
            preview=True,
        )

    def items(self) -> list[Item]:
        """Items with a page, in catalog order."""
        return [i for i in self.catalog.items.values() if i.id in self.item_ids]

    def bundles(self) -> list[Bundle]:
        """Bundles with a page, in catalog order."""
        return [b for b in self.catalog.bundles.values() if b.id in self.bundle_ids]

    @property
    def has_backend(self) -> bool:
        return self.backend_url is not None

    def backend(self, path: str) -> str:
        """URL of a backend path such as ``/apply/x`` (only meaningful with ``has_backend``)."""
        return f"{self.backend_url or ''}{path}"

    def items_of_department(self, department_id: str) -> list[Item]:
        """``Catalog.items_of_department``, from one pass over the catalog per build (the
        catalog's own scans every item on each call: 100 departments × 5,654 items)."""
        return self._grouped[0].get(department_id, [])

    def items_of_theme(self, theme_id: str) -> list[Item]:
        return self._grouped[1].get(theme_id, [])

    def items_of_window(self, window_id: str) -> list[Item]:
        return self._grouped[2].get(window_id, [])

    def bundles_of_item(self, item_id: str) -> list[Bundle]:
        return self._grouped[3].get(item_id, [])

    @cached_property
    def _grouped(
        self,
    ) -> tuple[
        dict[str, list[Item]], dict[str, list[Item]], dict[str, list[Item]], dict[str, list[Bundle]]
    ]:
        by_department: dict[str, list[Item]] = {}
        by_theme: dict[str, list[Item]] = {}
        by_window: dict[str, list[Item]] = {}
        for item in self.catalog.items.values():
            by_department.setdefault(item.department, []).append(item)
            for theme in dict.fromkeys(item.themes):
                by_theme.setdefault(theme, []).append(item)
            if item.window:
                by_window.setdefault(item.window, []).append(item)
        by_item: dict[str, list[Bundle]] = {}
        for bundle in self.catalog.bundles.values():
            for sub_item in dict.fromkeys(s.item for s in bundle.sub_items):
                by_item.setdefault(sub_item, []).append(bundle)
        return by_department, by_theme, by_window, by_item

    @cached_property
    def opening_days(self) -> str:
        """``YYYY-MM-DD:`` then one letter a day from ``today``: ``w`` working day, ``s`` weekend
        service day (双休日不打烊), ``c`` closed; in a year whose holiday schedule is not recorded
        (beyond the calendar's coverage) ``u`` for a Monday to Friday and ``v`` for a weekend,
        which the page does not call open or closed. The same for every window; pages embed it."""
        calendar = self.catalog.calendar
        letters = []
        for offset in range(CALENDAR_DAYS):
            day = self.today + dt.timedelta(days=offset)
            if not calendar.covers(day.year):
                letters.append("u" if day.weekday() < 5 else "v")
            elif calendar.is_working_day(day):
                letters.append("w")
            elif calendar.is_weekend_service_day(day):
                letters.append("s")
            else:
                letters.append("c")
        return f"{self.today.isoformat()}:{''.join(letters)}"


def _base(backend_url: str | None) -> str | None:
    return None if backend_url is None else backend_url.rstrip("/")
