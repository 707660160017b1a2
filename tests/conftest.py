"""Shared fixtures: the shipped catalog, and a small catalog copied per test for mutation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CATALOG = ROOT / "catalog_yaml"
MINIMAL_CATALOG = Path(__file__).resolve().parent / "data" / "minimal_catalog"


@pytest.fixture(scope="session")
def sample_catalog() -> Catalog:
    """The shipped sample catalog, loaded once."""
    return load_catalog(SAMPLE_CATALOG)


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    """A writable copy of the small test catalog (2 items, 1 bundle)."""
    target = tmp_path / "catalog"
    shutil.copytree(MINIMAL_CATALOG, target)
    return target


pytest_plugins = [
    "tests.backend.fixtures",  # forms backend fixtures (app, client, book, staff)
    "tests.backend.openapi_check",  # every JSON answer checked against the OpenAPI document
    "tests.backend.submissions",  # one-form factories (submit, files)
    "tests.backend.evaluations",  # 好差评 and 悉心听 factories (evaluate, leave_feedback, …)
    "tests.site_fixtures",  # the built sample site in Chromium (site_dir, base_url, browser, page)
    "tests.backend.providers",  # SMS provider stand-in (provider)
]
