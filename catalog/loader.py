"""Load a catalog directory into a validated :class:`Catalog`, collecting every problem.

Layout of a catalog directory::

    settings.yml      site-wide settings (district, hotlines)
    departments.yml   departments
    places.yml        halls and theme windows with opening hours
    themes.yml        life-event themes
    calendar.yml      local working-day overrides
    materials.yml     the material dictionary (optional): names of the same material
    search.yml        the editors' search words (optional): synonyms, filler, popular entries
    items/*.yml       one file per item
    bundles/*.yml     one file per bundle (一件事)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from .bundle import Bundle
from .catalog import Catalog
from .checks import cross_checks, item_users, name_hints, references_of_invalid
from .common import CatalogModel
from .item import Item
from .materials import MaterialDictionary, MaterialsFile, check_dictionary
from .place import Department, Hall, Window
from .problems import CatalogError, Problem, problems_from
from .search_words import FILE_NAME as SEARCH_FILE
from .search_words import SearchWords, check_search_words
from .settings import CalendarOverrides, Settings
from .theme import Theme
from .workdays import china_today
from .yamlfile import Locator, YamlProblem, full_width_warnings, read

M = TypeVar("M", bound=BaseModel)


class DepartmentsFile(CatalogModel):
    departments: list[Department] = Field(min_length=1, title="部门", description="实施部门列表。")


class PlacesFile(CatalogModel):
    halls: list[Hall] = Field(min_length=1, title="大厅", description="办事大厅列表。")
    windows: list[Window] = Field(
        min_length=1, title="主题窗口", description="一窗式综合受理的主题窗口列表。"
    )


class ThemesFile(CatalogModel):
    themes: list[Theme] = Field(
        min_length=1, title="主题", description="个人和法人的生活事件主题。"
    )


SINGLE_FILES: dict[str, type[BaseModel]] = {
    "settings.yml": Settings,
    "departments.yml": DepartmentsFile,
    "places.yml": PlacesFile,
    "themes.yml": ThemesFile,
    "calendar.yml": CalendarOverrides,
}
"""The catalog's one-of-a-kind files and the model each must match."""

OPTIONAL_FILES: dict[str, type[BaseModel]] = {
    "materials.yml": MaterialsFile,
    SEARCH_FILE: SearchWords,
}
"""One-of-a-kind files a catalog may leave out."""

COLLECTIONS: dict[str, type[BaseModel]] = {"items": Item, "bundles": Bundle}
"""The catalog's folders with one file per entry."""


class ParseMemo(dict[tuple[type[BaseModel], bytes], BaseModel]):
    """Valid entries by model and file content. Shared between two loads of nearly identical
    catalogs (``build.py diff``), it lets the second load skip every unchanged file.

    ``seen`` holds the same entries by model, path, modification time and size: between two
    loads of the same folder (``serve`` after a save) an unchanged file is not even read again.
    A plain dict works too, without that shortcut.
    """

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[tuple[type[BaseModel], str, int, int], BaseModel] = {}

    def forget(self, paths: Iterable[Path]) -> None:
        """Read these files again next time, even if their time and size look unchanged (two
        saves of the same length within one tick of the file system's clock)."""
        names = {str(p) for p in paths}
        for seen in [s for s in self.seen if s[1] in names]:
            del self.seen[seen]


def _parse(
    path: Path,
    model: type[M],
    problems: list[Problem],
    memo: ParseMemo | None = None,
    invalid: dict[Path, dict[str, Any]] | None = None,
) -> M | None:
    """Validate one file. When it reads as a mapping but fails validation, its raw data goes
    into ``invalid`` so its references can still be checked."""
    key = None
    seen_index = getattr(memo, "seen", None)
    seen: tuple | None = None
    if memo is not None:
        try:
            if seen_index is not None:
                stat = path.stat()
                seen = (model, str(path), stat.st_mtime_ns, stat.st_size)
                if seen in seen_index:
                    return seen_index[seen]  # type: ignore[return-value]
            key = (model, hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
        except OSError:
            key = seen = None  # read() below reports it
        else:
            if key in memo:
                if seen is not None:
                    seen_index[seen] = memo[key]  # type: ignore[index]
                return memo[key]  # type: ignore[return-value]
    try:
        data, duplicates = read(path)
    except YamlProblem as exc:
        problems.extend(
            Problem(path, (), p.message, line=p.line, column=p.column) for p in exc.each
        )
        return None
    for dup in duplicates:
        problems.append(Problem(path, (), dup.message, line=dup.line, column=dup.column))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(
            Problem(
                path,
                (),
                "文件内容应为一组“字段: 值”，而不是列表或单个值。请对照编辑指南中的示例修改。",
            )
        )
        return None
    try:
        entry = model.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, path, model))
        problems.extend(
            Problem(path, (), w.message, True, line=w.line, column=w.column)
            for w in full_width_warnings(path)
        )
        if invalid is not None:
            invalid[path] = data
        return None
    if duplicates:
        return None
    if key is not None:
        memo[key] = entry  # type: ignore[index]
        if seen is not None:
            seen_index[seen] = entry  # type: ignore[index]
    return entry


