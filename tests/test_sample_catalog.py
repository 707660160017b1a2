"""The shipped sample catalog meets the minimums the project promises (issue 2)."""

from __future__ import annotations

from collections import Counter

from catalog import Catalog
from catalog.bundling import merged_fields, merged_materials, savings
from catalog.common import Audience, Kind, Status

NAMED_BUNDLES = {
    "newborn": "新生儿出生一件事",
    "open-restaurant": "开办餐饮店一件事",
    "open-company": "企业开办一件事",
    "retirement": "退休一件事",
    "after-death": "个人身后一件事",
    "clinic": "诊所备案一件事",
    "low-risk-food-business": "低风险食品经营一业一证",
}


def test_sample_catalog_has_at_least_sixty_items_over_ten_departments(
    sample_catalog: Catalog,
) -> None:
    items = sample_catalog.items.values()
    assert len(sample_catalog.items) >= 60
    assert len({i.department for i in items}) >= 10
    assert len(sample_catalog.departments) >= 10


def test_sample_items_cover_all_three_kinds_and_six_types(sample_catalog: Catalog) -> None:
    items = sample_catalog.items.values()
    assert {i.kind for i in items} == set(Kind)
    assert len({i.type for i in items}) >= 6


def test_some_sample_items_are_not_published(sample_catalog: Catalog) -> None:
    statuses = Counter(i.status for i in sample_catalog.items.values())
    unpublished = sum(n for status, n in statuses.items() if status is not Status.PUBLISHED)
    assert unpublished >= 3
    assert len([s for s in statuses if s is not Status.PUBLISHED]) >= 2
    assert statuses[Status.PUBLISHED] > unpublished


def test_about_ten_items_are_marked_high_frequency(sample_catalog: Catalog) -> None:
    flagged = [i for i in sample_catalog.items.values() if i.high_frequency]
    assert 8 <= len(flagged) <= 15
    assert all(i.published for i in flagged)


def test_sample_catalog_has_exactly_five_theme_windows(sample_catalog: Catalog) -> None:
    assert len(sample_catalog.windows) == 5


def test_some_windows_offer_flexible_hours_and_some_weekend_hours(
    sample_catalog: Catalog,
) -> None:
    windows = sample_catalog.windows.values()
    assert any(w.flexible.early_minutes or w.flexible.late_minutes for w in windows)
    assert any(w.weekend for w in windows)
    assert any(not w.weekend and not w.flexible.late_minutes for w in windows)


def test_themes_exist_for_people_and_for_businesses(sample_catalog: Catalog) -> None:
    audiences = Counter(t.audience for t in sample_catalog.themes.values())
    assert audiences[Audience.PERSON] >= 6
    assert audiences[Audience.ORGANISATION] >= 6


def test_named_bundles_are_present_and_published(sample_catalog: Catalog) -> None:
    assert len(sample_catalog.bundles) >= 8
    for bundle_id, name in NAMED_BUNDLES.items():
        bundle = sample_catalog.bundles[bundle_id]
        assert bundle.name == name
        assert bundle.published


def test_every_bundle_has_at_least_two_distinct_sub_items(sample_catalog: Catalog) -> None:
    for bundle in sample_catalog.bundles.values():
        assert len({s.item for s in bundle.sub_items}) >= 2, bundle.id


def test_industry_licence_bundle_is_done_within_one_working_day(sample_catalog: Catalog) -> None:
    bundle = sample_catalog.bundles["low-risk-food-business"]
    assert bundle.industry_licence
    assert bundle.licence_name
    assert {s.item for s in bundle.sub_items} == {"business-licence", "food-licence"}
    assert savings(sample_catalog, bundle).days.after <= 1


def test_newborn_bundle_has_seven_items_and_cuts_trips_to_one(sample_catalog: Catalog) -> None:
    bundle = sample_catalog.bundles["newborn"]
    assert len({s.item for s in bundle.sub_items}) == 7
    figures = savings(sample_catalog, bundle)
    assert figures.trips.before >= 3
    assert figures.trips.after == 1
    assert figures.days.after < figures.days.before
    shared = [m for m in merged_materials(sample_catalog, bundle) if len(m.item_ids) > 1]
    assert {"出生医学证明", "父母双方居民身份证", "居民户口簿"} <= {m.material.name for m in shared}


def test_restaurant_bundle_includes_licences_and_fire_safety_check(
    sample_catalog: Catalog,
) -> None:
    bundle = sample_catalog.bundles["open-restaurant"]
    sub_items = {s.item for s in bundle.sub_items}
    assert {"food-licence", "fire-safety-inspection"} <= sub_items
    assert sub_items & {"business-licence", "company-establishment"}


def test_published_bundles_save_steps_and_departments(sample_catalog: Catalog) -> None:
    for bundle in sample_catalog.published_bundles():
        figures = savings(sample_catalog, bundle)
        assert figures.steps.after < figures.steps.before, bundle.id
        assert figures.materials.after <= figures.materials.before, bundle.id


def test_some_bundles_select_sub_items_by_situation(sample_catalog: Catalog) -> None:
    conditional = [b for b in sample_catalog.bundles.values() if any(s.when for s in b.sub_items)]
    assert len(conditional) >= 3


def test_items_use_situations_to_select_materials(sample_catalog: Catalog) -> None:
    with_conditions = [
        i
        for i in sample_catalog.items.values()
        if i.situations and any(m.when for m in i.materials)
    ]
    assert len(with_conditions) >= 5


def test_bundle_forms_ask_shared_applicant_fields_once(sample_catalog: Catalog) -> None:
    keys = [f.key for i in sample_catalog.items.values() for f in i.form_fields]
    assert keys.count("applicant-phone") >= 10
    bundle = sample_catalog.bundles["newborn"]
    merged = {m.field.key: m.item_ids for m in merged_fields(sample_catalog, bundle)}
    assert len(merged["applicant-phone"]) >= 3


def test_online_applications_have_form_fields(sample_catalog: Catalog) -> None:
    for item in sample_catalog.published_items():
        if item.fully_online and item.kind is not Kind.EX_OFFICIO:
            assert item.form_fields, item.id
