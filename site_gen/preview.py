"""The small catalog behind ``serve --only ID``: the entry and what its pages need.

Loading all 5,654 items takes seconds; a preview of one item should not. The preview catalog
links the one-of-a-kind files (settings, departments, places, themes, calendar), the entry,
the bundles that contain it and their sub-items into a scratch directory, so the normal loader
validates exactly those files. Checks across the whole catalog (duplicate codes and the like)
are left to ``build.py check``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from catalog.loader import SINGLE_FILES

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


class UnknownEntry(KeyError):
    """No ``items/<id>.yml`` or ``bundles/<id>.yml`` in the catalog."""


def _sub_items(path: Path) -> list[str]:
    """The sub-item ids a bundle file names (empty when it cannot be read: the loader says why)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return []
    subs = data.get("sub_items") if isinstance(data, dict) else None
    return [s["item"] for s in subs or [] if isinstance(s, dict) and isinstance(s.get("item"), str)]


def preview_files(catalog: Path, entry_id: str) -> list[Path]:
    """Catalog-relative paths of the files a preview of ``entry_id`` needs."""
    bundles_dir = catalog / "bundles"
    if (catalog / "items" / f"{entry_id}.yml").is_file():
        bundles = [p for p in sorted(bundles_dir.glob("*.yml")) if entry_id in _sub_items(p)]
        items = {entry_id}
    elif (bundles_dir / f"{entry_id}.yml").is_file():
        bundles = [bundles_dir / f"{entry_id}.yml"]
        items = set()
    else:
        raise UnknownEntry(entry_id)
    for bundle in bundles:
        items.update(_sub_items(bundle))
    files = [Path(name) for name in SINGLE_FILES if (catalog / name).exists()]
    files += [
        Path("items") / f"{i}.yml"
        for i in sorted(items)
        if (catalog / "items" / f"{i}.yml").is_file()
    ]
    files += [b.relative_to(catalog) for b in bundles]
    return files


def write_preview_catalog(catalog: Path, entry_id: str, out: Path) -> Path:
    """Link the preview's files into ``out`` (replaced if it exists) and return it."""
    if out.exists():
        shutil.rmtree(out)
    for relative in preview_files(catalog, entry_id):
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(catalog / relative, target)
    (out / "items").mkdir(exist_ok=True)
    (out / "bundles").mkdir(exist_ok=True)
    files = catalog / "files"  # blank forms and samples the materials link to
    if files.is_dir():
        os.symlink(files, out / "files")
    return out
