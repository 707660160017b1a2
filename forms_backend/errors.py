"""Error pages in Chinese: JSON under /api/, HTML elsewhere. Nothing answers a bare traceback.

``ActionError`` is the one exception every feature raises when a request cannot be done (a
rule, a seat count, a state, invalid fields). It carries the HTTP status and a Chinese full
sentence; ``init_app`` registers its handler, which answers ``{"message", "errors"}`` under
/api/ and the error page elsewhere. A view that wants to show the message on its own page (a
form kept with the user's values) catches it and renders instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "请求有误，请返回上一页重试。",
    403: "您没有权限访问这个页面。",
    404: "没有找到这个页面或数据。请检查网址，或从首页重新进入。",
    405: "不支持这种请求方式。",
    413: "提交的内容太大了。请精简后重试。",
    415: "请求正文的格式不对。",
    429: "操作太频繁了，请稍后再试。",
    500: "系统出错了，我们会尽快修复。请稍后再试，或致电大厅咨询。",
}


class ActionError(Exception):
    """A request the backend refuses: ``status`` to answer with, a Chinese ``message``, and the
    fields at fault (``field`` for one, ``errors`` for several: field name → message)."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.errors = dict(errors) if errors else ({field: message} if field else {})

    def body(self) -> dict:
        """The JSON problem document (schema ``Problem`` in the OpenAPI document)."""
        return (
            {"message": self.message, "errors": self.errors}
            if self.errors
            else {"message": self.message}
        )


def refuse(status: int, message: str, errors: Mapping[str, str] | None = None) -> NoReturn:
    """Raise ``ActionError``: the short form for views and the API."""
    raise ActionError(status, message, errors=errors)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _answer(status: int, message: str):
    if _wants_json():
        return jsonify(message=message), status
    return render_template("error.html", status=status, message=message), status


def action_error(error: ActionError):
    """The answer to an ``ActionError`` nobody caught: JSON under /api/, else the error page."""
    if _wants_json():
        return jsonify(error.body()), error.status
    return render_template("error.html", status=error.status, message=error.message), error.status


def _too_large() -> str:
    """The 413 message, naming the limit of this request (submissions allow more)."""
    from .uploads import megabytes

    limit = request.max_content_length
    size = request.content_length
    if limit is None:
        return MESSAGES[413]
    sent = f"这次提交有 {megabytes(size)}，" if size else ""
    return (
        f"提交的内容太大了：{sent}超过了每次 {megabytes(limit)} 的上限，这次提交没有生效。"
        "如果附有文件，请压缩图片或降低扫描分辨率后重新提交。"
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(ActionError, action_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _answer(
            400,
            "页面已过期或表单校验码缺失，为保护您的信息，这次提交没有生效。请刷新页面后重新提交。",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:  # a view already built the answer (e.g. JSON 422)
            return error.response
        status = error.code or 500
        if status == 429:
            return _answer(429, "操作太频繁了。为防止恶意预约和查询，请过一段时间再试。")
        if status == 413:
            return _answer(413, _too_large())
        answer = _answer(status, MESSAGES.get(status, error.description or MESSAGES[400]))
        allow = dict(error.get_headers()).get("Allow")
        if allow:  # RFC 9110: a 405 lists the methods the resource allows
            response = app.make_response(answer)
            response.headers["Allow"] = allow
            return response
        return answer

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if app.testing:
            raise error
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _answer(500, MESSAGES[500])
