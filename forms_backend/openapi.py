"""The OpenAPI 3.1 document at /api/openapi.json, generated from the request and response models.

Each JSON endpoint states its models once, with ``@operation(...)`` on the view; the document is
assembled here by walking the app's URL map, so this module imports no feature (features import
it) and nothing is written twice.

    @bp.post("/bookings")
    @operation("预约一个时段", body=BookingRequest, responses={201: BookingOut}, errors=(403, 409))
    def create(): ...
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, jsonify
from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from .schemas import Problem, Reference

REF = "#/components/schemas/{model}"
ERRORS = {
    400: "正文不是有效的 JSON 对象",
    403: "不允许（例如因多次未到暂停预约）",
    404: "没有找到",
    409: "与当前状态冲突（时段已满、每人每天一次、已评价过、状态不允许等）",
    413: "正文太大",
    415: "正文不是 JSON",
    422: "字段有误（errors 里逐项说明）",
    429: "请求过于频繁",
    503: "暂时无法保存，请稍后重试",
}
PATH_PARAMETERS: dict[str, tuple[Any, str]] = {
    "reference": (Reference, "编号"),
    "item_id": (str, "事项标识"),
    "target": (str, "事项或套餐标识"),
    "hall_id": (str, "大厅标识"),
    "token": (str, "取号单上的随机标识"),
    "counter_id": (str, "柜台编号（内部 id，数字）"),
    "action": (str, "柜台操作：call、recall、skip 或 finish"),
}
"""The schema and description of each path parameter name used by the JSON routes."""


@dataclass(frozen=True)
class Operation:
    """What one JSON endpoint takes and answers."""

    summary: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    responses: dict[int, type[BaseModel] | None] = field(default_factory=dict)
    errors: tuple[int, ...] = ()
    description: str | None = None
    content: dict[str, dict] | None = None
    """A request body other than a JSON ``body`` model (multipart), as OpenAPI content."""
    headers: tuple[dict, ...] = ()
    """Extra parameters (request headers), as OpenAPI parameter objects."""


def operation(
    summary: str,
    *,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    responses: dict[int, type[BaseModel] | None] | None = None,
    errors: Iterable[int] = (),
    description: str | None = None,
    content: dict[str, dict] | None = None,
    headers: Iterable[dict] = (),
) -> Callable:
    """Describe a JSON view: its body or query model, its answers (status → model) and the
    error statuses it can give besides 422 (always listed when there is a body or query)."""
    codes = set(errors)
    if body is not None or query is not None or content is not None:
        codes.add(422)
    if body is not None:
        codes |= {400, 415}
    spec = Operation(
        summary,
        body,
        query,
        dict(responses or {200: None}),
        tuple(sorted(codes)),
        description,
        content,
        tuple(headers),
    )

    def mark(view: Callable) -> Callable:
        view.openapi = spec  # type: ignore[attr-defined]
        return view

    return mark


def operations(app: Flask) -> Iterable[tuple[str, str, Operation]]:
    """(OpenAPI path, method, operation) of every described route."""
    for rule in app.url_map.iter_rules():
        spec = getattr(app.view_functions.get(rule.endpoint), "openapi", None)
        if spec is None:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield path, method.lower(), spec


def document(app: Flask | None = None) -> dict:
    """The whole document (built once per app)."""
    app = app or current_app
    cached = app.extensions.get("banshi_openapi")
    if cached is None:
        cached = app.extensions["banshi_openapi"] = _build(app)
    return cached


def _build(app: Flask) -> dict:
    found = list(operations(app))
    models: dict[tuple[type[BaseModel], str], None] = {(Problem, "serialization"): None}
    for _path, _method, spec in found:
        if spec.body is not None:
            models[(spec.body, "validation")] = None
        for model in spec.responses.values():
            if model is not None:
                models[(model, "serialization")] = None
    refs, defs = models_json_schema(list(models), ref_template=REF)
    schemas = defs.get("$defs", {})
    paths: dict[str, dict] = {}
    for path, method, spec in found:
        paths.setdefault(path, {})[method] = _operation(path, spec, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "banshi 政务服务接口",
            "version": "1.0",
            "description": (
                "预约办理、延时服务和帮办代办；一表申报；好差评；悉心听。"
                "所有时间为北京时间（+08:00）。错误一律为 Problem：message 是中文说明，"
                "errors 逐项说明出错的字段。"
            ),
        },
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items()))},
    }


def _operation(path: str, spec: Operation, refs: dict) -> dict:
    problem = refs[(Problem, "serialization")]
    answer: dict[str, Any] = {"summary": spec.summary}
    if spec.description:
        answer["description"] = spec.description
    parameters = [_path_parameter(name) for name in re.findall(r"{([^}]+)}", path)]
    if spec.query is not None:
        parameters += _query_parameters(spec.query)
    parameters += list(spec.headers)
    if parameters:
        answer["parameters"] = parameters
    content: dict[str, Any] = {}
    if spec.body is not None:
        content["application/json"] = {"schema": refs[(spec.body, "validation")]}
    content.update(spec.content or {})
    if content:
        answer["requestBody"] = {"required": True, "content": content}
    responses: dict[str, Any] = {}
    for status, model in sorted(spec.responses.items()):
        entry: dict[str, Any] = {"description": (model.__doc__ or "成功").strip().splitlines()[0]}
        if model is not None:
            schema = refs[(model, "serialization")]
            entry["content"] = {"application/json": {"schema": schema}}
        responses[str(status)] = entry
    for status in (*spec.errors, 429):
        responses.setdefault(
            str(status),
            {
                "description": ERRORS.get(status, "出错"),
                "content": {"application/json": {"schema": problem}},
            },
        )
    answer["responses"] = responses
    return answer


def _path_parameter(name: str) -> dict:
    kind, description = PATH_PARAMETERS.get(name, (str, name))
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": TypeAdapter(kind).json_schema(),
    }


def _query_parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        entry = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if prop.get("title"):
            entry["description"] = prop["title"]
        parameters.append(entry)
    return parameters


def init_app(app: Flask) -> None:
    """Serve the document at /api/openapi.json."""

    @operation("本接口的 OpenAPI 3.1 文档", responses={200: None})
    def openapi_json():
        return jsonify(document())

    app.add_url_rule("/api/openapi.json", "openapi", openapi_json)
