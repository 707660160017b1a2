"""Catalog statistics, recomputed from the catalog on every build (never typed by hand)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from catalog import CaseType, Catalog, Kind, OnlineCapability, Status

from .facts import online_depth_label

DEPTH_LABELS = ("全程网办", "部分网办", "仅网上咨询", "不能网办")


@dataclass(frozen=True)
class CatalogStats:
    items: int
    by_kind: dict[str, int]
    by_type: dict[str, int]
    by_department: dict[str, int]
    """Department short name → items."""
    by_status: dict[str, int]
    claimed: int
    """Items claimed on the online platform (认领; compiled and published ones included)."""
    published: int
    applicant_items: int
    """On-application and public-service items: the ones a citizen applies for."""
    compression_percent: float | None
    """Average compression of the promised vs the legal time limit, on-application items."""
    at_most_one_trip_percent: float | None
    immediate_percent: float | None
    depth_levels: dict[str, int]
    capabilities: dict[str, int]
    bundles: int
    published_bundles: int
    sub_items: int
    industry_licences: int


def _percent(part: float, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def compute(catalog: Catalog) -> CatalogStats:
    items = list(catalog.items.values())
    applicant = [i for i in items if i.kind is not Kind.EX_OFFICIO]
    on_application = [
        i for i in items if i.kind is Kind.ON_APPLICATION and i.time_limit.legal_days > 0
    ]
    compression = sum(
        1 - i.time_limit.promised_days / i.time_limit.legal_days for i in on_application
    )
    by_department = Counter(catalog.departments[i.department].short_name for i in items)
    return CatalogStats(
        items=len(items),
        by_kind={k.value: sum(1 for i in items if i.kind is k) for k in Kind},
        by_type={t: n for t, n in Counter(i.type.value for i in items).most_common() if n},
        by_department={
            d.short_name: by_department[d.short_name]
            for d in catalog.departments.values()
            if by_department[d.short_name]
        },
        by_status={s.value: sum(1 for i in items if i.status is s) for s in Status},
        claimed=sum(1 for i in items if i.status is not Status.UNCLAIMED),
        published=sum(1 for i in items if i.status is Status.PUBLISHED),
        applicant_items=len(applicant),
        compression_percent=_percent(compression, len(on_application)),
        at_most_one_trip_percent=_percent(
            sum(1 for i in applicant if i.visits <= 1), len(applicant)
        ),
        immediate_percent=_percent(
            sum(1 for i in applicant if i.time_limit.case_type is CaseType.IMMEDIATE),
            len(applicant),
        ),
        depth_levels={
            label: sum(1 for i in applicant if online_depth_label(i) == label)
            for label in DEPTH_LABELS
        },
        capabilities={
            c.value: sum(1 for i in applicant if c in i.online_depth) for c in OnlineCapability
        },
        bundles=len(catalog.bundles),
        published_bundles=sum(1 for b in catalog.bundles.values() if b.published),
        sub_items=sum(len(b.sub_items) for b in catalog.bundles.values()),
        industry_licences=sum(1 for b in catalog.bundles.values() if b.industry_licence),
    )
