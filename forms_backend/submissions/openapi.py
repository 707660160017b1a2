"""OpenAPI paths and schemas of the one-form (一表申报) API, merged into /api/openapi.json."""

from __future__ import annotations

from ..api.openapi import _answer, _param

PROBLEM = {"$ref": "#/components/schemas/Problem"}
ERROR_TEXT = {
    400: "正文不是有效的 JSON 对象，或 multipart 缺少 payload",
    404: "没有找到",
    409: "状态不允许，或幂等键已用于不同内容",
    413: "上传文件合计超过上限",
    415: "正文既不是 JSON 也不是 multipart",
    422: "字段有误（errors 里逐项说明）",
    429: "请求过于频繁",
    503: "暂时无法保存，未生效",
}


def errors(*codes: int) -> dict:
    return {str(code): _answer(ERROR_TEXT[code], PROBLEM) for code in codes}


SUBMISSION_REF = _param(
    "reference", "path", "申报编号：8 位，不含 0、1、I、L、O", pattern="^[2-9A-HJKMNP-Z]{8}$"
)

PATHS = {
    "/api/forms/{target_id}": {
        "get": {
            "summary": "一表申报的表单：先给当前需要回答的情形（missing）；以查询参数回答完后给出字段和材料上传项",
            "parameters": [_param("target_id", "path", "事项或一件事的标识")],
            "responses": {
                "200": _answer(
                    "情形和（回答全部情形后的）表单", {"$ref": "#/components/schemas/ApplyForm"}
                ),
                **errors(404, 422),
            },
        }
    },
    "/api/submissions": {
        "post": {
            "summary": "提交一表申报（JSON，或带文件时 multipart：payload 部分为 JSON，文件部分以材料键命名）",
            "parameters": [
                _param(
                    "Idempotency-Key",
                    "header",
                    "幂等键：同一键重复提交只生成一份申报",
                    required=False,
                )
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/SubmissionRequest"}
                    },
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["payload"],
                            "properties": {
                                "payload": {
                                    "type": "string",
                                    "description": "SubmissionRequest 的 JSON 文本",
                                }
                            },
                            "additionalProperties": {
                                "type": "string",
                                "format": "binary",
                                "description": "材料文件（PDF、JPEG、PNG），部分名为材料键",
                            },
                        }
                    },
                },
            },
            "responses": {
                "201": _answer(
                    "已受理提交，返回申报编号", {"$ref": "#/components/schemas/Submission"}
                ),
                **errors(400, 409, 413, 415, 422, 429, 503),
            },
        }
    },
    "/api/submissions/{reference}": {
        "get": {
            "summary": "查询申报进度（申报编号 + 手机号后 4 位）",
            "parameters": [SUBMISSION_REF, _param("phone_last4", "query", "手机号后 4 位")],
            "responses": {
                "200": _answer("申报及各部门办件状态", {"$ref": "#/components/schemas/Submission"}),
                **errors(404, 422, 429),
            },
        }
    },
}

PATHS["/api/submissions/{reference}/correction"] = {
    "post": {
        "summary": "补正：对被退回的办件提交补正说明和/或材料，办件重新进入待受理",
        "parameters": [SUBMISSION_REF],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["phone_last4"],
                        "additionalProperties": False,
                        "properties": {
                            "phone_last4": {"type": "string"},
                            "note": {"type": "string", "maxLength": 500},
                        },
                    }
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["payload"],
                        "properties": {"payload": {"type": "string"}},
                        "additionalProperties": {"type": "string", "format": "binary"},
                    }
                },
            },
        },
        "responses": {
            "200": _answer("已补正", {"$ref": "#/components/schemas/Submission"}),
            **errors(400, 404, 409, 413, 415, 422, 429, 503),
        },
    }
}

SCHEMAS = {
    "ApplyForm": {
        "type": "object",
        "properties": {
            "target": {"type": "string"},
            "name": {"type": "string"},
            "situations": {"type": "array", "items": {"type": "object"}},
            "missing": {
                "type": "array",
                "items": {"type": "string"},
                "description": "还需回答的情形",
            },
            "form": {
                "type": ["object", "null"],
                "description": "回答全部情形后才有：fields、uploads、items、phone_field",
            },
        },
    },
    "SubmissionRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["target", "fields"],
        "properties": {
            "target": {"type": "string", "description": "事项或一件事的标识"},
            "answers": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "情形标识 → 选项标识（必须回答全部情形）",
            },
            "fields": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "字段标识 → 值；只接受表单声明的字段",
            },
            "idempotency_key": {"type": "string", "description": "也可用请求头 Idempotency-Key"},
        },
    },
    "Submission": {
        "type": "object",
        "properties": {
            "reference": {"type": "string"},
            "target": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["submitted", "in_progress", "returned", "concluded"],
            },
            "status_label": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "concluded_at": {"type": ["string", "null"], "format": "date-time"},
            "phone": {"type": "string", "description": "遮蔽后的手机号"},
            "cases": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "item": {"type": "string"},
                        "department": {"type": "string"},
                        "status": {
                            "type": "string",
                            "enum": ["submitted", "accepted", "returned", "concluded"],
                        },
                        "return_reason": {"type": ["string", "null"]},
                        "due": {"type": ["string", "null"], "format": "date"},
                    },
                },
            },
            "files": {"type": "array", "items": {"type": "object"}},
        },
    },
}
