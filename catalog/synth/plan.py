"""How many of what: the seed's proportions scaled to any size, and each item's name and place.

The seed (Qingshan District, 2021) reports 5,654 items = 90 public service + 512 on application
+ 5,052 ex officio; 75 bundles with 167 sub-items; 502 items claimed on the online platform, 428
of them compiled and published. We read the last figure as: 428 items are 已发布 (compiled and
published), the other 74 claimed items are 已认领 (claimed, not yet compiled), no item is left
at 已编制, and the remaining 5,152 are 未认领. Claiming covered the on-application and public
service lists, so claimed items are drawn from those kinds first.

Every other size is scaled with largest-remainder rounding, so the parts always add up.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .areas import APPLY_TYPES, AREA_BY_KEY, AREAS, GENERIC_VIOLATIONS, Area
from .bundle_names import bundle_names
from .places import DEPARTMENTS, Dept

SEED_ITEMS = 5654
KINDS = (("公共服务", 90), ("依申请", 512), ("依职权", 5052))
STATUSES = (("已发布", 428), ("已认领", 74), ("未认领", 5152))
SEED_BUNDLES = 75
SEED_SUB_ITEMS = 167

TYPE_CODES = {
    "行政许可": 1,
    "行政处罚": 2,
    "行政强制": 3,
    "行政征收": 4,
    "行政给付": 5,
    "行政检查": 6,
    "行政确认": 7,
    "行政奖励": 8,
    "行政裁决": 9,
    "其他行政权力": 10,
    "公共服务": 11,
    "行政备案": 14,
}
"""Two-digit type prefix of the synthetic basic codes."""

EX_OFFICIO_WEIGHTS = (
    ("penalty", 62),
    ("inspection", 13),
    ("coercion", 11),
    ("levy", 3),
    ("other", 11),
)

VARIANTS = {
    "penalty": ("", "（情节较重的）", "（情节严重的）", "（逾期不改正的）", "（再次违法的）"),
    "apply": ("", "（变更）", "（延续）", "（注销）", "（补办）"),
    "public": ("", "（线上办理）", "（上门服务）"),
}
"""Name suffixes used once an area's plain names are used up (real lists split items this way)."""
OTHER_VARIANTS = ("", "（专项）", "（年度）")


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights``; the parts are whole and add up to ``total``."""
    whole = sum(weights)
    quotas = [total * w for w in weights]
    parts = [q // whole for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def sub_item_total(bundles: int) -> int:
    """Sub-items for ``bundles`` bundles at the seed's ratio (half up), at least two each."""
    return max(2 * bundles, (2 * bundles * SEED_SUB_ITEMS + SEED_BUNDLES) // (2 * SEED_BUNDLES))


@dataclass
class Slot:
    """One planned item: everything decided before its guide is written."""

    id: str
    kind: str
    type: str
    name: str
    result: str
    dept: Dept
    dept_index: int
    area: Area
    status: str = "未认领"
    basic_code: str = ""
    implementation_code: str = ""


@dataclass
class Plan:
    slots: list[Slot]
    kind_counts: dict[str, int]
    status_counts: dict[str, int]
    bundles: int
    sub_items: int
    names: dict[tuple[str, str], Iterator[tuple[str, str, str]]] = field(default_factory=dict)

    def next_name(
        self, key: tuple[str, str], area: Area, category: str, seed: int
    ) -> tuple[str, str, str] | None:
        """The next unused name, or None once a small pool (not penalties) is used up."""
        if key not in self.names:
            endless = category in ("penalty", "apply", "public")
            rng = random.Random(f"{seed}:{':'.join(key)}")
            self.names[key] = _names(area, category, rng, endless=endless)
        return next(self.names[key], None)


def _candidates(area: Area, category: str) -> list[tuple[str, str, str]]:
    """(name, type, result) of every plain item name of ``category`` in ``area``."""
    actors = area.actors
    if category == "penalty":
        return [
            (f"对{a}{v}的行政处罚", "行政处罚", "行政处罚决定书")
            for a in actors
            for v in (*area.violations, *GENERIC_VIOLATIONS)
        ]
    if category == "inspection":
        return [(f"对{a}的{t}", "行政检查", "检查记录") for a in actors for t in area.inspections]
    if category == "coercion":
        return [
            (f"{m}{t}", "行政强制", "查封（扣押）决定书")
            for m in ("查封", "扣押")
            for t in area.things
        ] + [(f"对{a}逾期不缴纳罚款的加处罚款", "行政强制", "加处罚款决定书") for a in actors]
    if category == "levy":
        return [(name, "行政征收", "缴款通知书") for name in area.levies]
    if category == "other":
        return [
            (f"{x[0]}{a}{x[1]}", "其他行政权力", "处理决定书")
            for a in actors
            for x in (("对", "的约谈"), ("对", "的信用评价"), ("责令", "限期改正"))
        ]
    if category == "apply":
        return [(name, APPLY_TYPES[mark], result) for name, mark, result in area.apply]
    return [(name, "公共服务", result) for name, result in area.public]


def _names(
    area: Area, category: str, rng: random.Random, *, endless: bool
) -> Iterator[tuple[str, str, str]]:
    """Unique names: the plain ones shuffled, then with suffixes, then (if endless) numbered."""
    plain = _candidates(area, category)
    rng.shuffle(plain)
    for suffix in VARIANTS.get(category, OTHER_VARIANTS):
        for name, kind_type, result in plain:
            if suffix == "（注销）":
                result = "准予注销决定书"
            yield f"{name}{suffix}", kind_type, result
    number = 2
    while endless:
        for name, kind_type, result in plain:
            yield f"{name}（第{number}项）", kind_type, result
        number += 1


def _category_weights(area: Area) -> tuple[list[str], list[int]]:
    available = {"coercion": bool(area.things or area.actors), "levy": bool(area.levies)}
    pairs = [(c, w) for c, w in EX_OFFICIO_WEIGHTS if available.get(c, True)]
    return [c for c, _ in pairs], [w for _, w in pairs]


def _credit_code(index: int) -> str:
    """A department's 18-character unified social credit code (organ, district 150204)."""
    body = f"11150204MB{(1019 + index * 7919) % 10**7:07d}"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    check = alphabet[sum((i + 3) * alphabet.index(c) for i, c in enumerate(body)) % 31]
    return body + check


def make_plan(items: int, bundles: int, seed: int) -> Plan:
    """Decide every item's kind, department, type, name, id, codes and status."""
    rng = random.Random(seed)
    kind_counts = dict(
        zip((k for k, _ in KINDS), largest_remainder(items, [w for _, w in KINDS]), strict=True)
    )
    status_counts = dict(
        zip(
            (s for s, _ in STATUSES),
            largest_remainder(items, [w for _, w in STATUSES]),
            strict=True,
        )
    )
    plan = Plan([], kind_counts, status_counts, bundles, sub_item_total(bundles))
    dept_index = {d.id: i for i, d in enumerate(DEPARTMENTS)}
    counters: dict[str, int] = {}
    service_areas: dict[str, list[Area]] = {}
    for kind, pool in (("依申请", "apply"), ("公共服务", "public")):
        # Services are spread over the areas in proportion to how many names each offers.
        sizes = [len(getattr(area, pool)) for area in AREAS]
        shares = largest_remainder(kind_counts[kind], sizes)
        service_areas[kind] = [a for a, n in zip(AREAS, shares, strict=True) for _ in range(n)]
        rng.shuffle(service_areas[kind])
    by_area = {area.key: [d for d in DEPARTMENTS if d.area == area.key] for area in AREAS}
    for kind, count in kind_counts.items():
        for number in range(count):
            if kind == "依职权":
                # Powers belong to a department; street offices all hold the same list.
                dept = rng.choices(DEPARTMENTS, weights=[d.weight for d in DEPARTMENTS])[0]
                area = AREA_BY_KEY[dept.area]
                names, weights = _category_weights(area)
                category = rng.choices(names, weights=weights)[0]
                named = plan.next_name((dept.id, category), area, category, seed)
                if named is None:  # a small pool (levies, seizures) is used up
                    named = plan.next_name((dept.id, "penalty"), area, "penalty", seed)
            else:
                area = service_areas[kind][number]
                depts = by_area[area.key]
                dept = rng.choices(depts, weights=[d.weight for d in depts])[0]
                category = "apply" if kind == "依申请" else "public"
                named = plan.next_name((area.key, category), area, category, seed)
            assert named is not None  # penalties and services never run out
            name, item_type, result = named
            counters[dept.id] = counters.get(dept.id, 0) + 1
            index = dept_index[dept.id]
            slot = Slot(
                f"{dept.id}-{counters[dept.id]:04d}",
                kind,
                item_type,
                name,
                result,
                dept,
                index,
                area,
            )
            slot.basic_code = f"{TYPE_CODES[item_type]:02d}{index:02d}{counters[dept.id]:05d}000"
            slot.implementation_code = _credit_code(index) + slot.basic_code
            plan.slots.append(slot)
    _assign_statuses(plan, rng)
    return plan


def best_match(slots: list[Slot], keyword: str) -> Slot | None:
    """The slot named ``keyword``, else the shortest name starting with it (a variant)."""
    matches = [s for s in slots if s.name.startswith(keyword)]
    return min(matches, key=lambda s: (len(s.name), s.id)) if matches else None


def _assign_statuses(plan: Plan, rng: random.Random) -> None:
    """Claimed items come from public service and on-application items, then ex officio.

    The items the bundles are made of are published first (up to half of the published
    items), so bundles consist of the items their names promise.
    """
    applied = [s for s in plan.slots if s.kind != "依职权"]
    ex_officio = [s for s in plan.slots if s.kind == "依职权"]
    rng.shuffle(applied)
    rng.shuffle(ex_officio)
    published = plan.status_counts["已发布"]
    claimed = plan.status_counts["已认领"]
    wanted: dict[str, Slot] = {}
    for name in bundle_names(plan.bundles):
        for keyword in name.keywords:
            slot = best_match(applied, keyword)
            if slot is not None and len(wanted) < published // 2:
                wanted.setdefault(slot.id, slot)
    order = list(wanted.values()) + [s for s in applied if s.id not in wanted] + ex_officio
    for slot in order[:published]:
        slot.status = "已发布"
    for slot in order[published : published + claimed]:
        slot.status = "已认领"
