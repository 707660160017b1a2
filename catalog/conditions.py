"""Situational conditions (``when``) in plain words, for the guide pages and the backend alike."""

from __future__ import annotations

from collections.abc import Sequence

from .item import Condition, Situation

__all__ = ["condition_text"]


def condition_text(condition: Condition | None, situations: Sequence[Situation]) -> str:
    """Plain words for a condition: 仅当“是否委托他人代办？”选“委托他人办理”时需要."""
    if not condition:
        return ""
    by_id = {s.id: s for s in situations}
    parts = []
    for sid, options in condition.items():
        situation = by_id.get(sid)
        if situation is None:
            continue
        labels = {o.id: o.label for o in situation.options}
        chosen = "或".join(f"“{labels.get(o, o)}”" for o in options)
        parts.append(f"“{situation.question}”选{chosen}")
    return f"仅当{'，且'.join(parts)}时需要" if parts else ""