def _collection(
    folder: Path,
    model: type[M],
    problems: list[Problem],
    broken: set[str],
    memo: ParseMemo | None = None,
    invalid: dict[Path, dict[str, Any]] | None = None,
) -> dict[Path, M]:
    """Every valid entry in ``folder``; stems of invalid files are added to ``broken``."""
    parsed: dict[Path, M] = {}
    if not folder.is_dir():
        return parsed
    # scandir: the entry type comes with the listing (no stat per file); sorted by name
    for found in sorted(os.scandir(folder), key=lambda e: e.name):
        if found.name.startswith(".") or found.is_dir():
            continue
        path = folder / found.name
        if path.suffix != ".yml":
            problems.append(
                Problem(
                    path,
                    (),
                    f"{folder.name}/ 目录中只能放 .yml 文件，“{path.name}”不会被读取。请把扩展名改为 .yml，或把文件移走。",
                )
            )
            continue
        entry = _parse(path, model, problems, memo, invalid)
        if entry is None:
            broken.add(path.stem)
        else:
            parsed[path] = entry
    return parsed


def read_catalog(
    root: Path, *, today: dt.date | None = None, memo: ParseMemo | None = None
) -> tuple[Catalog | None, list[Problem]]:
    """Load ``root`` and return the catalog (``None`` if it has errors) with every problem found.

    Pass the same ``memo`` to several loads to validate identical files only once.
    """
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(
            Problem(
                root,
                (),
                f"找不到目录“{root}”。请用 --catalog 指定事项目录，例如 --catalog catalog_yaml。",
            )
        )
        return None, problems

    singles: dict[str, Any] = {}
    for name, model in SINGLE_FILES.items():
        path = root / name
        if not path.is_file():
            problems.append(
                Problem(path, (), f"缺少文件 {name}。每个目录都需要这个文件，请参照示例目录创建。")
            )
            continue
        singles[name] = _parse(path, model, problems, memo)
    optional: dict[str, Any] = {}
    for name, model in OPTIONAL_FILES.items():
        if (root / name).is_file():
            optional[name] = _parse(root / name, model, problems, memo)
    dictionary = optional.get("materials.yml")
    if dictionary is not None:
        found = check_dictionary(root / "materials.yml", dictionary)
        problems.extend(found)
        if found:
            optional["materials.yml"] = None
    broken: set[str] = set()
    invalid: dict[Path, dict[str, Any]] = {}
    items = _collection(root / "items", Item, problems, broken, memo, invalid)
    bundles = _collection(root / "bundles", Bundle, problems, broken, memo, invalid)

    if any(v is None for v in (*singles.values(), *optional.values())) or len(singles) < len(
        SINGLE_FILES
    ):
        return None, _positioned(problems)

    places: PlacesFile = singles["places.yml"]
    catalog = Catalog(
        root=root,
        settings=singles["settings.yml"],
        departments={d.id: d for d in singles["departments.yml"].departments},
        halls={h.id: h for h in places.halls},
        windows={w.id: w for w in places.windows},
        themes={t.id: t for t in singles["themes.yml"].themes},
        calendar_overrides=singles["calendar.yml"],
        materials=MaterialDictionary.of(optional.get("materials.yml")),
        items={},
        bundles={},
        search_words=optional.get(SEARCH_FILE) or SearchWords(),
    )
    users = item_users(bundles, invalid)
    problems.extend(
        cross_checks(catalog, items, bundles, today or china_today(), frozenset(broken), users)
    )
    if SEARCH_FILE in optional:
        problems.extend(
            check_search_words(
                root / SEARCH_FILE,
                catalog.search_words,
                {i.id: i.published for i in items.values()},
                {b.id: b.published for b in bundles.values()},
            )
        )
    problems = name_hints(catalog, invalid, problems)
    problems.extend(references_of_invalid(catalog, invalid, problems, frozenset(broken), users))
    if any(not p.warning for p in problems):
        return None, _positioned(problems)
    return catalog, _positioned(problems)


def load_catalog(root: Path | str, *, today: dt.date | None = None) -> Catalog:
    """Load a valid catalog or raise :class:`CatalogError` listing every problem."""
    catalog, problems = read_catalog(Path(root), today=today)
    if catalog is None:
        raise CatalogError(problems)
    catalog.warnings = [p for p in problems if p.warning]
    return catalog


def _positioned(problems: list[Problem]) -> list[Problem]:
    """Fill in line and column of each problem; each problem file is parsed once."""
    locators: dict[Path, Locator] = {}
    resolved = []
    for problem in problems:
        if problem.line is None and problem.path.is_file():
            locator = locators.setdefault(problem.path, Locator(problem.path))
            line, column = locator.locate(problem.loc)
            problem = Problem(
                problem.path, problem.loc, problem.message, problem.warning, line, column
            )
        resolved.append(problem)
    return sorted(resolved, key=lambda p: (str(p.path), p.line or 0, p.column or 0))
