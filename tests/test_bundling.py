"""Bundles: merged materials, merged one-form fields and savings, all computed from sub-items."""

from __future__ import annotations

from pathlib import Path

from catalog import load_catalog
from catalog.bundling import Change, applies, merged_fields, merged_materials, savings


def test_shared_material_is_listed_once_with_every_sub_item(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    bundle = catalog.bundles["low-risk-food-business"]
    merged = {m.material.name: m.item_ids for m in merged_materials(catalog, bundle)}
    assert merged["经营者居民身份证"] == ("business-licence", "food-licence")
    assert merged["食品经营许可申请书"] == ("food-licence",)
    assert len(merged) == 7  # 5 + 3 materials, one shared


def test_one_form_asks_each_field_once(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    bundle = catalog.bundles["low-risk-food-business"]
    fields = {f.field.key: f.item_ids for f in merged_fields(catalog, bundle)}
    assert fields["applicant-id"] == ("business-licence", "food-licence")
    assert list(fields) == [
        "applicant-name",
        "applicant-id",
        "applicant-phone",
        "business-address",
        "business-scope",
        "food-category",
    ]


def test_savings_compare_one_by_one_with_the_bundle(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    result = savings(catalog, catalog.bundles["low-risk-food-business"])
    assert result.steps == Change(8, 4)
    assert result.materials == Change(8, 7)
    assert result.days == Change(1, 1)
    assert result.trips == Change(1, 1)
    assert result.departments == Change(1, 1)
    assert Change(4, 1).percent == 75


def test_unanswered_situation_keeps_everything_and_an_answer_narrows() -> None:
    when = {"agent": ["yes"]}
    assert applies(when, {})
    assert applies(when, {"agent": "yes"})
    assert not applies(when, {"agent": "no"})
    assert applies(None, {"agent": "no"})
