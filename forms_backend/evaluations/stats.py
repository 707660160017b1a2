"""好差评 statistics: counts and 好评率 per window, department and month; window stars.

One grouped scan of the evaluations (window × department × month × level, with the sums of
the five dimension scores) feeds every figure; the rest is arithmetic in Python.

A window's star rating averages each of the five dimensions over its evaluations (an evaluation
that did not score a dimension counts with its overall level), then takes the mean of the five
dimension averages, rounded half up to 1–5 stars.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..catalog_access import catalog
from ..extensions import db
from .models import Evaluation, FollowUp, FollowUpStatus
from .rules import DIMENSIONS, LEVELS, POSITIVE_MIN, positive_rate, stars


@dataclass
class Tally:
    total: int = 0
    positive: int = 0
    sums: dict[str, float] = field(default_factory=lambda: dict.fromkeys(DIMENSIONS, 0.0))

    def add(self, level: int, count: int, sums: list) -> None:
        self.total += count
        if level >= POSITIVE_MIN:
            self.positive += count
        for key, value in zip(DIMENSIONS, sums, strict=True):
            self.sums[key] += float(value or 0)

    def counts(self) -> dict:
        return {
            "total": self.total,
            "positive": self.positive,
            "negative": self.total - self.positive,
            "positive_rate": positive_rate(self.positive, self.total),
        }

    def dimension_means(self) -> dict[str, float]:
        return {key: round(value / self.total, 2) for key, value in self.sums.items()}


def _filters(month_from: str | None, month_to: str | None) -> list:
    conditions = []
    if month_from:
        conditions.append(Evaluation.month >= month_from)
    if month_to:
        conditions.append(Evaluation.month <= month_to)
    return conditions


def evaluation_stats(month_from: str | None = None, month_to: str | None = None) -> dict:
    where = _filters(month_from, month_to)
    cat = catalog()
    groups = (Evaluation.window, Evaluation.department, Evaluation.month, Evaluation.level)
    sums = [
        func.sum(func.coalesce(getattr(Evaluation, key), Evaluation.level)) for key in DIMENSIONS
    ]
    overall = Tally()
    levels: dict[int, int] = defaultdict(int)
    windows: dict[str, Tally] = defaultdict(Tally)
    window_months: dict[tuple[str, str], Tally] = defaultdict(Tally)
    departments: dict[str, Tally] = defaultdict(Tally)
    months: dict[str, Tally] = defaultdict(Tally)
    rows = db.session.execute(
        select(*groups, func.count(Evaluation.id), *sums).where(*where).group_by(*groups)
    )
    for window_id, department_id, month, level, count, *dimension_sums in rows:
        overall.add(level, count, dimension_sums)
        levels[level] += count
        months[month].add(level, count, dimension_sums)
        if window_id:
            windows[window_id].add(level, count, dimension_sums)
            window_months[(window_id, month)].add(level, count, dimension_sums)
        if department_id:
            departments[department_id].add(level, count, dimension_sums)
    follow_ups = dict(
        db.session.execute(
            select(FollowUp.status, func.count(FollowUp.id))
            .join(Evaluation)
            .where(*where)
            .group_by(FollowUp.status)
        ).all()
    )
    window_list = []
    for window_id in sorted(windows):
        tally = windows[window_id]
        means = tally.dimension_means()
        window = cat.windows.get(window_id)
        window_list.append(
            {
                "id": window_id,
                "name": window.name if window else window_id,
                **tally.counts(),
                "dimensions": {DIMENSIONS[k]: v for k, v in means.items()},
                "score": round(sum(means.values()) / len(means), 2),
                "stars": stars(means),
                "months": [
                    {"month": month, **t.counts()}
                    for (w, month), t in sorted(window_months.items())
                    if w == window_id
                ],
            }
        )
    open_states = (FollowUpStatus.OPEN, FollowUpStatus.CALLED_BACK, FollowUpStatus.RECTIFIED)
    return {
        **overall.counts(),
        "levels": {LEVELS[level]: levels.get(level, 0) for level in LEVELS},
        "windows": window_list,
        "departments": [
            {
                "id": department_id,
                "name": cat.departments[department_id].name
                if department_id in cat.departments
                else department_id,
                **departments[department_id].counts(),
            }
            for department_id in sorted(departments)
        ],
        "months": [{"month": month, **months[month].counts()} for month in sorted(months)],
        "follow_ups": {
            "open": sum(follow_ups.get(s, 0) for s in open_states),
            "replied": follow_ups.get(FollowUpStatus.REPLIED, 0),
            "closed": follow_ups.get(FollowUpStatus.CLOSED, 0),
        },
    }
