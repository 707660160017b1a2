"""Error pages in Chinese: JSON under /api/, HTML elsewhere. Nothing answers a bare traceback."""

from __future__ import annotations

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


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _answer(status: int, message: str):
    if _wants_json():
        return jsonify(message=message), status
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
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
        return _answer(status, MESSAGES.get(status, error.description or MESSAGES[400]))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if app.testing:
            raise error
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _answer(500, MESSAGES[500])
