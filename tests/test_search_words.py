"""``search.yml``, the editors' search vocabulary: what ``build.py check`` says about it, and what
the site makes of it (search/words.json, alias metadata)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from catalog import load_catalog
from site_gen.generate import downloads
from site_gen.pagefind import without_ignored
from site_gen.pages.item import render_item
from site_gen.search_words import PATH, TAG, group_key, synonym_keys
from site_gen.site import Site
from tests.test_check_messages import check

GOOD = """synonyms:
  - [饭店, 餐馆, 餐饮]
ignore: [我想, 怎么]
weak: [办, 开]
popular: [food-licence]
"""


def write(catalog_dir: Path, text: str) -> None:
    (catalog_dir / "search.yml").write_text(text, encoding="utf-8")


def test_the_file_is_optional(catalog_dir: Path) -> None:
    assert check(catalog_dir) == (0, [])
    assert load_catalog(catalog_dir).search_words.synonyms == []


def test_a_valid_file_reaches_the_site(catalog_dir: Path) -> None:
    write(catalog_dir, GOOD)
    assert check(catalog_dir) == (0, [])
    site = Site.full(load_catalog(catalog_dir))
    words = json.loads(dict(downloads(site))[PATH])
    assert words["synonyms"] == [["饭店", "餐馆", "餐饮"]]
    assert words["ignore"] == ["我想", "怎么"] and words["weak"] == ["办", "开"]
    assert [p["url"] for p in words["popular"]] == ["items/food-licence/"]
    assert words["phones"] and all(p["name"] and p["phone"] for p in words["phones"])
    assert words["pages"] == len(site.item_ids) + len(site.bundle_ids)


def test_without_a_popular_list_high_frequency_items_are_offered(catalog_dir: Path) -> None:
    write(catalog_dir, GOOD.replace("popular: [food-licence]\n", ""))
    catalog = load_catalog(catalog_dir)
    words = json.loads(dict(downloads(Site.full(catalog)))[PATH])
    frequent = [f"items/{i.id}/" for i in catalog.published_items() if i.high_frequency]
    assert frequent and [p["url"] for p in words["popular"]] == frequent


def test_each_group_has_a_key_unless_no_page_says_its_words(catalog_dir: Path) -> None:
    write(
        catalog_dir,
        GOOD.replace("[饭店, 餐馆, 餐饮]", "[饭店, 餐馆, 食品]\n  - [无此词语, 也无此词]"),
    )
    words = json.loads(dict(downloads(Site.full(load_catalog(catalog_dir))))[PATH])
    assert words["keys"] == [group_key(["饭店", "餐馆", "食品"]), None]
    assert re.fullmatch(r"00syn[0-9a-f]{6}", words["keys"][0])


def test_a_page_carries_the_keys_of_the_groups_it_says(catalog_dir: Path) -> None:
    """Indexed once per occurrence (at most twice), and weighted like a title when the title or
    an alias says the group's word; never for a word only in the JSON-LD script."""
    write(
        catalog_dir,
        GOOD.replace("[饭店, 餐馆, 餐饮]", "[食品, 吃的]\n  - [许可, 批准]\n  - [无此词语, 也无]"),
    )
    site = Site.full(load_catalog(catalog_dir))
    food, licence, absent = (
        group_key(g) for g in (["食品", "吃的"], ["许可", "批准"], ["无此词语", "也无"])
    )
    keys = synonym_keys(
        site, ["食品经营许可"], "<p>食品 食品 食品 许可</p><script>无此词语</script>"
    )
    assert keys == (
        f'<span data-pagefind-weight="7">{food} {licence}</span> '
        f"<span>{food} {food} {licence}</span>"
    )
    assert synonym_keys(site, ["别的"], "<p>吃的</p>") == f"<span>{food}</span>"
    assert absent not in synonym_keys(site, ["x"], "<script>无此词语</script>")
    unindexed = "<dl data-pagefind-ignore><div><dt>许可</dt><dd><div>许可</div></dd></div></dl>"
    assert synonym_keys(site, ["别的"], f"{unindexed}<p>吃的</p>") == f"<span>{food}</span>"
    page = render_item(site, site.catalog.items["food-licence"], "../../")
    search_data = re.search(r'<div class="banshi-search-data" hidden>.*?</div>', page).group(0)
    assert f'<span data-pagefind-weight="7">{food} {licence}</span>' in search_data


