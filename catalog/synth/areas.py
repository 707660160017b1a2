"""Text pools by area of government work, the raw material of synthetic item names and guides.

The areas are defined in :mod:`.areas_business` and :mod:`.areas_citizen`; this module lists
them in a fixed order (the order decides how the seeded random choices fall).
"""

from __future__ import annotations

from .area import APPLY_TYPES, GENERIC_MATERIALS, GENERIC_VIOLATIONS, Area
from .areas_business import BUSINESS_AREAS
from .areas_citizen import CITIZEN_AREAS

__all__ = ["APPLY_TYPES", "AREAS", "AREA_BY_KEY", "GENERIC_MATERIALS", "GENERIC_VIOLATIONS", "Area"]

_ORDER = (
    "market",
    "health",
    "hrss",
    "civil",
    "housing",
    "transport",
    "environment",
    "culture",
    "education",
    "safety",
    "urban",
    "agriculture",
    "public-security",
    "medical-insurance",
    "veterans",
    "natural-resources",
    "disability",
    "economy",
    "street",
)

AREA_BY_KEY = {a.key: a for a in (*BUSINESS_AREAS, *CITIZEN_AREAS)}
AREAS: tuple[Area, ...] = tuple(AREA_BY_KEY[key] for key in _ORDER)
assert len(AREAS) == len(AREA_BY_KEY)
