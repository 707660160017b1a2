"""Compose the synthetic bundles (一件事一次办) from published items."""

from __future__ import annotations

import random
from typing import Any

from .areas import AREA_BY_KEY
from .bundle_names import BundleName, bundle_names
from .plan import Slot, best_match
from .texts import BUNDLE_FIELDS


class NotEnoughItems(ValueError):
    """The catalog is too small for the bundles asked for."""


def _sizes(names: list[BundleName], total: int, available: int, rng: random.Random) -> list[int]:
    """Sub-item count of each bundle: two each, the rest spread towards the typical sizes."""
    sizes = [2] * len(names)
    for _ in range(total - 2 * len(names)):
        open_ = [i for i, size in enumerate(sizes) if size < available]
        weights = [max(names[i].size - sizes[i], 0) * 4 + 1 for i in open_]
        sizes[rng.choices(open_, weights=weights)[0]] += 1
    return sizes


def make_bundles(
    count: int, total: int, published: list[Slot], rng: random.Random
) -> list[dict[str, Any]]:
    """``count`` bundles with ``total`` sub-items in all, every sub-item a published item."""
    if count == 0:
        return []
    if len(published) < 2 or total > count * len(published):
        raise NotEnoughItems(
            f"{len(published)} 个已发布事项不够组成 {count} 个一件事（共 {total} 个子项）。请增加 --items 或减少 --bundles。"
        )
    names = bundle_names(count)
    sizes = _sizes(names, total, len(published), rng)
    by_area: dict[str, list[Slot]] = {}
    for slot in published:
        by_area.setdefault(slot.area.key, []).append(slot)
    return [
        _bundle(name, size, by_area, published, rng)
        for name, size in zip(names, sizes, strict=True)
    ]


def _bundle(
    name: BundleName,
    size: int,
    by_area: dict[str, list[Slot]],
    published: list[Slot],
    rng: random.Random,
) -> dict[str, Any]:
    chosen: list[Slot] = []
    for keyword in name.keywords:
        slot = best_match([s for s in published if s not in chosen], keyword)
        if slot is not None and len(chosen) < size:
            chosen.append(slot)
    for pool in ([s for area in name.areas for s in by_area.get(area, [])], published):
        rest = [slot for slot in pool if slot not in chosen]
        chosen += rng.sample(rest, k=min(len(rest), size - len(chosen)))
    departments = list(dict.fromkeys(slot.dept.id for slot in chosen))
    area = AREA_BY_KEY[name.areas[0]]
    bundle: dict[str, Any] = {"id": name.id, "name": name.name}
    if rng.random() < 0.3 and name.name.endswith("一件事"):
        bundle["aliases"] = [name.name.removesuffix("一件事")]
    item_names = "、".join(f"“{slot.name}”" for slot in chosen[:4])
    more = f"等 {len(chosen)} 个事项" if len(chosen) > 4 else ""
    bundle |= {
        "audience": name.audience,
        "themes": list(area.themes),
        "summary": f"把{item_names}{more}合并办理：一次告知、一表申报、一口受理、一窗发证。",
        "published": True,
        "lead_department": departments[0],
    }
    if departments[1:]:
        bundle["supporting_departments"] = departments[1:]
    bundle["window"] = area.window
    sub_items: list[dict[str, Any]] = [{"item": slot.id} for slot in chosen]
    if len(chosen) >= 3 and rng.random() < 0.6:
        optional = chosen[-1]
        bundle["situations"] = [
            {
                "id": "also-optional",
                "question": f"是否同时办理{optional.name}？",
                "options": [{"id": "yes", "label": "同时办理"}, {"id": "no", "label": "暂不办理"}],
            }
        ]
        sub_items[-1]["when"] = {"also-optional": ["yes"]}
    bundle["sub_items"] = sub_items
    if rng.random() < 0.5:
        bundle["extra_fields"] = [
            dict(f) for f in BUNDLE_FIELDS[: rng.randint(1, len(BUNDLE_FIELDS))]
        ]
    if name.licence:
        bundle["industry_licence"] = True
        bundle["licence_name"] = name.licence
    return bundle
