"""The banshi catalog: typed models, the YAML loader and the checks.

One loader serves the static site (``site_gen``), the forms backend (``forms_backend``) and the
CLI (``build.py``)::

    from catalog import load_catalog
    catalog = load_catalog("catalog_yaml")
"""

from __future__ import annotations

from .bundle import Bundle, SubItem
from .catalog import Catalog
from .common import (
    Audience,
    CaseType,
    FieldType,
    ItemType,
    Kind,
    MaterialForm,
    MaterialSource,
    Medium,
    OnlineCapability,
    Status,
)
from .item import FormField, Item, Material, Situation, Step
from .loader import load_catalog, read_catalog
from .place import Department, Hall, Period, Window
from .problems import CatalogError, Problem
from .settings import Settings
from .theme import Theme
from .workdays import WorkCalendar

__all__ = [
    "Audience",
    "Bundle",
    "CaseType",
    "Catalog",
    "CatalogError",
    "Department",
    "FieldType",
    "FormField",
    "Hall",
    "Item",
    "ItemType",
    "Kind",
    "Material",
    "MaterialForm",
    "MaterialSource",
    "Medium",
    "OnlineCapability",
    "Period",
    "Problem",
    "Settings",
    "Situation",
    "Status",
    "Step",
    "SubItem",
    "Theme",
    "Window",
    "WorkCalendar",
    "load_catalog",
    "read_catalog",
]
