"""The editor guide, followed literally: its examples are valid and its messages are exact.

Guide pages mark testable examples with HTML comments (invisible on the site):

- ``<!-- test: new-file catalog_yaml/<path> -->`` then one fenced block: a whole new file.
- ``<!-- test: mistake -->`` then three fenced blocks: the wrong text, the exact output of
  ``python build.py check``, the right text. The right text is found in the example catalog,
  replaced by the wrong one, and check must print exactly the guide's output.
  Warnings the change brings are part of the output; others (the calendar's) are not.
- ``<!-- test: deleted catalog_yaml/<path> -->`` then one fenced block: the exact output of
  check after that file is deleted.
- ``<!-- test: change -->`` then two fenced blocks (before, after): after the change, check passes.
- ``<!-- test: window -->`` then one block with one window entry (its id and the changed keys):
  merged into that window of places.yml, check passes.

The example catalog is the minimal test catalog plus every new file from the "add an item" and
"add a bundle" pages, written exactly as an editor would copy them.
Run with ``BANSHI_UPDATE_GOLDEN=1`` to rewrite the guide's output blocks from real runs.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from catalog import load_catalog
from catalog.report import run_check

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "editors"
MINIMAL = Path(__file__).resolve().parent / "data" / "minimal_catalog"
SAMPLE = ROOT / "catalog_yaml"
PREFIX = "catalog_yaml/"
SETUP_PAGES = ("add-item.md", "add-bundle.md")
"""Pages whose new files make up the example catalog every other example is tried on."""

FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
MARKER = re.compile(r"<!-- test: (?P<kind>[a-z-]+)(?: (?P<arg>[^ >]+))? -->")


@dataclass(frozen=True)
class Example:
    page: str
    kind: str
    arg: str | None
    blocks: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    """Start and end offset of each block's body in the page (for rewriting outputs)."""

    @property
    def id(self) -> str:
        first = self.blocks[0].strip().splitlines()[0] if self.blocks[0].strip() else ""
        return f"{self.page}:{self.kind}:{first[:30]}"


BLOCKS_PER_KIND = {
    "new-file": 1,
    "mistake": 3,
    "deleted": 1,
    "change": 2,
    "window": 1,
    "diff-example": 0,
}
"""Code blocks each marker owns; the diff example is checked in test_editors_diff.py."""


def examples(page: str) -> list[Example]:
    text = (GUIDE / page).read_text(encoding="utf-8")
    found = []
    for marker in MARKER.finditer(text):
        kind = marker["kind"]
        assert kind in BLOCKS_PER_KIND, f"{page}: unknown test marker {kind!r}"
        fences = list(FENCE.finditer(text, marker.end()))[: BLOCKS_PER_KIND[kind]]
        assert len(fences) == BLOCKS_PER_KIND[kind], f"{page}: {kind} needs more code blocks"
        blocks = []
        for fence in fences:
            body = fence["body"]
            if kind == "new-file":
                path = marker["arg"] or ""
                assert path.startswith(PREFIX), f"{page}: new-file needs a catalog_yaml/ path"
                body = f"{path.removeprefix(PREFIX)}\n{body}"
            blocks.append(body)
        spans = tuple((f.start("body"), f.end("body")) for f in fences)
        found.append(Example(page, kind, marker["arg"], tuple(blocks), spans))
    return found


def all_examples(kind: str) -> list[Example]:
    return [
        e
        for page in sorted(p.name for p in GUIDE.glob("*.md"))
        for e in examples(page)
        if e.kind == kind
    ]


def write_new_files(catalog: Path, pages: tuple[str, ...] = SETUP_PAGES) -> list[str]:
    written = []
    for page in pages:
        for example in examples(page):
            if example.kind == "new-file":
                relative, body = example.blocks[0].split("\n", 1)
                (catalog / relative).write_text(body, encoding="utf-8")
                written.append(relative)
    return written


@pytest.fixture
def example_catalog(catalog_dir: Path) -> Path:
    """The minimal catalog with the guide's new item and bundle added, as an editor would."""
    write_new_files(catalog_dir)
    return catalog_dir


