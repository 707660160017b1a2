"""Build the generated folder with a MkDocs-compatible engine, unchanged, in its own process.

``build.py build`` uses MkDocs' Python API and renders the detail pages itself
(:mod:`site_gen.render`); this is the plain path every engine supports: the engine alone
builds ``<build>/docs`` with ``mkdocs.yml``, no hook or plugin. The tests build the same
folder with MkDocs 1.6 and with ProperDocs (the maintained fork) and compare the results.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("mkdocs", "properdocs")
"""Python packages that keep MkDocs 1.6's ``config.load_config`` and ``commands.build.build``."""

_SCRIPT = """
import importlib, sys
engine, config_file, docs_dir, site_dir = sys.argv[1:5]
load_config = importlib.import_module(engine + ".config").load_config
build = importlib.import_module(engine + ".commands.build").build
build(load_config(config_file, docs_dir=docs_dir, site_dir=site_dir, strict=True))
"""


class EngineError(RuntimeError):
    """The engine did not build the site; the message carries its output."""


def build_with(
    engine: str, docs_dir: Path, site_dir: Path, config_file: Path = ROOT / "mkdocs.yml"
) -> None:
    """Build ``docs_dir`` into ``site_dir`` with ``engine`` (one of :data:`ENGINES`), strict."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {ENGINES}")
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, engine, str(config_file), str(docs_dir), str(site_dir)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
    )
    if done.returncode != 0:
        raise EngineError(f"{engine} could not build {docs_dir}:\n{done.stdout}{done.stderr}")
