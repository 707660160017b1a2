"""JSON API: submit an evaluation, read it (and its follow-up), rate the rectification, stats."""

from __future__ import annotations

import datetime as dt
import re

from flask import current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict

from .. import clock
from ..api.jsonbody import form_errors, problem
from ..cors import public
from ..extensions import rate_limit
from . import api_bp
from .actions import EvaluationError, create_evaluation, find_evaluation, rate_rectification
from .forms import EvaluationForm, RatingForm
from .models import Evaluation
from .rules import DIMENSIONS, LEVELS, Channel
from .stats import evaluation_stats

TEXT_KEYS = {
    "channel",
    "reference",
    "phone_last4",
    "item",
    "window",
    "ticket",
    "contact_phone",
    "reason",
}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _json_object() -> dict:
    if request.mimetype != "application/json":
        problem(415, "请求正文应为 JSON，并带有请求头 Content-Type: application/json。")
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        data = None
    if data is None:
        problem(400, "请求正文不是有效的 JSON。请检查引号、逗号和括号是否成对。")
    if not isinstance(data, dict):
        problem(400, f"请求正文应为 JSON 对象（以 {{ 开头），收到的是 {type(data).__name__}。")
    return data


def _score(value, name: str, errors: dict[str, str]) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors[name] = f"“{name}”应为 1 到 5 的整数。"
        return None
    return str(value)


def _evaluation_formdata(data: dict) -> MultiDict:
    errors: dict[str, str] = {}
    form = MultiDict()
    known = TEXT_KEYS | {"level", "labels", "dimensions"}
    for key, value in data.items():
        if key not in known:
            errors[str(key)[:50]] = (
                f"不认识的字段“{str(key)[:50]}”。可用的字段有：{'、'.join(sorted(known))}。"
            )
        elif key in TEXT_KEYS and value is not None:
            if not isinstance(value, str) or "\x00" in value:
                errors[key] = f"字段“{key}”应为文字（带引号的字符串）。"
            else:
                form[key] = value
    level = _score(data.get("level"), "level", errors)
    if level:
        form["level"] = level
    labels = data.get("labels")
    if labels is not None:
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            errors["labels"] = '“labels”应为文字数组，例如 ["办理时间过长"]。'
        else:
            form.setlist("labels", labels)
    dimensions = data.get("dimensions")
    if dimensions is not None:
        if not isinstance(dimensions, dict):
            errors["dimensions"] = f"“dimensions”应为 JSON 对象，键为 {'、'.join(DIMENSIONS)}。"
        else:
            for key, value in dimensions.items():
                if key not in DIMENSIONS:
                    errors[f"dimensions.{str(key)[:40]}"] = (
                        f"没有维度“{str(key)[:40]}”。可用的维度有：{'、'.join(f'{k}（{v}）' for k, v in DIMENSIONS.items())}。"
                    )
                else:
                    score = _score(value, f"dimensions.{key}", errors)
                    if score:
                        form[f"dim_{key}"] = score
    if errors:
        problem(422, "提交的内容有误，请按提示修改。", errors)
    return form


def evaluation_json(evaluation: Evaluation) -> dict:
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
def create():
    formdata = _evaluation_formdata(_json_object())
    form = EvaluationForm(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        problem(422, "提交的内容有误，请按提示修改。", form_errors(form))
    try:
        evaluation = create_evaluation(form)
    except EvaluationError as error:
        problem(error.status, error.message, {error.field: error.message} if error.field else None)
    response = jsonify(evaluation_json(evaluation))
    response.status_code = 201
    response.headers["Location"] = evaluation_json(evaluation)["links"]["self"]
    return response


def _found(reference: str) -> Evaluation:
    evaluation = find_evaluation(reference.strip().upper())
    if evaluation is None:
        problem(404, "没有找到这条评价。请核对评价编号（8 位字母和数字）后重试。")
    return evaluation


@api_bp.get("/evaluations/<reference>")
@rate_limit("lookup")
def evaluation(reference: str):
    """The evaluation and its follow-up (the reply), by its own reference."""
    return jsonify(evaluation_json(_found(reference)))


@api_bp.post("/evaluations/<reference>/rating")
@rate_limit("lookup")
def rating(reference: str):
    """The evaluator rates the rectification: ``{"rating": 1..5, "comment": "..."}``."""
    found = _found(reference)
    data = _json_object()
    errors: dict[str, str] = {}
    formdata = MultiDict()
    for key in data:
        if key not in ("rating", "comment"):
            errors[str(key)[:50]] = (
                f"不认识的字段“{str(key)[:50]}”。可用的字段有：rating、comment。"
            )
    score = _score(data.get("rating"), "rating", errors)
    if score:
        formdata["rating"] = score
    comment = data.get("comment")
    if comment is not None:
        if not isinstance(comment, str):
            errors["comment"] = "“comment”应为文字。"
        else:
            formdata["comment"] = comment
    if errors:
        problem(422, "提交的内容有误，请按提示修改。", errors)
    form = RatingForm(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        problem(422, "提交的内容有误，请按提示修改。", form_errors(form))
    if found.follow_up is None:
        problem(409, "这条评价不是差评，没有整改需要评价。")
    try:
        rate_rectification(found.follow_up, int(form.rating.data), form.comment.data or None)
    except EvaluationError as error:
        problem(error.status, error.message)
    return jsonify(evaluation_json(found))


@api_bp.get("/stats/evaluations")
@public
def stats():
    """Public statistics for the static site (CORS for ``SITE_ORIGIN``)."""
    errors: dict[str, str] = {}
    bounds = {}
    for name in ("from", "to"):
        value = request.args.get(name)
        if value is not None and not _MONTH.match(value):
            errors[name] = f"“{name}”应写作 年-月，例如 2026-11。"
        bounds[name] = value
    if errors:
        problem(422, "查询参数有误，请按提示修改。", errors)
    seconds = int(current_app.config["STATS_CACHE_SECONDS"])
    body = _cached_stats(bounds["from"], bounds["to"], seconds)
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
