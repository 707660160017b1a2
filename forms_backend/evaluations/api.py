"""JSON API: submit an evaluation, read it (and its follow-up), rate the rectification, stats."""

from __future__ import annotations

import datetime as dt

from flask import current_app, jsonify, request, url_for

from .. import clock
from ..cors import public
from ..errors import refuse
from ..extensions import rate_limit
from ..openapi import operation
from ..schemas import json_body, parse
from . import api_bp
from .actions import create_evaluation, find_evaluation, rate_rectification
from .models import Evaluation
from .rules import DIMENSIONS, LEVELS, Channel
from .schemas import EvaluationOut, EvaluationRequest, RatingRequest, StatsOut, StatsQuery
from .stats import evaluation_stats


def evaluation_json(evaluation: Evaluation) -> dict:
    """The ``EvaluationOut`` answer."""
    follow_up = evaluation.follow_up
    return {
        "reference": evaluation.reference,
        "channel": evaluation.channel,
        "level": evaluation.level,
        "level_label": LEVELS[evaluation.level],
        "labels": evaluation.label_list,
        "reason": evaluation.reason,
        "dimensions": {key: getattr(evaluation, key) for key in DIMENSIONS},
        "window": evaluation.window,
        "item": evaluation.item,
        "created_at": evaluation.created_at.isoformat(),
        "follow_up": None
        if follow_up is None
        else {
            "status": follow_up.status,
            "status_label": follow_up.status_enum.label,
            "due": follow_up.due.isoformat(),
            "reply": follow_up.reply,
            "rectification": follow_up.rectification if follow_up.reply else None,
            "rating": follow_up.rating,
        },
        "links": {"self": url_for("evaluations_api.evaluation", reference=evaluation.reference)},
    }


@api_bp.post("/evaluations")
@rate_limit("evaluation")
@operation(
    "好差评：预约办理后、网上申报办结后或现场评价",
    body=EvaluationRequest,
    responses={201: EvaluationOut},
    errors=(404, 409, 503),
    description="404：预约或申报没有找到；409：尚未办理完成、已评价过，或排队号今天已用过。",
)
def create():
    evaluation = create_evaluation(parse(EvaluationRequest, json_body()))
    body = evaluation_json(evaluation)
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = body["links"]["self"]
    return response


def _found(reference: str) -> Evaluation:
    evaluation = find_evaluation(reference.strip().upper())
    if evaluation is None:
        refuse(404, "没有找到这条评价。请核对评价编号（8 位字母和数字）后重试。")
    return evaluation


@api_bp.get("/evaluations/<reference>")
@rate_limit("lookup")
@operation("凭评价编号查看评价和差评整改进展", responses={200: EvaluationOut}, errors=(404,))
def evaluation(reference: str):
    """The evaluation and its follow-up (the reply), by its own reference."""
    return jsonify(evaluation_json(_found(reference)))


@api_bp.post("/evaluations/<reference>/rating")
@rate_limit("lookup")
@operation(
    "评价差评的整改结果（收到答复后一次）",
    body=RatingRequest,
    responses={200: EvaluationOut},
    errors=(404, 409),
)
def rating(reference: str):
    """The evaluator rates the rectification: ``{"rating": 1..5, "comment": "..."}``."""
    found = _found(reference)
    answer = parse(RatingRequest, json_body())
    if found.follow_up is None:
        refuse(409, "这条评价不是差评，没有整改需要评价。")
    rate_rectification(found.follow_up, answer.rating, answer.comment or None)
    return jsonify(evaluation_json(found))


@api_bp.get("/stats/evaluations")
@public
@operation(
    "好差评统计（公开，供办事指南的数据统计页）", query=StatsQuery, responses={200: StatsOut}
)
def stats():
    """Public statistics for the static site (CORS for ``SITE_ORIGIN``)."""
    query = parse(StatsQuery, request.args.to_dict(), message="查询参数有误，请按提示修改。")
    seconds = int(current_app.config["STATS_CACHE_SECONDS"])
    body = _cached_stats(query.month_from, query.month_to, seconds)
    response = jsonify(body)
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    return response


def _cached_stats(month_from: str | None, month_to: str | None, seconds: int) -> dict:
    """The statistics, recomputed at most every ``seconds`` per worker (0: always)."""
    cache = current_app.extensions.setdefault("banshi_stats_cache", {})
    now = clock.now()
    key = (month_from, month_to)
    hit = cache.get(key)
    if seconds > 0 and hit is not None and hit[0] > now:
        return hit[1]
    body = evaluation_stats(month_from, month_to)
    body["channels"] = {c.value: c.label for c in Channel}
    body["generated_at"] = now.isoformat()
    if seconds > 0:
        cache[key] = (now + dt.timedelta(seconds=seconds), body)
    return body
