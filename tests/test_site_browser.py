"""The built guide in real Chromium: Pagefind's index (Chinese compound queries, aliases, codes,
filters), 长辈版, 情形引导, print, backend links and axe-core accessibility.

Fixtures (the sample site built once per session, served locally) are in tests/site_fixtures.py;
the search box and search page are tested in tests/test_site_search.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from catalog import Catalog
from tests.browser import require_chromium

require_chromium()


def indexed_pages_containing(site_dir: Path, text: str) -> set[str]:
    """URLs of search-indexed pages whose visible content contains ``text``."""
    found = set()
    for path in site_dir.rglob("index.html"):
        page = path.read_text(encoding="utf-8")
        start = page.find("<div data-pagefind-body>")
        if start < 0:
            continue
        body = re.sub(r"<script.*?</script>", "", page[start:], flags=re.S)
        if text in html.unescape(re.sub(r"<[^>]+>", "", body)):
            found.add("/" + str(path.parent.relative_to(site_dir)) + "/")
    return found


def pagefind_search(page: object, query: str, filters: dict[str, str] | None = None) -> list[dict]:
    """Run Pagefind's own API in the page: every result's URL and filters."""
    return page.evaluate(  # type: ignore[attr-defined]
        """async ([query, filters]) => {
            const pagefind = await import("/pagefind/pagefind.js");
            const search = await pagefind.search(query, filters ? {filters} : {});
            const data = await Promise.all(search.results.map(r => r.data()));
            return data.map(d => ({url: d.url, filters: d.filters}));
        }""",
        [query, filters],
    )


@pytest.mark.parametrize("query", ["营业执照", "社会保险", "居民身份证"])
def test_compound_chinese_queries_find_every_page_that_contains_them(
    page: object, base_url: str, site_dir: Path, query: str
) -> None:
    """Regression for Pagefind issue #1237 (1.5+ loses most results for such queries)."""
    expected = indexed_pages_containing(site_dir, query)
    assert len(expected) >= 3, f"the sample catalog should have pages with {query}"
    page.goto(base_url)  # type: ignore[attr-defined]
    found = {r["url"] for r in pagefind_search(page, query)}
    assert expected <= found, f"missing: {sorted(expected - found)}"


@pytest.mark.parametrize("field", ["alias", "basic_code"])
def test_search_finds_items_by_alias_and_code(
    page: object, base_url: str, sample_catalog: Catalog, field: str
) -> None:
    item = next(i for i in sample_catalog.published_items() if i.aliases)
    query = item.aliases[0] if field == "alias" else item.basic_code
    page.goto(base_url)  # type: ignore[attr-defined]
    assert f"/items/{item.id}/" in [r["url"] for r in pagefind_search(page, query)]


def test_filters_narrow_results_to_one_department(page: object, base_url: str) -> None:
    page.goto(base_url)  # type: ignore[attr-defined]
    everything = pagefind_search(page, "营业执照")
    narrowed = pagefind_search(page, "营业执照", {"部门": "区市场监管局"})
    assert 0 < len(narrowed) < len(everything)
    assert all(r["filters"]["部门"] == ["区市场监管局"] for r in narrowed)


def test_elder_mode_enlarges_text_and_persists_across_pages(page: object, base_url: str) -> None:
    page.goto(base_url)  # type: ignore[attr-defined]
    toggle = page.locator("[data-banshi-elder]")  # type: ignore[attr-defined]
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.focus()
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert toggle.get_attribute("aria-pressed") == "true"
    page.goto(base_url + "items/business-licence/")  # type: ignore[attr-defined]
    assert page.locator("[data-banshi-elder]").get_attribute("aria-pressed") == "true"  # type: ignore[attr-defined]
    size, line = page.evaluate(  # type: ignore[attr-defined]
        """() => { const s = getComputedStyle(document.querySelector('.md-typeset p'));
                   return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"""
    )
    assert size >= 18 and line / size >= 1.3
    page.locator("[data-banshi-elder]").click()  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.hasAttribute('data-elder')") is False  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["item", "bundle"])
