"""Compare two catalogs (pure: no files, no git)."""

from __future__ import annotations

from ..catalog import Catalog
from .bundles import compare_bundles
from .changes import CatalogChanges
from .items import compare_items
from .places import compare_calendar, compare_other, compare_windows


def compare(old: Catalog, new: Catalog) -> CatalogChanges:
    """Everything that differs between ``old`` and ``new``, in plain words."""
    items, item_pairs = compare_items(old, new)
    return CatalogChanges(
        items=tuple(items),
        bundles=tuple(compare_bundles(old, new, item_pairs)),
        windows=tuple(compare_windows(old, new)),
        calendar=tuple(compare_calendar(old, new)),
        other=tuple(compare_other(old, new)),
    )