BAD = [
    pytest.param(
        "synonyms:\n  - [饭店]\n",
        "search.yml:2:5: synonyms[0]（同义词）至少要有 2 项，实际只有 1 项。请补充。",
        id="group-of-one",
    ),
    pytest.param(
        "synonyms:\n  - [饭店, 餐馆, 饭店]\n",
        "同义词组 [饭店、餐馆、饭店] 里“饭店”写了不止一次，请只保留一个",
        id="repeated-in-group",
    ),
    pytest.param(
        "synonyms:\n  - [饭店, 餐馆]\n  - [餐馆, 饭店]\n",
        "同义词组 [餐馆、饭店] 写了两遍，请删掉一组",
        id="group-twice",
    ),
    pytest.param(
        "synonyms:\n  - [饭店, 餐馆，餐饮]\n",
        "search.yml:2:12: 方括号列表里的“，”是全角逗号（中文输入法打出的）。",
        id="full-width-comma",
    ),
    pytest.param(
        "synonyms:\n  - [饭店, 餐馆 餐饮]\n",
        "search.yml:2:10: synonyms[0][1]（同义词）的值“餐馆 餐饮”格式不对。要求：每组是意思相同、搜索时可以互换的说法，例如 [饭店, 餐馆, 餐饮]，每个词最多 20 个字，不含空格和标点。",
        id="space-in-word",
    ),
    pytest.param(
        "ignore: [怎么, 饭店]\nsynonyms:\n  - [饭店, 餐馆]\n",
        "search.yml:1:14: “饭店”既写在忽略的口头语（ignore）里，又写在同义词（synonyms）里。搜索会把它去掉，同义词就不起作用了。请从其中一处删掉它。",
        id="ignored-synonym",
    ),
    pytest.param(
        "ignore: [办]\nweak: [办]\n",
        "search.yml:1:10: “办”既写在忽略的口头语（ignore）里，又写在常见动词（weak）里。请只保留一处：要去掉就留在 ignore，要参与匹配就留在 weak。",
        id="ignored-and-weak",
    ),
    pytest.param(
        "popular: [no-such-item]\n",
        "search.yml:1:11: 热门事项（popular）中的“no-such-item”既不是事项也不是一件事的标识。请写 items/ 或 bundles/ 中某个文件的标识（文件名去掉 .yml），例如 id-card。",
        id="unknown-popular",
    ),
    pytest.param(
        "synonym:\n  - [饭店, 餐馆]\n",
        "search.yml:1:1: 在文件顶层出现了未知字段“synonym”。你是不是想写 synonyms？请改正或删除这个字段。",
        id="unknown-key",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_check_explains_a_bad_file(catalog_dir: Path, text: str, expected: str) -> None:
    write(catalog_dir, text)
    code, errors = check(catalog_dir)
    assert code != 0
    assert any(expected in line for line in errors), errors


def test_text_every_page_repeats_is_left_out_of_the_index(catalog_dir: Path) -> None:
    """Hours, addresses, phones, buttons and material cells (原件, 1 份, 纸质) are not indexed,
    so they cost no index chunk; the title, aliases and material names are."""
    site = Site.full(load_catalog(catalog_dir))
    item = site.catalog.items["food-licence"]
    page = render_item(site, item, "../../")
    indexed = TAG.sub(" ", without_ignored(page))
    for text in (item.name, *item.aliases, *(m.name for m in item.materials)):
        assert text in indexed
    for text in ("工作日", "投诉电话", "预约办理", "复印件", "跑几次"):
        assert text in page and text not in indexed, text