def check_output(catalog: Path, baseline: frozenset[str] | None = None) -> tuple[int, str]:
    """Exit code and the problem lines, with paths as an editor sees them from the repository.

    Warnings are left out, except new ones: those not in ``baseline`` (the warning lines of
    the catalog before the example's change, such as the calendar's).
    """
    out = io.StringIO()
    code = run_check(catalog, out=out)
    lines = [
        line.replace(f"{catalog}/", PREFIX)
        for line in out.getvalue().splitlines()
        if not line.startswith("检查")
        and (": 警告：" not in line or (baseline is not None and line not in baseline))
    ]
    return code, "\n".join(lines)


def warning_lines(catalog: Path) -> frozenset[str]:
    out = io.StringIO()
    run_check(catalog, out=out)
    return frozenset(line for line in out.getvalue().splitlines() if ": 警告：" in line)


def replace_once(catalog: Path, old: str, new: str) -> Path:
    """Replace ``old`` (which must occur exactly once in the whole catalog) by ``new``."""
    hits = [
        (path, path.read_text(encoding="utf-8").count(old))
        for path in sorted(catalog.rglob("*.yml"))
        if old in path.read_text(encoding="utf-8")
    ]
    assert [count for _, count in hits] == [1], f"the guide's text must occur once: {old!r} {hits}"
    path = hits[0][0]
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the worked examples


def test_worked_examples_make_a_valid_catalog(example_catalog: Path) -> None:
    code, errors = check_output(example_catalog)
    assert (code, errors) == (0, "")
    catalog = load_catalog(example_catalog)
    item = catalog.items["birth-certificate-reissue"]
    assert item.published and item.window == "social-affairs"
    assert catalog.window_of(item) is not None
    bundle = catalog.bundles["open-small-shop"]
    assert [s.item for s in bundle.sub_items] == ["business-licence", "food-licence"]


def test_worked_examples_are_valid_in_the_shipped_catalog(tmp_path: Path) -> None:
    """Editors follow the guide in the real catalog: the ids it uses must exist there too."""
    catalog = tmp_path / "catalog_yaml"
    shutil.copytree(SAMPLE, catalog, ignore=shutil.ignore_patterns("schema"))
    written = write_new_files(catalog)
    assert written == [
        "items/birth-certificate-reissue.yml",
        "bundles/open-small-shop.yml",
        "materials.yml",
    ]
    assert check_output(catalog) == (0, "")


def test_add_item_page_shows_the_whole_file_with_the_schema_line() -> None:
    (example,) = [e for e in examples("add-item.md") if e.kind == "new-file"]
    relative, body = example.blocks[0].split("\n", 1)
    assert relative == "items/birth-certificate-reissue.yml"
    assert body.startswith("# yaml-language-server: $schema=../schema/item.schema.json\n")


# ---------------------------------------------------------------- the common mistakes


def test_guide_lists_ten_numbered_common_mistakes() -> None:
    text = (GUIDE / "mistakes.md").read_text(encoding="utf-8")
    numbered = re.findall(r"^## (\d+)\. ", text, re.M)
    assert numbered == [str(n) for n in range(1, 11)]
    top = text.split("## 还可能遇到的错误")[0]
    assert top.count("<!-- test: mistake -->") == 10


MISTAKES = all_examples("mistake")


@pytest.mark.parametrize("example", MISTAKES, ids=[e.id for e in MISTAKES])
def test_mistake_prints_exactly_the_message_in_the_guide(
    example_catalog: Path, example: Example
) -> None:
    wrong, expected, right = example.blocks
    baseline = warning_lines(example_catalog)
    replace_once(example_catalog, right, wrong)
    code, output = check_output(example_catalog, baseline)
    only_warnings = all(": 警告：" in line for line in expected.strip().splitlines())
    assert code == (0 if only_warnings else 1)
    _update_golden(example, 1, output)
    assert output == expected.rstrip("\n")


