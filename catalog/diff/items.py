"""Item changes: renames, publication, time limits, fees, visits, online depth, materials."""

from __future__ import annotations

from ..bundling import material_key
from ..catalog import Catalog
from ..common import OnlineCapability
from ..item import Item, Material
from .changes import Difference, EntryChange, match_ids, publication, relative_path
from .wording import (
    capabilities_text,
    changed_fields,
    condition_text,
    days,
    fees_text,
    generic_differences,
    material_value,
    namer,
    title_of,
    value_text,
    visits_text,
)


def _item_state(item: Item) -> str:
    return item.status.value


def item_differences(
    old: Item,
    new: Item,
    old_path: str = "",
    new_path: str = "",
    catalogs: tuple[Catalog | None, Catalog | None] = (None, None),
) -> list[Difference]:
    """What changed in one item, most important for citizens first."""
    show = namer(*catalogs)
    found: list[Difference] = []
    if old.name != new.name:
        found.append(Difference("事项名称", old.name, new.name))
    if old.id != new.id:
        found.append(
            Difference(
                "事项标识",
                f"{old.id}（{old_path}）",
                f"{new.id}（{new_path}）",
                note="实施编码相同，是同一个事项改名，网址随之改变",
            )
        )
    elif old_path != new_path:
        found.append(Difference("文件位置", old_path, new_path))
    if old.status != new.status:
        found.append(Difference("事项状态", old.status.value, new.status.value))
    old_limit, new_limit = old.time_limit, new.time_limit
    if old_limit.case_type != new_limit.case_type:
        found.append(Difference("办件类型", old_limit.case_type.value, new_limit.case_type.value))
    if old_limit.legal_days != new_limit.legal_days:
        found.append(
            Difference("法定办结时限", days(old_limit.legal_days), days(new_limit.legal_days))
        )
    if old_limit.promised_days != new_limit.promised_days:
        found.append(
            Difference("承诺办结时限", days(old_limit.promised_days), days(new_limit.promised_days))
        )
    if old.fees != new.fees:
        found.append(Difference("收费", fees_text(old.fees), fees_text(new.fees)))
    if old.visits != new.visits:
        found.append(Difference("到现场次数", visits_text(old.visits), visits_text(new.visits)))
    if set(old.online_depth) != set(new.online_depth):
        found.append(_online_difference(old, new))
    if old.postal_delivery != new.postal_delivery:
        found.append(
            Difference("支持邮寄", value_text(old.postal_delivery), value_text(new.postal_delivery))
        )
    if old.department != new.department:
        found.append(
            Difference(
                "实施主体", show("department", old.department), show("department", new.department)
            )
        )
    if old.window != new.window:
        found.append(Difference("办理窗口", show("window", old.window), show("window", new.window)))
    found.extend(material_differences(old.materials, new.materials))
    skip = {
        "id",
        "name",
        "status",
        "time_limit",
        "fees",
        "visits",
        "online_depth",
        "postal_delivery",
        "department",
        "window",
        "materials",
    }
    found.extend(generic_differences(old, new, skip, show))
    return found


def _online_difference(old: Item, new: Item) -> Difference:
    gained = [
        c.value for c in OnlineCapability if c in new.online_depth and c not in old.online_depth
    ]
    lost = [
        c.value for c in OnlineCapability if c in old.online_depth and c not in new.online_depth
    ]
    notes = []
    if gained:
        notes.append(f"新增：{'、'.join(gained)}")
    if lost:
        notes.append(f"取消：{'、'.join(lost)}")
    if new.fully_online and not old.fully_online:
        notes.append("现可全程网办")
    if old.fully_online and not new.fully_online:
        notes.append("不再能全程网办")
    return Difference(
        "网上办理深度",
        capabilities_text(old.online_depth),
        capabilities_text(new.online_depth),
        note="；".join(notes),
    )


MATERIAL_ATTRIBUTES = ("required", "form", "copies", "medium", "source", "exempt", "when")
"""Material fields whose change is reported one by one; others are "其他内容"."""


