"""OpenAPI paths and schemas of the 找回 API, merged into /api/openapi.json."""

from __future__ import annotations

from ..api.openapi import _answer, _json
from ..submissions.openapi import errors

_PERSON = {
    "id_number": {"type": "string", "description": "18 位身份证号"},
    "phone": {"type": "string", "description": "11 位手机号（预约或申报时所留）"},
}

PATHS = {
    "/api/recovery/code": {
        "post": {
            "summary": "找回预约和办件：获取短信验证码（不透露是否有记录）",
            "requestBody": {
                "required": True,
                **_json({"$ref": "#/components/schemas/RecoveryRequest"}),
            },
            "responses": {
                "202": _answer(
                    "已受理；有记录时验证码已发出", {"$ref": "#/components/schemas/Notice"}
                ),
                **errors(400, 415, 422, 429),
            },
        }
    },
    "/api/recovery/verify": {
        "post": {
            "summary": "找回预约和办件：凭验证码查看本人的预约、申报和评价（已脱敏）",
            "requestBody": {
                "required": True,
                **_json({"$ref": "#/components/schemas/RecoveryVerify"}),
            },
            "responses": {
                "200": _answer("本人的记录", {"$ref": "#/components/schemas/RecoveredRecords"}),
                **errors(400, 415, 422, 429),
            },
        }
    },
}

_LIST = {"type": "array", "items": {"type": "object"}}

SCHEMAS = {
    "Notice": {
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"type": "string"}},
    },
    "RecoveryRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id_number", "phone"],
        "properties": _PERSON,
    },
    "RecoveryVerify": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id_number", "phone", "code"],
        "properties": {**_PERSON, "code": {"type": "string", "pattern": "^[0-9]{6}$"}},
    },
    "RecoveredRecords": {
        "type": "object",
        "properties": {
            "bookings": _LIST,
            "submissions": _LIST,
            "evaluations": _LIST,
            "reminders": {"type": "boolean", "description": "是否接收预约提醒短信"},
        },
    },
}
