"""The 好差评 rules (国办发〔2019〕51号): five levels, 差评 labels, the five star dimensions."""

from __future__ import annotations

from enum import StrEnum

LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
"""Level → the official wording, best first."""
POSITIVE_MIN = 3
"""Levels 3–5 are 好评; 1–2 are 差评."""

NEGATIVE_LABELS = (
    "办事流程繁琐",
    "材料要求不清楚",
    "办理时间过长",
    "多次跑动",
    "服务态度差",
    "业务不熟练",
    "网上办理不顺畅",
    "收费不合理",
    "其他问题",
)
"""Labels an evaluator can tick for a 差评 (at least one, or a written reason)."""

DIMENSIONS = {
    "experience": "群众体验",
    "window_service": "窗口服务",
    "process": "业务流程",
    "quality": "工作质量",
    "service": "服务评价",
}
"""The five dimensions of the window star rating (窗口星级评价), each scored 1–5."""


class Channel(StrEnum):
    BOOKING = "booking"
    CASE = "case"
    ONSITE = "onsite"

    @property
    def label(self) -> str:
        return {"booking": "预约办理后评价", "case": "网上申报办结后评价", "onsite": "现场评价"}[
            self.value
        ]


def is_negative(level: int) -> bool:
    return level < POSITIVE_MIN


def positive_rate(positive: int, total: int) -> float | None:
    """好评率 as a fraction (0.975), None when there is nothing to rate."""
    return round(positive / total, 4) if total else None


def stars(dimension_means: dict[str, float]) -> int:
    """Window stars 1–5: the mean of the five dimension means, rounded half up."""
    if not dimension_means:
        return 0
    mean = sum(dimension_means.values()) / len(dimension_means)
    return max(1, min(5, int(mean + 0.5)))