def material_differences(old: list[Material], new: list[Material]) -> list[Difference]:
    """Materials added, removed, and changed (matched by name, ignoring spaces)."""
    before = {material_key(m): m for m in old}
    after = {material_key(m): m for m in new}
    found: list[Difference] = []
    added = [m.name for k, m in after.items() if k not in before]
    removed = [m.name for k, m in before.items() if k not in after]
    if added:
        found.append(Difference("新增材料", new="、".join(added)))
    if removed:
        found.append(Difference("删除材料", old="、".join(removed)))
    for key, material in after.items():
        previous = before.get(key)
        if previous is None or previous == material:
            continue
        for name in MATERIAL_ATTRIBUTES:
            was, now = getattr(previous, name), getattr(material, name)
            if was != now:
                found.append(
                    Difference(
                        f"材料“{material.name}”的{title_of(Material, name)}",
                        material_value(name, was),
                        material_value(name, now),
                    )
                )
        rest = changed_fields(previous, material, {*MATERIAL_ATTRIBUTES, "name"})
        if rest:
            titles = "、".join(title_of(Material, name) for name in rest)
            found.append(Difference(f"材料“{material.name}”的其他内容", new=titles))
    return found


def material_text(item: Item, material: Material) -> str:
    """One material in a few words: ``居民身份证（原件 1 份）``, with when it is needed."""
    parts = [f"{material.form.value} {material.copies} 份"]
    if not material.required:
        parts.append("视情况提交")
    if material.when:
        parts.append(f"仅当{condition_text(item.situations, material.when)}时")
    if material.exempt:
        parts.append(f"免提交：{material.exempt_reason}")
    return f"{material.name}（{'，'.join(parts)}）"


def new_item_details(catalog: Catalog, item: Item) -> list[Difference]:
    """What a reviewer checks in a new item, in plain words (nothing to compare it with)."""
    show = namer(None, catalog)
    limit = item.time_limit
    online = capabilities_text(item.online_depth)
    found = [
        Difference(
            "办结时限",
            new=f"法定 {days(limit.legal_days)}，承诺 {days(limit.promised_days)}（{limit.case_type.value}）",
        ),
        Difference("收费", new=fees_text(item.fees)),
        Difference("到现场次数", new=visits_text(item.visits), note=item.visits_reason),
        Difference("网上办理深度", new=online, note="可全程网办" if item.fully_online else None),
        Difference("支持邮寄", new=value_text(item.postal_delivery)),
        Difference("实施主体", new=show("department", item.department)),
        Difference("办理窗口", new=show("window", item.window)),
    ]
    materials = "；".join(material_text(item, m) for m in item.materials) or "无"
    found.append(Difference(f"申请材料（{len(item.materials)} 份）", new=materials))
    return found


def compare_items(old: Catalog, new: Catalog) -> tuple[list[EntryChange], dict[str, str]]:
    """Item changes, and the old id → new id pairing (used to compare bundles)."""
    pairs, lost, found = match_ids(old.items, new.items, [lambda i: i.implementation_code])
    changes: list[EntryChange] = []
    by_new = {new_id: old_id for old_id, new_id in pairs.items()}
    for new_id, item in new.items.items():
        new_path = relative_path(new, new.item_paths.get(new_id))
        if new_id in found:
            changes.append(
                EntryChange(
                    new_id,
                    item.name,
                    "added",
                    path=new_path,
                    state=_item_state(item),
                    publication="published" if item.published else None,
                    visible=item.published,
                    details=tuple(new_item_details(new, item)),
                )
            )
            continue
        previous = old.items[by_new[new_id]]
        old_path = relative_path(old, old.item_paths.get(previous.id))
        if previous == item and old_path == new_path:
            continue
        details = item_differences(previous, item, old_path, new_path, (old, new))
        if not details:
            continue
        changes.append(
            EntryChange(
                new_id,
                item.name,
                "changed",
                path=new_path,
                state=_item_state(item),
                publication=publication(previous.published, item.published),
                visible=previous.published or item.published,
                details=tuple(details),
            )
        )
    for old_id in lost:
        item = old.items[old_id]
        changes.append(
            EntryChange(
                old_id,
                item.name,
                "removed",
                path=relative_path(old, old.item_paths.get(old_id)),
                state=_item_state(item),
                publication="unpublished" if item.published else None,
                visible=item.published,
            )
        )
    return changes, pairs
