"""Reading JSON request bodies strictly: wrong content type, syntax, shape or types are 4xx."""

from __future__ import annotations

from flask import abort, jsonify, make_response, request
from werkzeug.datastructures import MultiDict


class Text:
    """A string field."""


class Flag:
    """A true/false field."""


def problem(status: int, message: str, errors: dict[str, str] | None = None):
    """Abort with a JSON body ``{"message": ..., "errors": {field: message}}``."""
    body: dict = {"message": message}
    if errors:
        body["errors"] = errors
    abort(make_response(jsonify(body), status))


def read_json(fields: dict[str, type]) -> MultiDict:
    """The request's JSON object as form data for WTForms, after checking shape and types."""
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
    errors: dict[str, str] = {}
    form = MultiDict()
    for key, value in data.items():
        kind = fields.get(key)
        if kind is None:
            errors[str(key)[:50]] = (
                f"不认识的字段“{str(key)[:50]}”。可用的字段有：{'、'.join(fields)}。"
            )
        elif value is None:
            continue
        elif kind is Flag:
            if not isinstance(value, bool):
                errors[key] = f"字段“{key}”应为 true 或 false。"
            elif value:
                form[key] = "y"
        elif not isinstance(value, str):
            errors[key] = f"字段“{key}”应为文字（带引号的字符串）。"
        elif "\x00" in value:
            errors[key] = f"字段“{key}”含有不允许的控制字符。"
        else:
            form[key] = value
    if errors:
        problem(422, "提交的内容有误，请按提示修改。", errors)
    return form


def form_errors(form) -> dict[str, str]:
    """The first message of each invalid field."""
    return {name: messages[0] for name, messages in form.errors.items() if messages}
