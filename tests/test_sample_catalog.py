"""The shipped sample catalog meets the minimums the project promises (issue 2)."""

from __future__ import annotations

from catalog import Catalog
from catalog.bundling import merged_materials, savings
from catalog.common import Kind


def test_sample_catalog_has_exactly_five_theme_windows(sample_catalog: Catalog) -> None:
    assert len(sample_catalog.windows) == 5


def test_some_windows_offer_flexible_hours_and_some_weekend_hours(
    sample_catalog: Catalog,
) -> None:
    windows = sample_catalog.windows.values()
    assert any(w.flexible.early_minutes or w.flexible.late_minutes for w in windows)
    assert any(w.weekend for w in windows)
    assert any(not w.weekend and not w.flexible.late_minutes for w in windows)


def test_sample_items_cover_all_three_kinds(sample_catalog: Catalog) -> None:
    assert {i.kind for i in sample_catalog.items.values()} == set(Kind)


def test_industry_licence_bundle_is_done_within_one_working_day(sample_catalog: Catalog) -> None:
    bundle = sample_catalog.bundles["low-risk-food-business"]
    assert bundle.industry_licence
    assert bundle.licence_name
    assert {s.item for s in bundle.sub_items} == {"business-licence", "food-licence"}
    assert savings(sample_catalog, bundle).days.after <= 1


def test_every_bundle_has_at_least_two_distinct_sub_items(sample_catalog: Catalog) -> None:
    for bundle in sample_catalog.bundles.values():
        assert len({s.item for s in bundle.sub_items}) >= 2, bundle.id


def test_newborn_bundle_cuts_trips_to_one_and_merges_materials(sample_catalog: Catalog) -> None:
    bundle = sample_catalog.bundles["newborn"]
    assert len(bundle.sub_items) == 7
    figures = savings(sample_catalog, bundle)
    assert figures.trips.before >= 3
    assert figures.trips.after == 1
    assert figures.materials.after < figures.materials.before
    shared = [m for m in merged_materials(sample_catalog, bundle) if len(m.item_ids) > 1]
    assert any(m.material.name == "出生医学证明" for m in shared)


def test_online_items_share_applicant_field_keys(sample_catalog: Catalog) -> None:
    keys = [f.key for i in sample_catalog.items.values() for f in i.form_fields]
    assert keys.count("applicant-phone") >= 10
