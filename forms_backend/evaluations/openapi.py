"""OpenAPI paths and schemas of the 好差评 API, merged into /api/openapi.json."""

from __future__ import annotations

from ..api.openapi import _answer, _json, _param
from ..submissions.openapi import errors
from .rules import DIMENSIONS, NEGATIVE_LABELS

EVALUATION_REF = _param(
    "reference", "path", "评价编号：8 位，不含 0、1、I、L、O", pattern="^[2-9A-HJKMNP-Z]{8}$"
)
EVALUATION = {"$ref": "#/components/schemas/Evaluation"}
MONTH = {"pattern": "^\\d{4}-(0[1-9]|1[0-2])$"}

PATHS = {
    "/api/evaluations": {
        "post": {
            "summary": "好差评：预约办理后、网上申报办结后（每个办件一次）或现场（每次办理一次，可匿名）",
            "requestBody": {
                "required": True,
                **_json({"$ref": "#/components/schemas/EvaluationRequest"}),
            },
            "responses": {
                "201": _answer("评价已保存；差评同时生成整改单", EVALUATION),
                **errors(400, 404, 409, 415, 422, 429),
            },
        }
    },
    "/api/evaluations/{reference}": {
        "get": {
            "summary": "查看评价和差评整改答复（凭评价编号）",
            "parameters": [EVALUATION_REF],
            "responses": {"200": _answer("评价", EVALUATION), **errors(404, 429)},
        }
    },
    "/api/evaluations/{reference}/rating": {
        "post": {
            "summary": "评价人评价整改结果（答复之后）",
            "parameters": [EVALUATION_REF],
            "requestBody": {
                "required": True,
                **_json(
                    {
                        "type": "object",
                        "required": ["rating"],
                        "additionalProperties": False,
                        "properties": {
                            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
                            "comment": {"type": "string", "maxLength": 500},
                        },
                    }
                ),
            },
            "responses": {
                "200": _answer("已评价", EVALUATION),
                **errors(400, 404, 409, 415, 422, 429),
            },
        }
    },
    "/api/stats/evaluations": {
        "get": {
            "summary": "好差评统计（公开；供办事指南网站统计页使用，允许 SITE_ORIGIN 跨域读取）",
            "parameters": [
                _param("from", "query", "起始月份 YYYY-MM", required=False, **MONTH),
                _param("to", "query", "截止月份 YYYY-MM", required=False, **MONTH),
            ],
            "responses": {
                "200": _answer(
                    "按窗口、部门、月份的评价数和好评率，窗口星级",
                    {"$ref": "#/components/schemas/EvaluationStats"},
                ),
                **errors(422),
            },
        }
    },
}

_COUNTS = {
    "total": {"type": "integer"},
    "positive": {"type": "integer", "description": "好评（基本满意及以上）"},
    "negative": {"type": "integer", "description": "差评（不满意、非常不满意）"},
    "positive_rate": {"type": ["number", "null"], "description": "好评率，0 到 1"},
}

SCHEMAS = {
    "EvaluationRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["channel", "level"],
        "properties": {
            "channel": {"type": "string", "enum": ["booking", "case", "onsite"]},
            "reference": {"type": "string", "description": "booking：预约号；case：申报编号"},
            "phone_last4": {"type": "string", "description": "booking、case 必填"},
            "item": {"type": "string", "description": "case：要评价的办件的事项标识；onsite：选填"},
            "window": {"type": "string", "description": "onsite 必填：窗口标识"},
            "ticket": {"type": "string", "description": "onsite 必填：排队号，如 A012"},
            "contact_phone": {"type": "string", "description": "onsite 选填：不填即匿名"},
            "level": {
                "type": "integer",
                "minimum": 1,
                "maximum": 5,
                "description": "5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意",
            },
            "labels": {
                "type": "array",
                "items": {"type": "string", "enum": list(NEGATIVE_LABELS)},
                "description": "差评（1、2）时必须有标签或 reason",
            },
            "reason": {"type": "string", "maxLength": 500},
            "dimensions": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    key: {"type": "integer", "minimum": 1, "maximum": 5, "description": label}
                    for key, label in DIMENSIONS.items()
                },
            },
        },
    },
    "Evaluation": {
        "type": "object",
        "properties": {
            "reference": {"type": "string"},
            "channel": {"type": "string"},
            "level": {"type": "integer"},
            "level_label": {"type": "string"},
            "labels": {"type": "array", "items": {"type": "string"}},
            "reason": {"type": ["string", "null"]},
            "follow_up": {
                "type": ["object", "null"],
                "description": "差评整改：status、due（答复期限）、reply、rectification、rating",
            },
        },
    },
    "EvaluationStats": {
        "type": "object",
        "properties": {
            **_COUNTS,
            "levels": {"type": "object", "additionalProperties": {"type": "integer"}},
            "windows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        **_COUNTS,
                        "dimensions": {"type": "object"},
                        "score": {"type": "number"},
                        "stars": {"type": "integer", "minimum": 1, "maximum": 5},
                        "months": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
            "departments": {"type": "array", "items": {"type": "object"}},
            "months": {"type": "array", "items": {"type": "object"}},
            "follow_ups": {"type": "object"},
        },
    },
}
