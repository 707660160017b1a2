"""Bundle changes: composition, departments, publication, and the computed savings."""

from __future__ import annotations

from ..bundle import Bundle
from ..bundling import merged_materials, merged_situations, savings
from ..catalog import Catalog
from .changes import Difference, EntryChange, match_ids, publication, relative_path
from .wording import condition_text, generic_differences, material_value, namer


def _bundle_state(bundle: Bundle) -> str:
    return "已发布" if bundle.published else "未发布"


def _item_label(catalog: Catalog, item_id: str) -> str:
    item = catalog.items.get(item_id)
    return f"{item.name}（{item_id}）" if item else item_id


def bundle_differences(
    old_catalog: Catalog,
    new_catalog: Catalog,
    old: Bundle,
    new: Bundle,
    item_pairs: dict[str, str],
    old_path: str = "",
    new_path: str = "",
) -> list[Difference]:
    found: list[Difference] = []
    if old.name != new.name:
        found.append(Difference("一件事名称", old.name, new.name))
    if old.id != new.id:
        found.append(Difference("一件事标识", f"{old.id}（{old_path}）", f"{new.id}（{new_path}）"))
    elif old_path != new_path:
        found.append(Difference("文件位置", old_path, new_path))
    if old.published != new.published:
        found.append(Difference("是否发布", _bundle_state(old), _bundle_state(new)))
    before = [item_pairs.get(s.item) for s in old.sub_items]
    after = [s.item for s in new.sub_items]
    for item_id in after:
        if item_id not in before:
            found.append(Difference("新增子项", new=_item_label(new_catalog, item_id)))
    for sub in old.sub_items:
        if item_pairs.get(sub.item) not in after:
            found.append(Difference("移除子项", old=_item_label(old_catalog, sub.item)))
    conditions = {item_pairs.get(s.item): s.when for s in old.sub_items}
    for sub in new.sub_items:
        if sub.item in conditions and conditions[sub.item] != sub.when:
            found.append(
                Difference(
                    f"子项“{_item_label(new_catalog, sub.item)}”的适用情形",
                    material_value("when", conditions[sub.item]),
                    material_value("when", sub.when),
                )
            )
    skip = {"id", "name", "published", "sub_items"}
    found.extend(generic_differences(old, new, skip, namer(old_catalog, new_catalog)))
    return found


def new_bundle_details(catalog: Catalog, bundle: Bundle) -> list[Difference]:
    """What a reviewer checks in a new bundle: what it combines, who leads, what is merged."""
    show = namer(None, catalog)
    situations = merged_situations(catalog, bundle)
    subs = []
    for sub in bundle.sub_items:
        label = _item_label(catalog, sub.item)
        when = f"（仅当{condition_text(situations, sub.when)}时）" if sub.when else ""
        subs.append(label + when)
    found = [
        Difference(f"子项（{len(subs)} 个）", new="、".join(subs)),
        Difference("牵头部门", new=show("lead_department", bundle.lead_department)),
    ]
    if bundle.supporting_departments:
        found.append(
            Difference(
                "配合部门", new=show("supporting_departments", bundle.supporting_departments)
            )
        )
    found.append(Difference("受理窗口", new=show("window", bundle.window)))
    shared = [m for m in merged_materials(catalog, bundle) if len(m.item_ids) > 1]
    if shared:
        found.append(
            Difference(
                "合并的材料（只交一次）",
                new="；".join(f"{m.material.name}（{'、'.join(m.item_ids)} 共用）" for m in shared),
            )
        )
    return found


def compare_bundles(old: Catalog, new: Catalog, item_pairs: dict[str, str]) -> list[EntryChange]:
    def composition(bundle: Bundle, mapped: bool) -> frozenset[str]:
        ids = (item_pairs.get(s.item, s.item) if mapped else s.item for s in bundle.sub_items)
        return frozenset(ids)

    pairs, lost, found = match_ids(old.bundles, new.bundles, [lambda b: b.name])
    # Third chance: the same sub-items under a new id and name.
    old_sets = {i: composition(old.bundles[i], True) for i in lost}
    for new_id in list(found):
        wanted = composition(new.bundles[new_id], False)
        match = next((i for i in lost if old_sets[i] == wanted), None)
        if match is not None:
            pairs[match] = new_id
            lost.remove(match)
            found.remove(new_id)
    by_new = {new_id: old_id for old_id, new_id in pairs.items()}
    changes: list[EntryChange] = []
    for new_id, bundle in new.bundles.items():
        new_path = relative_path(new, new.bundle_paths.get(new_id))
        if new_id in found:
            changes.append(
                EntryChange(
                    new_id,
                    bundle.name,
                    "added",
                    path=new_path,
                    state=_bundle_state(bundle),
                    publication="published" if bundle.published else None,
                    visible=bundle.published,
                    details=tuple(new_bundle_details(new, bundle)),
                    savings_new=savings(new, bundle),
                )
            )
            continue
        previous = old.bundles[by_new[new_id]]
        old_path = relative_path(old, old.bundle_paths.get(previous.id))
        details = bundle_differences(old, new, previous, bundle, item_pairs, old_path, new_path)
        before, after = savings(old, previous), savings(new, bundle)
        if not details and before == after:
            continue
        changes.append(
            EntryChange(
                new_id,
                bundle.name,
                "changed",
                path=new_path,
                state=_bundle_state(bundle),
                publication=publication(previous.published, bundle.published),
                visible=previous.published or bundle.published,
                details=tuple(details),
                savings_old=before if before != after else None,
                savings_new=after if before != after else None,
            )
        )
    for old_id in lost:
        bundle = old.bundles[old_id]
        changes.append(
            EntryChange(
                old_id,
                bundle.name,
                "removed",
                path=relative_path(old, old.bundle_paths.get(old_id)),
                state=_bundle_state(bundle),
                publication="unpublished" if bundle.published else None,
                visible=bundle.published,
            )
        )
    return changes
