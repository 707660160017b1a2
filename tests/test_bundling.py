"""Bundles: merged materials, merged one-form fields and savings, all computed from sub-items."""

from __future__ import annotations

import io
from pathlib import Path

from catalog import load_catalog
from catalog.bundling import Change, applies, merged_fields, merged_materials, savings
from catalog.report import run_check


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


def _rename(catalog_dir: Path, item: str, old: str, new: str) -> None:
    path = catalog_dir / "items" / f"{item}.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_material_dictionary_merges_names_of_the_same_material(catalog_dir: Path) -> None:
    _rename(catalog_dir, "business-licence", "- name: 经营者居民身份证", "- name: 申请人居民身份证")
    _rename(catalog_dir, "food-licence", "- name: 经营者居民身份证", "- name: 本人居民身份证")
    catalog = load_catalog(catalog_dir)
    bundle = catalog.bundles["low-risk-food-business"]
    assert savings(catalog, bundle).materials == Change(8, 8)  # two names: two materials

    (catalog_dir / "materials.yml").write_text(
        "materials:\n  - name: 居民身份证\n    aliases: [申请人居民身份证, 本人居民身份证]\n",
        encoding="utf-8",
    )
    catalog = load_catalog(catalog_dir)
    merged = {m.material.name: m.item_ids for m in merged_materials(catalog, bundle)}
    assert merged["居民身份证"] == ("business-licence", "food-licence")
    assert "申请人居民身份证" not in merged and "本人居民身份证" not in merged
    assert savings(catalog, bundle).materials == Change(8, 7)


def test_check_warns_about_names_that_look_like_one_material(catalog_dir: Path) -> None:
    _rename(catalog_dir, "food-licence", "- name: 经营者居民身份证", "- name: 申请人居民身份证")
    out = io.StringIO()
    assert run_check(catalog_dir, out=out) == 0
    warnings = [line for line in out.getvalue().splitlines() if "看起来是同一份材料" in line]
    assert len(warnings) == 1
    assert "（name: 居民身份证，aliases: [经营者居民身份证, 申请人居民身份证]）" in warnings[0]
    assert warnings[0].startswith(f"{catalog_dir}/bundles/low-risk-food-business.yml:9:1: 警告：")


def test_material_dictionary_refuses_a_name_listed_twice(catalog_dir: Path) -> None:
    (catalog_dir / "materials.yml").write_text(
        "materials:\n"
        "  - name: 居民身份证\n    aliases: [本人居民身份证]\n"
        "  - name: 身份证\n    aliases: [本人居民 身份证]\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert run_check(catalog_dir, out=out) == 1
    assert (
        f"{catalog_dir}/materials.yml:5:15: 材料名称“本人居民 身份证”在材料词典中出现了两次（另一次在“居民身份证”中）。每个名称只能属于一种材料，请删除其中一处。"
        in out.getvalue().splitlines()
    )
