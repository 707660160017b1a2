"""The loaded catalog: every entity by id, and the questions the site and backend ask of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .bundle import Bundle
from .item import Item
from .materials import MaterialDictionary
from .place import Department, Hall, Window
from .problems import Problem
from .search_words import SearchWords
from .settings import CalendarOverrides, Settings
from .theme import Theme
from .workdays import WorkCalendar


@dataclass
class Catalog:
    """A whole district catalog, validated. Mappings keep file order (sorted by file name)."""

    root: Path
    settings: Settings
    departments: dict[str, Department]
    halls: dict[str, Hall]
    windows: dict[str, Window]
    themes: dict[str, Theme]
    calendar_overrides: CalendarOverrides
    items: dict[str, Item]
    bundles: dict[str, Bundle]
    materials: MaterialDictionary = field(default_factory=MaterialDictionary, repr=False)
    """Which material names are the same material (materials.yml), for merging bundles."""
    item_paths: dict[str, Path] = field(default_factory=dict, repr=False)
    bundle_paths: dict[str, Path] = field(default_factory=dict, repr=False)
    warnings: list[Problem] = field(default_factory=list, repr=False)
    """Problems that do not stop the build, such as a missing holiday calendar."""
    search_words: SearchWords = field(default_factory=SearchWords, repr=False)
    """The editors' synonyms and search words (optional ``search.yml``)."""

    @property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.calendar_overrides)

    def published_items(self) -> list[Item]:
        return [item for item in self.items.values() if item.published]

    def published_bundles(self) -> list[Bundle]:
        return [bundle for bundle in self.bundles.values() if bundle.published]

    def window_of(self, item: Item) -> Window | None:
        return self.windows.get(item.window) if item.window else None

    def hall_of(self, window: Window) -> Hall:
        return self.halls[window.hall]

    def items_of_department(self, department_id: str) -> list[Item]:
        return [i for i in self.items.values() if i.department == department_id]

    def items_of_theme(self, theme_id: str) -> list[Item]:
        return [i for i in self.items.values() if theme_id in i.themes]

    def items_of_window(self, window_id: str) -> list[Item]:
        return [i for i in self.items.values() if i.window == window_id]

    def bundles_of_item(self, item_id: str) -> list[Bundle]:
        return [b for b in self.bundles.values() if any(s.item == item_id for s in b.sub_items)]

    def consult_phone(self, item: Item) -> str:
        return item.consult_phone or self.departments[item.department].phone

    def complaint_phone(self, item: Item) -> str:
        return item.complaint_phone or self.settings.complaint_phone
