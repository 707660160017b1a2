"""JSON Schema for the catalog files, generated from the models for editors' autocompletion.

Each YAML file starts with a ``# yaml-language-server: $schema=...`` line pointing at one of
these, so VS Code (YAML extension) suggests keys and enum values and checks types while typing.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .bundle import Bundle
from .item import Item
from .loader import OPTIONAL_FILES, SINGLE_FILES

SCHEMA_DIR = "schema"
"""Folder inside the catalog that holds the generated schemas."""


def schemas() -> dict[str, type[BaseModel]]:
    """Schema file name → model, for every kind of catalog file."""
    named: dict[str, type[BaseModel]] = {"item.schema.json": Item, "bundle.schema.json": Bundle}
    for file_name, model in {**SINGLE_FILES, **OPTIONAL_FILES}.items():
        named[file_name.replace(".yml", ".schema.json")] = model
    return named


def render(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(catalog_root: Path) -> list[Path]:
    """Write every schema into ``catalog_root/schema``; return the paths written."""
    folder = catalog_root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in schemas().items():
        path = folder / name
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(catalog_root: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    folder = catalog_root / SCHEMA_DIR
    stale = []
    for name, model in schemas().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render(model):
            stale.append(name)
    return stale