def _update_golden(example: Example, block: int, output: str) -> None:
    """With BANSHI_UPDATE_GOLDEN set, write the real output into the guide's block."""
    if os.environ.get("BANSHI_UPDATE_GOLDEN") and output != example.blocks[block].rstrip("\n"):
        page = GUIDE / example.page
        text = page.read_text(encoding="utf-8")
        (now,) = [  # the page as it is now: earlier updates may have moved the block
            e
            for e in examples(example.page)
            if (e.kind, e.arg, e.blocks[0]) == (example.kind, example.arg, example.blocks[0])
        ]
        start, end = now.spans[block]
        page.write_text(text[:start] + output + "\n" + text[end:], encoding="utf-8")


DELETIONS = all_examples("deleted")


@pytest.mark.parametrize("example", DELETIONS, ids=[e.id for e in DELETIONS])
def test_deleting_a_file_prints_exactly_the_message_in_the_guide(
    example_catalog: Path, example: Example
) -> None:
    assert example.arg and example.arg.startswith(PREFIX)
    (example_catalog / example.arg.removeprefix(PREFIX)).unlink()
    code, output = check_output(example_catalog)
    assert code == 1
    _update_golden(example, 0, output)
    assert output == example.blocks[0].rstrip("\n")


def test_every_mistake_page_example_is_tested() -> None:
    assert len(MISTAKES) >= 10
    pages = {e.page for e in MISTAKES}
    assert "mistakes.md" in pages


# ---------------------------------------------------------------- other edits in the guide


CHANGES = all_examples("change")


@pytest.mark.parametrize("example", CHANGES, ids=[e.id for e in CHANGES])
def test_documented_change_keeps_the_catalog_valid(example_catalog: Path, example: Example) -> None:
    before, after = example.blocks
    replace_once(example_catalog, before, after)
    assert check_output(example_catalog) == (0, "")


WINDOWS = all_examples("window")


@pytest.mark.parametrize("example", WINDOWS, ids=[e.id for e in WINDOWS])
def test_documented_hours_are_valid_for_the_window(example_catalog: Path, example: Example) -> None:
    places = example_catalog / "places.yml"
    data = yaml.safe_load(places.read_text(encoding="utf-8"))
    (entry,) = yaml.safe_load(example.blocks[0])
    (window,) = [w for w in data["windows"] if w["id"] == entry["id"]]
    window.update(entry)
    places.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert check_output(example_catalog) == (0, "")
    loaded = load_catalog(example_catalog).windows[entry["id"]]
    dumped = loaded.model_dump()
    assert {key: dumped[key] for key in entry} == entry


NEW_FILES = [e for e in all_examples("new-file") if e.page not in SETUP_PAGES]


@pytest.mark.parametrize("example", NEW_FILES, ids=[e.id for e in NEW_FILES])
def test_documented_file_is_valid(example_catalog: Path, example: Example) -> None:
    relative, body = example.blocks[0].split("\n", 1)
    (example_catalog / relative).write_text(body, encoding="utf-8")
    assert check_output(example_catalog) == (0, "")


def test_documented_calendar_takes_effect(example_catalog: Path) -> None:
    (example,) = [e for e in NEW_FILES if e.blocks[0].startswith("calendar.yml\n")]
    body = example.blocks[0].split("\n", 1)[1]
    (example_catalog / "calendar.yml").write_text(body, encoding="utf-8")
    catalog = load_catalog(example_catalog)
    data = yaml.safe_load(body)
    assert data["holidays"] and data["workdays"]
    for day in data["holidays"]:
        assert not catalog.calendar.is_working_day(day["date"]), day
    for day in data["workdays"]:
        assert catalog.calendar.is_working_day(day["date"]), day


def test_guide_pages_are_listed_in_the_handbook() -> None:
    nav = (ROOT / "docs" / "handbook.md").read_text(encoding="utf-8")
    for page in GUIDE.glob("*.md"):
        assert f"editors/{page.name}" in nav, page.name
