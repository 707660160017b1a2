"""Checks that need more than one file: ids, references and rules across the catalog.

They run after every file has been validated on its own, and only on the entries that passed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import downloads
from .bundle import Bundle
from .bundling import material_key, merged_situations
from .catalog import Catalog
from .common import EX_OFFICIO_TYPES, ON_APPLICATION_TYPES, ItemType, Kind
from .item import Condition, Item, Situation
from .materials import core, normalized
from .messages import check_messages
from .problems import Loc, Problem, describe

MAX_TYPO_EDITS = 2
"""A reference is taken for a typo of an id only this close: at most two edits (a letter
added, dropped, changed, or two swapped), and one per four letters. Real ids differ by more
(mortgage-registration and marriage-registration are three edits apart)."""


def closest(value: str, known: Iterable[str]) -> str | None:
    """The one entry of ``known`` that ``value`` is a typo of, if any."""
    limit = min(MAX_TYPO_EDITS, max(1, len(value) // 4))
    found = process.extractOne(value, list(known), scorer=OSA.distance, score_cutoff=limit)
    return found[0] if found else None


def _ref(
    problems: list[Problem],
    path: Path,
    loc: Loc,
    value: str,
    known: Iterable[str],
    what: str,
    where: str,
    users: Iterable[str] = (),
) -> bool:
    """Report ``value`` if it is not one of ``known``; True when it resolves.

    ``users`` are the files that reference the same missing id (a deleted item's bundles).
    """
    known = list(known)
    if value in known:
        return True
    close = closest(value, known)
    users = list(users)
    if close:
        hint = f"你是不是想写 {close}？"
    elif users:
        hint = f"{where} 中没有 {value}.yml（可能已被删除或改名）。用到它的文件有 {len(users)} 个：{'、'.join(users)}。如果这个{what}是有意删除的，请把它从这些文件中删掉；否则请恢复 {where}{value}.yml，或改为现有{what}的标识。"
    else:
        hint = f"请使用 {where} 中已有的{what}标识，或先在那里添加。"
    problems.append(Problem(path, loc, f"找不到{what}“{value}”。{hint}"))
    return False


def _check_condition(
    problems: list[Problem],
    path: Path,
    loc: Loc,
    when: Condition | None,
    situations: list[Situation],
) -> None:
    by_id = {s.id: s for s in situations}
    for sid, options in (when or {}).items():
        if sid not in by_id:
            known = "、".join(by_id) or "（尚未定义任何情形）"
            problems.append(
                Problem(
                    path,
                    (*loc, sid),
                    f"适用情形引用了未定义的情形“{sid}”。已定义的情形有：{known}。请先在 situations 中定义它，或改正标识。",
                )
            )
            continue
        option_ids = [o.id for o in by_id[sid].options]
        for index, option in enumerate(options):
            if option not in option_ids:
                problems.append(
                    Problem(
                        path,
                        (*loc, sid, index),
                        f"情形“{sid}”没有选项“{option}”。可用的选项有：{'、'.join(option_ids)}。",
                    )
                )


def _check_situations(problems: list[Problem], path: Path, situations: list[Situation]) -> None:
    for index, count in _duplicates(s.id for s in situations):
        problems.append(
            Problem(
                path,
                ("situations", index, "id"),
                f"情形标识“{situations[index].id}”重复了 {count} 次。每个情形的标识必须不同。",
            )
        )
    for s_index, situation in enumerate(situations):
        for o_index, _ in _duplicates(o.id for o in situation.options):
            problems.append(
                Problem(
                    path,
                    ("situations", s_index, "options", o_index, "id"),
                    f"情形“{situation.id}”中的选项标识“{situation.options[o_index].id}”重复了。每个选项的标识必须不同。",
                )
            )


def _check_download(
    problems: list[Problem], catalog: Catalog, path: Path, loc: Loc, name: str | None, what: str
) -> None:
    """A material's blank form or sample must be a file in the catalog's ``files/`` folder."""
    if not name:
        return
    if "/" in name or "\\" in name or name.startswith("."):
        problems.append(
            Problem(
                path,
                loc,
                f"{what}“{name}”应只写文件名，不带目录。请把文件放进 files/ 目录，这里只写文件名。",
            )
        )
        return
    if not name.lower().endswith(downloads.TYPES):
        problems.append(
            Problem(
                path,
                loc,
                f"{what}“{name}”的文件类型不能在网站上提供下载。请改为以下类型之一：{'、'.join(downloads.TYPES)}。",
            )
        )
        return
    if not downloads.path(catalog.root, name).is_file():
        # A warning: the page still names the file (without a link), and a catalog revision
        # from before files/ existed (a reform baseline) still loads.
        problems.append(
            Problem(
                path,
                loc,
                f"找不到{what}文件 files/{name}，网站上只显示文件名，不能下载。请把文件放进目录的 files/ 文件夹（文件名与这里完全一致），或删掉这一行。",
                warning=True,
            )
        )


def _duplicates(values: Iterable[str]) -> list[tuple[int, int]]:
    """(index of each repeat after the first, total count) for repeated values."""
    values = list(values)
    counts = Counter(values)
    seen: set[str] = set()
    repeats = []
    for index, value in enumerate(values):
        if value in seen:
            repeats.append((index, counts[value]))
        seen.add(value)
    return repeats


def check_item(catalog: Catalog, path: Path, item: Item) -> list[Problem]:
    """Rules for one item against the catalog's departments, windows and themes."""
    problems: list[Problem] = []
    if item.id != path.stem:
        problems.append(
            Problem(
                path,
                ("id",),
                f"事项标识“{item.id}”与文件名“{path.name}”不一致。请把 id 改为 {path.stem}，或把文件改名为 {item.id}.yml。",
            )
        )
    _ref(
        problems,
        path,
        ("department",),
        item.department,
        catalog.departments,
        "部门",
        "departments.yml",
    )
    for index, dept in enumerate(item.co_departments):
        _ref(
            problems,
            path,
            ("co_departments", index),
            dept,
            catalog.departments,
            "部门",
            "departments.yml",
        )
    for index, theme in enumerate(item.themes):
        _ref(problems, path, ("themes", index), theme, catalog.themes, "主题", "themes.yml")
    if item.window is not None:
        _ref(problems, path, ("window",), item.window, catalog.windows, "主题窗口", "places.yml")
    elif item.published and item.kind is not Kind.EX_OFFICIO:
        problems.append(
            Problem(
                path,
                ("window",),
                "已发布的依申请和公共服务事项必须写明受理的主题窗口（window），群众才知道去哪里办。请填写 places.yml 中的窗口标识。",
            )
        )

    allowed = {
        Kind.EX_OFFICIO: EX_OFFICIO_TYPES,
        Kind.ON_APPLICATION: ON_APPLICATION_TYPES,
        Kind.PUBLIC_SERVICE: frozenset({ItemType.PUBLIC_SERVICE}),
    }[item.kind]
    if item.type not in allowed:
        names = "、".join(sorted(t.value for t in allowed))
        problems.append(
            Problem(
                path,
                ("type",),
                f"{item.kind.value}事项的事项类型不能是“{item.type.value}”。应为以下之一：{names}。",
            )
        )

    if item.visits > 0 and not item.visits_reason:
        problems.append(
            Problem(
                path,
                ("visits",),
                f"到现场次数为 {item.visits}，必须用 visits_reason 写明为什么要到现场（例如 需现场核验身份）。若不必到现场，请把 visits 改为 0。",
            )
        )
    if item.visits == 0 and not item.fully_online and not item.postal_delivery:
        problems.append(
            Problem(
                path,
                ("visits",),
                "到现场次数为 0，但事项不能全程网办（online_depth 需包含 收件、受理、办理、结果反馈），材料和结果只能邮寄。请加上 postal_delivery: true，或改正到现场次数。",
            )
        )

    for index, count in _duplicates(" ".join(m.name.split()) for m in item.materials):
        problems.append(
            Problem(
                path,
                ("materials", index, "name"),
                f"材料“{item.materials[index].name}”在本事项中重复了 {count} 次。同一份材料只写一次；份数请写在 copies 中。",
            )
        )
    for index, count in _duplicates(f.key for f in item.form_fields):
        problems.append(
            Problem(
                path,
                ("form_fields", index, "key"),
                f"表单字段“{item.form_fields[index].key}”重复了 {count} 次。每个字段的 key 必须不同。",
            )
        )
    for index, _count in _duplicates(item.online_depth):
        problems.append(
            Problem(
                path,
                ("online_depth", index),
                f"网上办理深度“{item.online_depth[index].value}”重复了。每项只写一次。",
            )
        )
    _check_situations(problems, path, item.situations)
    for index, material in enumerate(item.materials):
        _check_condition(
            problems, path, ("materials", index, "when"), material.when, item.situations
        )
        for key, what in (("blank_form", "空白表格"), ("sample", "示例样表")):
            _check_download(
                problems, catalog, path, ("materials", index, key), getattr(material, key), what
            )
    if item.booking.after_hours and item.window in catalog.windows:
        window = catalog.windows[item.window]
        if not (window.flexible.early_minutes or window.flexible.late_minutes or window.weekend):
            problems.append(
                Problem(
                    path,
                    ("booking", "after_hours"),
                    f"事项允许延时服务，但窗口“{window.name}”没有早晚弹性或双休日时间。请在 places.yml 中为该窗口设置 flexible 或 weekend，或把 after_hours 改为 false。",
                )
            )
    return problems


Users = dict[str, list[str]]
"""Item id → the bundle files that list it as a sub-item."""


def item_users(bundles: dict[Path, Bundle], invalid: dict[Path, dict[str, Any]]) -> Users:
    """Which bundle files use each item, from valid bundles and invalid bundle files alike."""
    users: Users = {}
    listed = [(path, [s.item for s in bundle.sub_items]) for path, bundle in bundles.items()]
    for path, data in invalid.items():
        subs = data.get("sub_items") if path.parent.name == "bundles" else None
        if isinstance(subs, list):
            listed.append((path, [s.get("item") for s in subs if isinstance(s, dict)]))
    for path, ids in sorted(listed, key=lambda entry: entry[0].name):
        for item_id in dict.fromkeys(i for i in ids if isinstance(i, str)):
            users.setdefault(item_id, []).append(f"bundles/{path.name}")
    return users


def check_bundle(
    catalog: Catalog,
    path: Path,
    bundle: Bundle,
    broken: frozenset[str] = frozenset(),
    users: Users | None = None,
) -> list[Problem]:
    """Rules for one bundle; ``catalog.items`` must already hold the valid items."""
    problems: list[Problem] = []
    if bundle.id != path.stem:
        problems.append(
            Problem(
                path,
                ("id",),
                f"一件事标识“{bundle.id}”与文件名“{path.name}”不一致。请把 id 改为 {path.stem}，或把文件改名为 {bundle.id}.yml。",
            )
        )
    _ref(
        problems,
        path,
        ("lead_department",),
        bundle.lead_department,
        catalog.departments,
        "部门",
        "departments.yml",
    )
    for index, dept in enumerate(bundle.supporting_departments):
        _ref(
            problems,
            path,
            ("supporting_departments", index),
            dept,
            catalog.departments,
            "部门",
            "departments.yml",
        )
    _ref(problems, path, ("window",), bundle.window, catalog.windows, "主题窗口", "places.yml")
    for index, theme in enumerate(bundle.themes):
        _ref(problems, path, ("themes", index), theme, catalog.themes, "主题", "themes.yml")

    resolved = True
    for index, sub in enumerate(bundle.sub_items):
        if sub.item in broken:
            resolved = False
            continue
        if not _ref(
            problems,
            path,
            ("sub_items", index, "item"),
            sub.item,
            catalog.items,
            "事项",
            "items/",
            (users or {}).get(sub.item, ()),
        ):
            resolved = False
            continue
        item = catalog.items[sub.item]
        if bundle.published and not item.published:
            problems.append(
                Problem(
                    path,
                    ("sub_items", index, "item"),
                    f"一件事已发布，但子项事项“{item.name}”（{item.id}）的状态是“{item.status.value}”。请先发布该事项，或把本一件事的 published 改为 false。",
                )
            )
        departments = {bundle.lead_department, *bundle.supporting_departments}
        if item.department not in departments:
            problems.append(
                Problem(
                    path,
                    ("sub_items", index, "item"),
                    f"子项“{item.name}”的实施部门“{item.department}”既不是牵头部门也不是配合部门。请把它加入 supporting_departments。",
                )
            )
    for index, count in _duplicates(s.item for s in bundle.sub_items):
        problems.append(
            Problem(
                path,
                ("sub_items", index, "item"),
                f"子项“{bundle.sub_items[index].item}”重复了 {count} 次。每个事项在一件事中只列一次。",
            )
        )
    if len({s.item for s in bundle.sub_items}) < 2:
        problems.append(
            Problem(
                path,
                ("sub_items",),
                "一件事至少要包含两个不同的事项。只有一个事项时，请直接使用该事项的办事指南。",
            )
        )
    _check_situations(problems, path, bundle.situations)
    if not resolved:
        return problems

    problems.extend(_near_duplicate_materials(catalog, path, bundle))
    situations = merged_situations(catalog, bundle)
    for index, sub in enumerate(bundle.sub_items):
        _check_condition(problems, path, ("sub_items", index, "when"), sub.when, situations)
    field_types: dict[str, tuple[str, str]] = {}
    for sub in bundle.sub_items:
        for form_field in catalog.items[sub.item].form_fields:
            group = form_field.same_as or form_field.key
            known = field_types.setdefault(group, (form_field.type.value, sub.item))
            if known[0] != form_field.type.value:
                problems.append(
                    Problem(
                        path,
                        ("sub_items",),
                        f"子项“{known[1]}”和“{sub.item}”都有表单字段“{group}”，但类型不同（{known[0]} 和 {form_field.type.value}）。合并表单时同一 key 必须是同一类型，请统一两个事项中的字段。",
                    )
                )
    for index, form_field in enumerate(bundle.extra_fields):
        if form_field.key in field_types:
            problems.append(
                Problem(
                    path,
                    ("extra_fields", index, "key"),
                    f"附加字段“{form_field.key}”已由子项“{field_types[form_field.key][1]}”提供，不需要再写。请删除它或换一个 key。",
                )
            )
    return problems


def _near_duplicate_materials(catalog: Catalog, path: Path, bundle: Bundle) -> list[Problem]:
    """Warnings for two sub-items' materials that are one material by their names
    (申请人居民身份证 and 本人居民身份证) but would be merged as two."""
    by_core: dict[str, dict[str, tuple[str, str]]] = {}
    for sub in bundle.sub_items:
        for material in catalog.items[sub.item].materials:
            key = material_key(material, catalog.materials)
            by_core.setdefault(core(key), {}).setdefault(key, (sub.item, material.name))
    problems = []
    for common, names in by_core.items():
        if len(names) < 2 or len({item_id for item_id, _ in names.values()}) < 2:
            continue
        (first_item, first), (second_item, second) = list(names.values())[:2]
        known = next((n for n in (first, second) if catalog.materials.knows(n)), None)
        if known:
            other = second if known == first else first
            canonical = catalog.materials.canonical[normalized(known)]
            fix = f"请在 materials.yml 中把“{other}”加到“{canonical}”的 aliases 中"
        else:
            fix = f"请在 materials.yml 中把它们登记为同一种材料（name: {common}，aliases: [{first}, {second}]）"
        problems.append(
            Problem(
                path,
                ("sub_items",),
                f"子项“{first_item}”的材料“{first}”和子项“{second_item}”的材料“{second}”看起来是同一份材料，但名称不同，合并材料清单时会算作两份。如果是同一份材料，{fix}，申请人就只交一次；如果是两份不同的材料，请改用能区分的名称。",
                warning=True,
            )
        )
    return problems


def _unique(problems: list[Problem], path: Path, entries: list, collection: str, what: str) -> None:
    for index, count in _duplicates(e.id for e in entries):
        problems.append(
            Problem(
                path,
                (collection, index, "id"),
                f"{what}标识“{entries[index].id}”重复了 {count} 次。每个{what}的标识必须不同。",
            )
        )


def cross_checks(
    catalog: Catalog,
    items: dict[Path, Item],
    bundles: dict[Path, Bundle],
    today: dt.date,
    broken: frozenset[str] = frozenset(),
    users: Users | None = None,
) -> list[Problem]:
    """Run every cross-file check and fill ``catalog.items`` and ``catalog.bundles``.

    ``broken`` holds the ids (file stems) of entries whose own file is invalid: references to
    them are not reported again, since the file's own errors already are.
    """
    problems: list[Problem] = []
    root = catalog.root
    _unique(
        problems,
        root / "departments.yml",
        list(catalog.departments.values()),
        "departments",
        "部门",
    )
    _unique(problems, root / "themes.yml", list(catalog.themes.values()), "themes", "主题")
    problems += check_messages(catalog.settings.messages, root / "settings.yml")
    for index, window in enumerate(catalog.windows.values()):
        _ref(
            problems,
            root / "places.yml",
            ("windows", index, "hall"),
            window.hall,
            catalog.halls,
            "大厅",
            "places.yml 的 halls",
        )

    codes: dict[str, Path] = {}
    for path, item in items.items():
        if item.id in catalog.items:
            problems.append(
                Problem(
                    path,
                    ("id",),
                    f"事项标识“{item.id}”已被 {catalog.item_paths[item.id].name} 使用。每个事项的标识必须不同。",
                )
            )
            continue
        if item.implementation_code in codes:
            problems.append(
                Problem(
                    path,
                    ("implementation_code",),
                    f"实施编码 {item.implementation_code} 已被 {codes[item.implementation_code].name} 使用。每个事项的实施编码必须不同。",
                )
            )
        codes.setdefault(item.implementation_code, path)
        catalog.items[item.id] = item
        catalog.item_paths[item.id] = path
        problems.extend(check_item(catalog, path, item))

    for path, bundle in bundles.items():
        bundle_problems = check_bundle(catalog, path, bundle, broken, users)
        if bundle.id in catalog.bundles:
            bundle_problems.append(
                Problem(
                    path,
                    ("id",),
                    f"一件事标识“{bundle.id}”已被 {catalog.bundle_paths[bundle.id].name} 使用。每个一件事的标识必须不同。",
                )
            )
        problems.extend(bundle_problems)
        if all(p.warning for p in bundle_problems):
            catalog.bundles[bundle.id] = bundle
            catalog.bundle_paths[bundle.id] = path

    warning = catalog.calendar.coverage_warning(today)
    if warning:
        problems.append(Problem(root / "calendar.yml", (), warning, warning=True))
    return problems


_ITEM_REFERENCES = (
    ("department", "departments", "部门", "departments.yml"),
    ("window", "windows", "主题窗口", "places.yml"),
)
_BUNDLE_REFERENCES = (
    ("lead_department", "departments", "部门", "departments.yml"),
    ("window", "windows", "主题窗口", "places.yml"),
)
_LIST_REFERENCES = (
    ("co_departments", "departments", "部门", "departments.yml"),
    ("supporting_departments", "departments", "部门", "departments.yml"),
    ("themes", "themes", "主题", "themes.yml"),
)


def references_of_invalid(
    catalog: Catalog,
    invalid: dict[Path, dict[str, Any]],
    found: list[Problem],
    broken: frozenset[str],
    users: Users | None = None,
) -> list[Problem]:
    """References in item and bundle files that failed validation, so that one run of
    ``check`` reports them too. Keys that already have a problem are not checked again."""
    problems: list[Problem] = []
    flagged = {(p.path, p.loc[:1]) for p in found if p.loc}
    for path, data in invalid.items():
        is_item = path.parent.name == "items"
        singles = _ITEM_REFERENCES if is_item else _BUNDLE_REFERENCES
        for key, collection, what, where in singles:
            value = data.get(key)
            if isinstance(value, str) and (path, (key,)) not in flagged:
                _ref(problems, path, (key,), value, getattr(catalog, collection), what, where)
        for key, collection, what, where in _LIST_REFERENCES:
            values = data.get(key)
            if not isinstance(values, list) or (path, (key,)) in flagged:
                continue
            for index, value in enumerate(values):
                if isinstance(value, str):
                    _ref(
                        problems,
                        path,
                        (key, index),
                        value,
                        getattr(catalog, collection),
                        what,
                        where,
                    )
        subs = data.get("sub_items")
        if is_item or not isinstance(subs, list) or (path, ("sub_items",)) in flagged:
            continue
        for index, sub in enumerate(subs):
            value = sub.get("item") if isinstance(sub, dict) else None
            if isinstance(value, str) and value not in broken:
                _ref(
                    problems,
                    path,
                    ("sub_items", index, "item"),
                    value,
                    catalog.items,
                    "事项",
                    "items/",
                    (users or {}).get(value, ()),
                )
    return problems


_NAMED = {
    "department": "departments",
    "co_departments": "departments",
    "lead_department": "departments",
    "supporting_departments": "departments",
    "window": "windows",
    "themes": "themes",
    "sub_items": "items",
}
"""Reference fields and the collection whose ids they hold (``sub_items`` through ``item``)."""

_WHAT = {"departments": "部门", "windows": "主题窗口", "themes": "主题", "items": "事项"}


def _names(catalog: Catalog, collection: str) -> dict[str, tuple[str, str]]:
    """Every name an editor may type for an entry → (its id, which name it is)."""
    found: dict[str, tuple[str, str]] = {}
    for entry_id, entry in getattr(catalog, collection).items():
        found.setdefault(entry.name, (entry_id, "全称" if collection == "departments" else "名称"))
        short = getattr(entry, "short_name", None)
        if short:
            found.setdefault(short, (entry_id, "简称"))
    return found


def name_hints(
    catalog: Catalog, invalid: dict[Path, dict[str, Any]], problems: list[Problem]
) -> list[Problem]:
    """``problems`` with each "not an id" error on a reference turned into the id meant,
    when the editor typed the entry's name (``department: 青山公安分局`` → public-security)."""
    models = {"items": Item, "bundles": Bundle}
    names = {collection: _names(catalog, collection) for collection in _WHAT}
    hinted = []
    for problem in problems:
        data = invalid.get(problem.path)
        field = problem.loc[0] if problem.loc else None
        collection = _NAMED.get(field) if isinstance(field, str) else None
        value = _value_at(data, problem.loc) if data is not None and collection else None
        if (
            isinstance(value, str)
            and problem.loc[-1] != "when"
            and (field != "sub_items" or problem.loc[-1] == "item")
        ):
            meant = _meant(value, names[collection])  # type: ignore[index]
            if meant:
                model = models[problem.path.parent.name]
                entry_id, which, name = meant
                what = _WHAT[collection]  # type: ignore[index]
                relation = (
                    f"是{what} {entry_id} 的{which}"
                    if name == value
                    else f"很像{what} {entry_id} 的{which}“{name}”"
                )
                problem = Problem(
                    problem.path,
                    problem.loc,
                    f"{describe(model, problem.loc)}要写{what}的标识，不是名称。“{value}”{relation}。你是不是想写 {entry_id}？",
                )
        hinted.append(problem)
    return hinted


def _meant(value: str, names: dict[str, tuple[str, str]]) -> tuple[str, str, str] | None:
    """(id, which name, the name) of the entry ``value`` names, exactly or with a typo."""
    name = value if value in names else closest(value, names)
    if name is None:
        return None
    entry_id, which = names[name]
    return entry_id, which, name


def _value_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data
