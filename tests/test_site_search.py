"""The site search in Chromium on the built sample site: the public query set (everyday
phrasings, tests/search_queries.yaml), the header box (live results inside the viewport on
phones, count announced, arrow keys and Enter, what to try when nothing is found) and the search
page (?q=, filters). Fixtures: tests/site_fixtures.py."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from catalog import Catalog
from tests.browser import require_chromium
from tests.search_eval import load_queries, misses, rates, run_queries

require_chromium()

QUERY_SETS = load_queries()


@pytest.mark.parametrize("name", sorted(QUERY_SETS))
def test_everyday_phrasings_find_the_expected_entry(
    page: object, base_url: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """≥ 95 % of each set has the expected entry in the top 3, ≥ 80 % has it first."""
    page.goto(base_url + "about/")  # type: ignore[attr-defined]
    outcomes = run_queries(page, QUERY_SETS[name])
    figures = rates(outcomes)
    report = "\n".join(misses(outcomes))
    with capsys.disabled():
        print(  # noqa: T201 - the issue asks for the figures and misses in the test output
            f"\n{name}: {figures['n']} queries, first {figures['first']:.1%}, "
            f"top 3 {figures['top3']:.1%}, no result {figures['empty']}\n{report}"
        )
    assert figures["top3"] >= 0.95 and figures["first"] >= 0.80, report


def test_query_set_names_published_entries_only(sample_catalog: Catalog) -> None:
    pages = {f"/items/{i.id}/" for i in sample_catalog.published_items()}
    pages |= {f"/bundles/{b.id}/" for b in sample_catalog.published_bundles()}
    queries = [q for qs in QUERY_SETS.values() for q in qs]
    assert len(queries) >= 80
    assert [q.expected for q in queries if q.expected not in pages] == []
    texts = [q.text for q in queries]
    assert len(texts) == len(set(texts)), "a query appears twice"


def _type(page: object, text: str) -> None:
    page.fill("#banshi-header-q", text)  # type: ignore[attr-defined]


def test_header_box_shows_live_results_and_announces_their_number(
    page: object, base_url: str
) -> None:
    page.goto(base_url + "about/")  # type: ignore[attr-defined]
    _type(page, "办居住证")
    first = page.locator("#banshi-header-results [role=option]").first  # type: ignore[attr-defined]
    first.wait_for()
    assert first.get_attribute("href").endswith("/items/residence-permit/")
    status = page.locator(".banshi-header-search__status")  # type: ignore[attr-defined]
    assert status.get_attribute("aria-live") == "polite"
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => /找到 \\d+ 个结果/.test(document.querySelector('.banshi-header-search__status').textContent)"
    )
    shown = re.search(r"找到 (\d+) 个结果", status.text_content())
    assert shown and int(shown.group(1)) >= 1
    assert page.get_attribute("#banshi-header-q", "aria-expanded") == "true"  # type: ignore[attr-defined]


def test_arrow_keys_move_through_results_and_enter_opens_the_highlighted_one(
    page: object, base_url: str
) -> None:
    page.goto(base_url + "about/")  # type: ignore[attr-defined]
    _type(page, "营业执照")
    options = page.locator("#banshi-header-results [role=option]")  # type: ignore[attr-defined]
    options.nth(1).wait_for()
    page.press("#banshi-header-q", "ArrowDown")  # type: ignore[attr-defined]
    page.press("#banshi-header-q", "ArrowDown")  # type: ignore[attr-defined]
    second = options.nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert options.nth(0).get_attribute("aria-selected") == "false"
    assert page.get_attribute("#banshi-header-q", "aria-activedescendant") == second.get_attribute(
        "id"
    )  # type: ignore[attr-defined]
    page.press("#banshi-header-q", "ArrowUp")  # type: ignore[attr-defined]
    page.press("#banshi-header-q", "ArrowUp")  # type: ignore[attr-defined]  (wraps to the last)
    last = options.nth(options.count() - 1)
    assert last.get_attribute("aria-selected") == "true"
    target = last.get_attribute("href")
    page.press("#banshi-header-q", "Enter")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(re.escape(target) + "$"))  # type: ignore[attr-defined]


def test_enter_without_a_highlight_opens_the_search_page_with_the_query(
    page: object, base_url: str
) -> None:
    page.goto(base_url + "about/")  # type: ignore[attr-defined]
    _type(page, "开饭店")
    page.locator("#banshi-header-results [role=option]").first.wait_for()  # type: ignore[attr-defined]
    page.press("#banshi-header-q", "Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**/search/?q=*")  # type: ignore[attr-defined]
    first = page.locator(".banshi-search__result a").first  # type: ignore[attr-defined]
    first.wait_for()
    assert first.get_attribute("href").endswith("/bundles/open-restaurant/")
    assert page.input_value("#banshi-search-q") == "开饭店"  # type: ignore[attr-defined]


def test_search_page_honours_q_and_filters_narrow_the_results(page: object, base_url: str) -> None:
    page.goto(base_url + "search/?q=" + quote("营业执照"))  # type: ignore[attr-defined]
    assert page.input_value("#banshi-search-q") == "营业执照"  # type: ignore[attr-defined]
    links = ".banshi-search__result a"
    page.locator(links).first.wait_for()  # type: ignore[attr-defined]
    names = page.locator(".banshi-search__filter label").evaluate_all(
        "ls => ls.map(l => l.textContent)"
    )  # type: ignore[attr-defined]
    assert names == ["栏目", "部门", "服务对象", "主题", "事项类别", "事项类型", "网办深度"]
    hrefs = page.locator(links).evaluate_all("as => as.map(a => a.getAttribute('href'))")  # type: ignore[attr-defined]
    assert any("/items/" in h for h in hrefs)
    page.select_option("select[name='栏目']", "一件事一次办")  # type: ignore[attr-defined]
    # The list is redrawn asynchronously: wait until it shows bundles only.
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => {
            const links = [...document.querySelectorAll('.banshi-search__result a')];
            return links.length > 0 && links.every(a => a.getAttribute('href').includes('/bundles/'));
        }"""
    )
    status = page.locator(".banshi-search__status")  # type: ignore[attr-defined]
    assert status.get_attribute("role") == "status"
    assert re.search(r"找到 \d+ 个", status.inner_text())


