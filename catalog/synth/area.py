"""An area of government work: the words synthetic items of that area are built from.

Each area lists who is regulated (actors), what they may do wrong (violations), what is checked,
seized or levied, and the on-application and public-service items of that area, with the laws
behind them. Words are separated by whitespace so the tables stay short; Chinese terms never
contain spaces.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLY_TYPES = {
    "许": "行政许可",
    "确": "行政确认",
    "给": "行政给付",
    "裁": "行政裁决",
    "奖": "行政奖励",
    "备": "行政备案",
    "他": "其他行政权力",
}
"""Short marks used in :attr:`Area.apply` for on-application item types."""


@dataclass(frozen=True)
class Area:
    """One area of government work with the words its items are built from."""

    key: str
    window: str
    themes: tuple[str, ...]
    audience: str
    actors: tuple[str, ...]
    violations: tuple[str, ...]
    inspections: tuple[str, ...]
    things: tuple[str, ...]
    levies: tuple[str, ...]
    apply: tuple[tuple[str, str, str], ...]
    """(name, type mark, result name) of on-application items."""
    public: tuple[tuple[str, str], ...]
    """(name, result name) of public services."""
    materials: tuple[str, ...]
    laws: tuple[str, ...]


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def rows(text: str, width: int) -> tuple[tuple[str, ...], ...]:
    rows = []
    for line in text.strip().splitlines():
        parts = tuple(part.strip() for part in line.split("|"))
        assert len(parts) == width, line
        rows.append(parts)
    return tuple(rows)


def area(key: str, window: str, themes: str, audience: str, **pools: str) -> Area:
    return Area(
        key=key,
        window=window,
        themes=words(themes),
        audience=audience,
        actors=words(pools["actors"]),
        violations=words(pools["violations"]),
        inspections=words(pools.get("inspections", "日常监督检查 专项检查")),
        things=words(pools.get("things", "")),
        levies=words(pools.get("levies", "")),
        apply=rows(pools.get("apply", ""), 3),  # type: ignore[arg-type]
        public=rows(pools.get("public", ""), 2),  # type: ignore[arg-type]
        materials=words(pools["materials"]),
        laws=words(pools["laws"]),
    )


GENERIC_VIOLATIONS = words(
    """
    拒绝、阻碍执法人员依法实施监督检查
    伪造、变造、出租、出借、转让许可证件
    以欺骗、贿赂等不正当手段取得行政许可
    隐瞒有关情况或者提供虚假材料申请行政许可
    未按规定办理变更手续
    超出许可范围从事相关活动
    未按规定建立和保存相关记录
    未按规定报送有关信息
    逾期不改正违法行为
    """
)
"""Violations any regulated actor can commit."""

GENERIC_MATERIALS = words(
    """
    申请表 居民身份证 授权委托书 代理人居民身份证 营业执照 法定代表人身份证明
    承诺书 场所使用证明 近期免冠照片 户口簿 相关证明材料
    """
)
"""Materials that many items ask for; area materials are added to them."""
