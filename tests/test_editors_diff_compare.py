"""The pure comparison behind ``build.py diff``: matching, wording and Markdown, without git."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog import Catalog, load_catalog, read_catalog
from catalog.diff import compare, render
from catalog.diff.markdown import escape


@pytest.fixture
def pair(catalog_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the minimal catalog: edit the second, compare it with the first."""
    other = tmp_path / "after"
    shutil.copytree(catalog_dir, other)
    return catalog_dir, other


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rename(catalog: Path, folder: str, old: str, new: str) -> None:
    source = catalog / folder / f"{old}.yml"
    edit(source, f"id: {old}", f"id: {new}")
    source.rename(catalog / folder / f"{new}.yml")


def both(pair: tuple[Path, Path]) -> tuple[Catalog, Catalog]:
    return load_catalog(pair[0]), load_catalog(pair[1])


def test_identical_catalogs_have_no_changes(pair: tuple[Path, Path]) -> None:
    changes = compare(*both(pair))
    assert changes.empty
    assert "内容相同" in render(changes, "a", "b")


def test_bundle_renamed_with_its_name_is_matched_by_sub_items(pair: tuple[Path, Path]) -> None:
    before, after = pair
    rename(after, "bundles", "low-risk-food-business", "food-shop-licence")
    edit(
        after / "bundles" / "food-shop-licence.yml",
        "name: 低风险食品经营一业一证",
        "name: 小餐饮一业一证",
    )
    changes = compare(*both(pair))
    (bundle,) = changes.bundles
    assert (bundle.action, bundle.id) == ("changed", "food-shop-licence")
    details = {d.what: (d.old, d.new) for d in bundle.details}
    assert details["一件事名称"] == ("低风险食品经营一业一证", "小餐饮一业一证")
    assert details["一件事标识"] == (
        "low-risk-food-business（bundles/low-risk-food-business.yml）",
        "food-shop-licence（bundles/food-shop-licence.yml）",
    )


def test_bundle_renamed_under_the_same_name_is_matched_by_name(pair: tuple[Path, Path]) -> None:
    """A new id and a different composition, but the same name: still the same bundle."""
    before, after = pair
    text = (after / "items" / "food-licence.yml").read_text(encoding="utf-8")
    text = text.replace("id: food-licence", "id: food-storage").replace(
        "X000201002000", "X000201003000"
    )
    (after / "items" / "food-storage.yml").write_text(text, encoding="utf-8")
    rename(after, "bundles", "low-risk-food-business", "food-shop-licence")
    edit(
        after / "bundles" / "food-shop-licence.yml",
        "  - item: food-licence\n",
        "  - item: food-licence\n  - item: food-storage\n",
    )
    (bundle,) = compare(*both(pair)).bundles
    assert (bundle.action, bundle.id) == ("changed", "food-shop-licence")
    assert ("新增子项", None, "食品经营许可（低风险）（food-storage）") in {
        (d.what, d.old, d.new) for d in bundle.details
    }
    assert bundle.savings_new is not None and bundle.savings_old is not None


def test_renamed_item_keeps_its_bundle_unchanged(pair: tuple[Path, Path]) -> None:
    before, after = pair
    rename(after, "items", "food-licence", "food-permit")
    edit(
        after / "bundles" / "low-risk-food-business.yml", "item: food-licence", "item: food-permit"
    )
    changes = compare(*both(pair))
    assert [(c.action, c.id) for c in changes.items] == [("changed", "food-permit")]
    assert changes.bundles == ()


def test_material_attributes_are_listed_one_by_one(pair: tuple[Path, Path]) -> None:
    before, after = pair
    edit(
        after / "items" / "food-licence.yml",
        "  - name: 食品安全管理制度\n",
        "  - name: 食品安全管理制度\n    form: 复印件\n    required: false\n",
    )
    (item,) = compare(*both(pair)).items
    lines = {(d.what, d.old, d.new) for d in item.details}
    assert ("材料“食品安全管理制度”的原件或复印件", "原件", "复印件") in lines
    assert ("材料“食品安全管理制度”的是否必需", "必需", "视情况提交") in lines


def test_window_calendar_and_settings_changes(pair: tuple[Path, Path]) -> None:
    before, after = pair
    edit(
        before / "calendar.yml",
        "workdays: []",
        "workdays:\n  - {date: 2027-02-20, name: 春节调休上班}",
    )
    edit(
        after / "places.yml",
        '    counters: 6\n    hours:\n      - {start: "09:00"',
        '    counters: 8\n    hours:\n      - {start: "09:00"',
    )
    edit(after / "settings.yml", "complaint_phone: 0472-3612300", "complaint_phone: 0472-3612399")
    changes = compare(*both(pair))
    assert changes.calendar[0].what == "删除调休上班日期"
    assert changes.calendar[0].old == "2027-02-20 春节调休上班"
    (window,) = changes.windows
    assert ("窗口数量", "6", "8") in {(d.what, d.old, d.new) for d in window.details}
    (settings,) = changes.other
    assert ("投诉电话", "0472-3612300", "0472-3612399") in {
        (d.what, d.old, d.new) for d in settings.details
    }
    text = render(changes, "a", "b")
    assert "- 删除调休上班日期：2027-02-20 春节调休上班" in text
    assert "  - 窗口数量：6 → 8" in text


