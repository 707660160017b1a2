"""Run the Pagefind indexer (extended build, with Chinese word segmentation) over a built site."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pagefind_bin_extended


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message carries its output."""


def executable() -> Path:
    """The extended Pagefind binary shipped by the pinned ``pagefind[extended]`` wheel."""
    return pagefind_bin_extended.get_executable()


def index_site(site_dir: Path, *, quiet: bool = False) -> None:
    """Write ``<site_dir>/pagefind/`` (index, filters, UI assets: all local, no CDN)."""
    command = [str(executable()), "--site", str(site_dir), "--output-subdir", "pagefind"]
    if quiet:
        command.append("--quiet")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SearchIndexError(
            f"Pagefind could not index {site_dir} (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
