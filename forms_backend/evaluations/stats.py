"""好差评 statistics: counts and 好评率 per window, department and month; window stars.

A window's star rating averages each of the five dimensions over its evaluations (an evaluation
that did not score a dimension counts with its overall level), then takes the mean of the five
dimension averages, rounded half up to 1–5 stars.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from ..availability import catalog
from ..extensions import db
from .models import Evaluation, FollowUp, FollowUpStatus
from .rules import DIMENSIONS, LEVELS, POSITIVE_MIN, positive_rate, stars

_POSITIVE = func.sum(case((Evaluation.level >= POSITIVE_MIN, 1), else_=0))


def _filters(month_from: str | None, month_to: str | None) -> list:
    conditions = []
    if month_from:
        conditions.append(Evaluation.month >= month_from)
    if month_to:
        conditions.append(Evaluation.month <= month_to)
    return conditions


def _counts(total: int, positive: int) -> dict:
    return {
        "total": total,
        "positive": positive,
        "negative": total - positive,
        "positive_rate": positive_rate(positive, total),
    }


def evaluation_stats(month_from: str | None = None, month_to: str | None = None) -> dict:
    where = _filters(month_from, month_to)
    cat = catalog()
    total, positive = db.session.execute(
        select(func.count(Evaluation.id), func.coalesce(_POSITIVE, 0)).where(*where)
    ).one()
    levels = dict(
        db.session.execute(
            select(Evaluation.level, func.count(Evaluation.id))
            .where(*where)
            .group_by(Evaluation.level)
        ).all()
    )
    dimension_columns = [
        func.avg(func.coalesce(getattr(Evaluation, key), Evaluation.level)) for key in DIMENSIONS
    ]
    window_months: dict[str, list[dict]] = {}
    for window_id, month, count, good in db.session.execute(
        select(Evaluation.window, Evaluation.month, func.count(Evaluation.id), _POSITIVE)
        .where(*where, Evaluation.window.is_not(None))
        .group_by(Evaluation.window, Evaluation.month)
        .order_by(Evaluation.window, Evaluation.month)
    ):
        window_months.setdefault(window_id, []).append(
            {"month": month, **_counts(count, int(good or 0))}
        )
    windows = []
    for row in db.session.execute(
        select(Evaluation.window, func.count(Evaluation.id), _POSITIVE, *dimension_columns)
        .where(*where, Evaluation.window.is_not(None))
        .group_by(Evaluation.window)
        .order_by(Evaluation.window)
    ):
        window_id, count, good, *means = row
        dimensions = {
            key: round(float(mean), 2) for key, mean in zip(DIMENSIONS, means, strict=True)
        }
        window = cat.windows.get(window_id)
        windows.append(
            {
                "id": window_id,
                "name": window.name if window else window_id,
                **_counts(count, int(good or 0)),
                "dimensions": {DIMENSIONS[k]: v for k, v in dimensions.items()},
                "score": round(sum(dimensions.values()) / len(dimensions), 2),
                "stars": stars(dimensions),
                "months": window_months.get(window_id, []),
            }
        )
    departments = []
    for department_id, count, good in db.session.execute(
        select(Evaluation.department, func.count(Evaluation.id), _POSITIVE)
        .where(*where, Evaluation.department.is_not(None))
        .group_by(Evaluation.department)
        .order_by(Evaluation.department)
    ):
        department = cat.departments.get(department_id)
        departments.append(
            {
                "id": department_id,
                "name": department.name if department else department_id,
                **_counts(count, int(good or 0)),
            }
        )
    months = [
        {"month": month, **_counts(count, int(good or 0))}
        for month, count, good in db.session.execute(
            select(Evaluation.month, func.count(Evaluation.id), _POSITIVE)
            .where(*where)
            .group_by(Evaluation.month)
            .order_by(Evaluation.month)
        )
    ]
    follow_ups = dict(
        db.session.execute(
            select(FollowUp.status, func.count(FollowUp.id))
            .join(Evaluation)
            .where(*where)
            .group_by(FollowUp.status)
        ).all()
    )
    return {
        **_counts(int(total), int(positive)),
        "levels": {LEVELS[level]: levels.get(level, 0) for level in LEVELS},
        "windows": windows,
        "departments": departments,
        "months": months,
        "follow_ups": {
            "open": sum(
                follow_ups.get(s, 0)
                for s in (FollowUpStatus.OPEN, FollowUpStatus.CALLED_BACK, FollowUpStatus.RECTIFIED)
            ),
            "replied": follow_ups.get(FollowUpStatus.REPLIED, 0),
            "closed": follow_ups.get(FollowUpStatus.CLOSED, 0),
        },
    }