@pytest.mark.parametrize("width", [320, 390, 430])
@pytest.mark.parametrize("elder", [False, True])
def test_live_results_stay_inside_the_viewport_on_phones(
    browser: object, base_url: str, width: int, elder: bool
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True
    )  # type: ignore[attr-defined]
    page = context.new_page()
    if elder:
        page.add_init_script("localStorage.setItem('banshi-elder', '1')")
    page.goto(base_url + "about/")
    page.fill("#banshi-header-q", "身份证丢了")
    page.locator("#banshi-header-results [role=option]").first.wait_for()
    boxes = page.evaluate(
        """() => [document.querySelector('#banshi-header-results'),
                  ...document.querySelectorAll('#banshi-header-results [role=option]')]
                 .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top]; })"""
    )
    header_bottom = page.evaluate(
        "document.querySelector('.md-header').getBoundingClientRect().bottom"
    )
    context.close()
    assert all(0 <= left and right <= width for left, right, _ in boxes), boxes
    assert boxes[0][2] >= header_bottom - 1, "the box starts below the header"


@pytest.mark.parametrize("where", ["header", "page"])
def test_no_results_says_what_to_try(page: object, base_url: str, where: str) -> None:
    query = "xqzv"
    if where == "header":
        page.goto(base_url + "about/")  # type: ignore[attr-defined]
        _type(page, query)
        scope = "#banshi-header-results"
        page.wait_for_function(  # type: ignore[attr-defined]
            "() => document.querySelector('.banshi-header-search__status').textContent.includes('没有找到')"
        )
    else:
        page.goto(base_url + "search/?q=" + query)  # type: ignore[attr-defined]
        scope = "#banshi-search"
    empty = page.locator(f"{scope} .banshi-search-empty")  # type: ignore[attr-defined]
    empty.wait_for()
    text = empty.inner_text()
    assert f"没有找到与“{query}”相关的事项" in text
    assert "居民身份证申领、换领、补领" in text  # popular entries from catalog_yaml/search.yml
    assert "0472-3612345" in text  # the consultation hotline from catalog_yaml/settings.yml
    assert empty.locator("a[href^='tel:']").count() >= 1


def test_a_first_search_loads_at_most_two_index_chunks(page: object, base_url: str) -> None:
    """Each word searched costs the index chunk holding it (pagefind/chunks.json says which):
    a query whose words lie in all three chunks of the sample index loads two, and still
    finds its entry by the words searched and the title comparison."""
    page.goto(base_url + "about/")  # type: ignore[attr-defined]
    query = "和邻居有矛盾找谁调解"
    chunks = page.evaluate(  # type: ignore[attr-defined]
        """async q => { const e = await window.banshiSearch.engine();
            return e.slots(q).flatMap(s => s.terms.map(t => e.chunkOf(t))); }""",
        query,
    )
    assert len(set(chunks)) == 3 and -1 not in chunks, chunks
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))  # type: ignore[attr-defined]
    _type(page, query)
    options = page.locator("#banshi-header-results [role=option]")  # type: ignore[attr-defined]
    options.first.wait_for()
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    top = options.evaluate_all("os => os.slice(0, 3).map(o => o.getAttribute('href'))")
    assert any(h.endswith("/items/people-mediation/") for h in top), top
    assert len({u for u in fetched if "/pagefind/index/" in u}) == 2, fetched
