"""The structured change list: what differs between two catalogs, entry by entry.

Items are matched by id, then (for ids that disappear) by implementation code, so a renamed
file is a rename, not a removal plus an addition. Bundles are matched by id, then by name,
then by the same set of sub-items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from ..bundling import Savings
from ..catalog import Catalog

Action = Literal["added", "removed", "changed"]
Publication = Literal["published", "unpublished"]


@dataclass(frozen=True)
class Difference:
    """One difference in plain words: ``what: old → new`` (``old`` or ``new`` may be absent)."""

    what: str
    old: str | None = None
    new: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class EntryChange:
    """An item, bundle, window or other entry that was added, removed or changed."""

    id: str
    name: str
    action: Action
    path: str = ""
    """The entry's file relative to the catalog (the new one, or the old one when removed)."""
    state: str = ""
    """For items and bundles: its publication state after the change (before, when removed)."""
    publication: Publication | None = None
    visible: bool = True
    """False when citizens see the entry neither before nor after (never published)."""
    details: tuple[Difference, ...] = ()
    savings_old: Savings | None = None
    savings_new: Savings | None = None


@dataclass(frozen=True)
class CatalogChanges:
    """Everything that differs between two catalogs, grouped the way reviewers read it."""

    items: tuple[EntryChange, ...] = ()
    bundles: tuple[EntryChange, ...] = ()
    windows: tuple[EntryChange, ...] = ()
    calendar: tuple[Difference, ...] = ()
    other: tuple[EntryChange, ...] = field(default=())
    """Settings, departments, halls and themes."""

    @property
    def empty(self) -> bool:
        return not (self.items or self.bundles or self.windows or self.calendar or self.other)


E = TypeVar("E")


def match_ids(
    old: dict[str, E], new: dict[str, E], keys: Iterable[Callable[[E], Any]]
) -> tuple[dict[str, str], list[str], list[str]]:
    """Pair old ids with new ids: same id first, then each ``key`` in turn.

    Returns (old id → new id, unmatched old ids, unmatched new ids).
    """
    pairs = {i: i for i in old if i in new}
    lost = [i for i in old if i not in new]
    found = [i for i in new if i not in old]
    for key in keys:
        by_key: dict[Any, list[str]] = {}
        for new_id in found:
            by_key.setdefault(key(new[new_id]), []).append(new_id)
        for old_id in list(lost):
            candidates = by_key.get(key(old[old_id]))
            if candidates:
                new_id = candidates.pop(0)
                pairs[old_id] = new_id
                lost.remove(old_id)
                found.remove(new_id)
    return pairs, lost, found


def relative_path(catalog: Catalog, path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.relative_to(catalog.root).as_posix()
    except ValueError:
        return path.as_posix()


def publication(was: bool, now: bool) -> Publication | None:
    if was == now:
        return None
    return "published" if now else "unpublished"
