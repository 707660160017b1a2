"""The reviewer diff: what a catalog change means for citizens, as Markdown for a pull request.

Three steps, each usable alone::

    old, new = load two catalogs            # revisions.py: from git revisions or folders
    changes = compare(old, new)             # changes.py: a structured change list (pure)
    text = render(changes, "main", "HEAD")  # markdown.py: plain Chinese Markdown (pure)
"""

from __future__ import annotations

from .changes import CatalogChanges, Difference, EntryChange
from .comparison import compare
from .markdown import MARKER, render
from .revisions import RevisionError, run_diff

__all__ = [
    "MARKER",
    "CatalogChanges",
    "Difference",
    "EntryChange",
    "RevisionError",
    "compare",
    "render",
    "run_diff",
]
