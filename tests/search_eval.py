"""The public query set (tests/search_queries.yaml) run in a real browser page.

Shared by tests/test_search_queries.py (asserts the pass rates) and
benchmarks/search_quality.py (prints them, and compares Pagefind versions).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

QUERIES = Path(__file__).with_name("search_queries.yaml")


@dataclass(frozen=True)
class Query:
    text: str
    expected: str
    """The expected page's URL path, ``/items/<id>/`` or ``/bundles/<id>/``."""


@dataclass(frozen=True)
class Outcome:
    query: Query
    top: list[str]
    """URL paths of the first results, best first."""
    total: int

    @property
    def first(self) -> bool:
        return self.top[:1] == [self.query.expected]

    @property
    def top3(self) -> bool:
        return self.query.expected in self.top[:3]


def load_queries(path: Path = QUERIES) -> dict[str, list[Query]]:
    """``{set name: queries}``; each entry names exactly one item or bundle."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    sets: dict[str, list[Query]] = {}
    for name, entries in data.items():
        queries = []
        for entry in entries:
            kinds = [k for k in ("item", "bundle") if k in entry]
            if len(kinds) != 1 or set(entry) != {"q", kinds[0]}:
                raise ValueError(
                    f"{path}: {name}: {entry!r} needs q and exactly one of item/bundle"
                )
            queries.append(Query(str(entry["q"]), f"/{kinds[0]}s/{entry[kinds[0]]}/"))
        sets[name] = queries
    return sets


RANKED = """async q => {
    const found = await window.banshiSearch.search(q);
    return [found.total, found.top.slice(0, 5).map(r => r.url)];
}"""
"""The site's own search (search.js): what the header box and the search page show."""

RAW = """async q => {
    const pagefind = await import("/pagefind/pagefind.js");
    const found = await pagefind.search(q);
    const data = await Promise.all(found.results.slice(0, 5).map(r => r.data()));
    return [found.results.length, data.map(d => d.url)];
}"""
"""Pagefind's own API with the query as typed, nothing else."""


def run_queries(page: Any, queries: list[Query], *, raw: bool = False) -> list[Outcome]:
    """Search each query in ``page`` (already on a page of the site)."""
    if not raw:
        page.wait_for_function("() => window.banshiSearch")
        page.evaluate("() => window.banshiSearch.ready()")
    outcomes = []
    for query in queries:
        total, top = page.evaluate(RAW if raw else RANKED, query.text)
        outcomes.append(Outcome(query, top, total))
    return outcomes


def rates(outcomes: list[Outcome]) -> dict[str, float]:
    n = len(outcomes)
    return {
        "n": n,
        "first": sum(o.first for o in outcomes) / n,
        "top3": sum(o.top3 for o in outcomes) / n,
        "empty": sum(o.total == 0 for o in outcomes),
    }


def misses(outcomes: list[Outcome]) -> list[str]:
    """One line per query whose expected entry is not first."""
    return [
        f"{'not in top 3' if not o.top3 else 'not first':>12}: {o.query.text} → want "
        f"{o.query.expected}, got {o.top[:3]} ({o.total} results)"
        for o in outcomes
        if not o.first
    ]