def test_changes_to_unpublished_items_are_marked_invisible(pair: tuple[Path, Path]) -> None:
    before, after = pair
    for catalog in pair:
        edit(catalog / "items" / "food-licence.yml", "status: 已发布", "status: 已编制")
        edit(
            catalog / "bundles" / "low-risk-food-business.yml",
            "industry_licence",
            "published: false\nindustry_licence",
        )
    edit(after / "items" / "food-licence.yml", "promised_days: 1", "promised_days: 2")
    text = render(compare(*both(pair)), "a", "b")
    assert "- **食品经营许可（低风险）**（`food-licence`）（未发布，群众看不到）" in text


def test_catalog_text_cannot_inject_markdown_or_html() -> None:
    assert escape("<script>*x*</script> [a](b)") == r"\<script\>\*x\*\</script\> \[a\](b)"


def test_shared_memo_validates_only_changed_files_again(pair: tuple[Path, Path]) -> None:
    before, after = pair
    edit(after / "items" / "food-licence.yml", "promised_days: 1", "promised_days: 2")
    memo: dict = {}
    old, _ = read_catalog(before, memo=memo)
    known = len(memo)
    new, _ = read_catalog(after, memo=memo)
    assert old is not None and new is not None
    assert len(memo) == known + 1
    assert new.items["business-licence"] is old.items["business-licence"]
    assert new.items["food-licence"].time_limit.promised_days == 2
    assert new.items == load_catalog(after).items


def test_shared_memo_never_hides_a_problem(pair: tuple[Path, Path]) -> None:
    _, after = pair
    edit(after / "items" / "food-licence.yml", "kind: 依申请", "kind: 依申请事项")
    memo: dict = {}
    first = read_catalog(after, memo=memo)
    second = read_catalog(after, memo=memo)
    assert first[0] is None and second[0] is None
    assert [p.format() for p in first[1]] == [p.format() for p in second[1]]


def test_added_bundle_shows_what_it_combines_and_its_savings(pair: tuple[Path, Path]) -> None:
    _, after = pair
    text = (after / "bundles" / "low-risk-food-business.yml").read_text(encoding="utf-8")
    text = text.replace("id: low-risk-food-business", "id: food-shop").replace(
        "name: 低风险食品经营一业一证", "name: 食品小店开业一件事"
    )
    text = text.replace("industry_licence: true\nlicence_name: 食品经营行业综合许可证\n", "")
    (after / "bundles" / "food-shop.yml").write_text(text, encoding="utf-8")
    rendered = render(compare(*both(pair)), "a", "b")
    assert (
        "- **食品小店开业一件事**（`food-shop`，bundles/food-shop.yml）：已发布，将在网站上显示。\n"
        "  - 子项（2 个）：个体工商户设立登记（business-licence）、食品经营许可（低风险）（food-licence）\n"
        "  - 牵头部门：区市场监管局\n"
        "  - 受理窗口：企业开办综合窗口\n"
        "  - 合并的材料（只交一次）：经营者居民身份证（business-licence、food-licence 共用）\n"
        "  - 减负效果（分别办 → 一件事）：办理环节 8 → 4 个，申请材料 8 → 7 份，"
        "办结时限 1 → 1 个工作日，跑动次数 1 → 1 次，对接部门 1 → 1 个。\n"
    ) in rendered


def test_a_second_load_of_the_same_folder_reads_only_the_changed_file(
    pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from catalog.loader import ParseMemo

    _, after = pair
    memo = ParseMemo()
    first, _ = read_catalog(after, memo=memo)
    edit(after / "items" / "food-licence.yml", "promised_days: 1", "promised_days: 2")
    reads: list[str] = []
    original = Path.read_bytes

    def counted(self: Path) -> bytes:
        reads.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    second, _ = read_catalog(after, memo=memo)
    assert first is not None and second is not None
    assert set(reads) == {"food-licence.yml"}  # every other file: time and size unchanged
    assert second.items["food-licence"].time_limit.promised_days == 2
    assert second.items["business-licence"] is first.items["business-licence"]
    reads.clear()
    memo.forget([after / "items" / "business-licence.yml"])  # saved twice in one clock tick
    read_catalog(after, memo=memo)
    assert set(reads) == {"business-licence.yml"}