def test_situation_questions_narrow_the_materials_by_keyboard(
    page: object, base_url: str, kind: str
) -> None:
    # open-restaurant: its first question (以什么形式经营？) alone decides some material rows.
    path = "items/business-licence/" if kind == "item" else "bundles/open-restaurant/"
    page.goto(base_url + path)  # type: ignore[attr-defined]
    rows = page.locator('[data-table="materials"] tbody tr')  # type: ignore[attr-defined]
    visible = page.locator('[data-table="materials"] tbody tr:not([hidden])')  # type: ignore[attr-defined]
    total = rows.count()
    assert visible.count() == total  # nothing answered: the full list
    # An answer that rules out the first conditional material.
    situation, option, name = page.evaluate(  # type: ignore[attr-defined]
        """() => {
            // A row needed under exactly one condition on the first question (the only one
            // shown at first): another answer to it rules the row out.
            const first = document.querySelector('[data-banshi-guide] input[type=radio]').name;
            const row = [...document.querySelectorAll('[data-table="materials"] tr[data-when]')]
                .find(r => { const any = JSON.parse(r.dataset.when);
                             return any.length === 1 && Object.keys(any[0]).length === 1
                                 && first in any[0]; });
            if (!row) throw new Error("no conditional material row");
            const [sid, wanted] = Object.entries(JSON.parse(row.dataset.when)[0])[0];
            const other = [...document.querySelectorAll(`input[name="${sid}"]`)]
                .find(r => !wanted.includes(r.value));
            return [sid, other.value, row.querySelector('strong').textContent];
        }"""
    )
    radio = page.locator(f"input[name='{situation}'][value='{option}']")  # type: ignore[attr-defined]
    radio.focus()
    page.keyboard.press("Space")  # type: ignore[attr-defined]
    assert radio.is_checked()
    answered = visible.count()
    assert answered < total
    assert name not in " ".join(visible.all_inner_texts())
    status = page.locator(".banshi-guide__status").inner_text()  # type: ignore[attr-defined]
    assert f"需要准备 {answered} 项材料（共 {total} 项）" in status
    page.locator("[data-banshi-guide] button[type=reset]").click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "n => document.querySelectorAll('[data-table=\"materials\"] tbody tr:not([hidden])').length === n",
        arg=total,
    )


def test_print_is_a_materials_checklist_without_header_or_nav(page: object, base_url: str) -> None:
    page.goto(base_url + "items/business-licence/")  # type: ignore[attr-defined]
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    shown = page.evaluate(  # type: ignore[attr-defined]
        """() => Object.fromEntries([
            ['header', '.md-header'], ['nav', '.md-sidebar--primary'], ['footer', '.md-footer'],
            ['actions', '.banshi-actions'], ['materials', '[data-table="materials"]'],
            ['tick', 'td.banshi-tick'], ['process', '#process'], ['title', 'h1'],
            ['where', '.banshi-print-footer'],
        ].map(([name, sel]) => [name, getComputedStyle(document.querySelector(sel)).display !== 'none']))"""
    )
    assert shown == {
        "header": False,
        "nav": False,
        "footer": False,
        "actions": False,
        "materials": True,
        "tick": True,
        "process": False,
        "title": True,
        "where": True,
    }
    page.emulate_media(media="screen")  # type: ignore[attr-defined]
    assert page.locator(".banshi-print-footer").is_hidden()  # type: ignore[attr-defined]


def test_action_buttons_carry_the_item_id(page: object, base_url: str) -> None:
    page.goto(base_url + "items/business-licence/")  # type: ignore[attr-defined]
    hrefs = page.locator(".banshi-actions a").evaluate_all(  # type: ignore[attr-defined]
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert "/apply/business-licence" in hrefs
    assert "/bookings/new?item=business-licence&kind=appointment" in hrefs
    assert "/bookings/new?item=business-licence&kind=assisted" in hrefs


def test_next_free_slot_shows_when_the_backend_answers(page: object, base_url: str) -> None:
    page.goto(base_url + "items/business-licence/")  # type: ignore[attr-defined]
    slot = page.locator(".banshi-next-slot")  # type: ignore[attr-defined]
    slot.wait_for(state="visible")
    assert "最早可约" in slot.inner_text() and "09:00" in slot.inner_text()
    page.goto(base_url + "items/food-licence/")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert page.locator(".banshi-next-slot").is_hidden()  # type: ignore[attr-defined]
