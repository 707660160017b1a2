"""OpenAPI paths and schemas of the 悉心听 API, merged into /api/openapi.json."""

from __future__ import annotations

from ..api.openapi import _answer, _json, _param
from ..submissions.openapi import errors

FEEDBACK = {"$ref": "#/components/schemas/Feedback"}

PATHS = {
    "/api/feedback": {
        "post": {
            "summary": "悉心听：表扬、投诉、咨询建议、管家服务（联系方式选填，管家服务必填）",
            "requestBody": {
                "required": True,
                **_json({"$ref": "#/components/schemas/FeedbackRequest"}),
            },
            "responses": {
                "201": _answer("已收到，返回留言编号", FEEDBACK),
                **errors(400, 415, 422, 429),
            },
        }
    },
    "/api/feedback/{reference}": {
        "get": {
            "summary": "凭留言编号查看状态和答复",
            "parameters": [
                _param(
                    "reference",
                    "path",
                    "留言编号：8 位，不含 0、1、I、L、O",
                    pattern="^[2-9A-HJKMNP-Z]{8}$",
                )
            ],
            "responses": {"200": _answer("留言和答复", FEEDBACK), **errors(404, 429)},
        }
    },
}

SCHEMAS = {
    "FeedbackRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "content"],
        "properties": {
            "kind": {"type": "string", "enum": ["praise", "complaint", "suggestion", "butler"]},
            "content": {"type": "string", "minLength": 5, "maxLength": 1000},
            "window": {"type": "string", "description": "窗口标识（选填）"},
            "item": {"type": "string", "description": "事项标识（选填）：留言转给该事项的部门"},
            "name": {"type": "string", "description": "称呼（选填）"},
            "contact_phone": {"type": "string", "description": "手机号（选填；butler 必填）"},
        },
    },
    "Feedback": {
        "type": "object",
        "properties": {
            "reference": {"type": "string"},
            "kind": {"type": "string"},
            "kind_label": {"type": "string"},
            "content": {"type": "string"},
            "status": {"type": "string", "enum": ["new", "replied"]},
            "status_label": {"type": "string"},
            "reply": {"type": ["string", "null"]},
            "replied_at": {"type": ["string", "null"], "format": "date-time"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
}
