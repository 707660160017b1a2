"""The OpenAPI 3.1 document served at /api/openapi.json (a test checks it lists every route)."""

from __future__ import annotations

_PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _answer(description: str, schema: dict | None = None) -> dict:
    return {"description": description, **(_json(schema) if schema else {})}


def _errors(*codes: int) -> dict:
    text = {
        400: "正文不是有效的 JSON 对象",
        403: "因多次未到暂停预约",
        404: "没有找到",
        409: "时段已满、每人每天一次、或状态不允许",
        415: "正文不是 JSON",
        422: "字段有误（errors 里逐项说明）",
        429: "请求过于频繁",
    }
    return {str(code): _answer(text[code], _PROBLEM) for code in codes}


def _param(name: str, where: str, description: str, required: bool = True, **schema) -> dict:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": {"type": "string", **schema},
    }


REFERENCE = _param(
    "reference", "path", "预约号：8 位，不含 0、1、I、L、O", pattern="^[2-9A-HJKMNP-Z]{8}$"
)
KIND = _param(
    "kind", "query", "预约类型", required=False, enum=["appointment", "after_hours", "assisted"]
)


def document() -> dict:
    """The whole API: bookings here, then each later feature's paths and schemas."""
    doc = _bookings_document()
    from ..features import openapi_parts

    for paths, schemas in openapi_parts():
        doc["paths"].update(paths)
        doc["components"]["schemas"].update(schemas)
    return doc


def _bookings_document() -> dict:
    booking_ref = {"$ref": "#/components/schemas/Booking"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "banshi 政务服务接口",
            "version": "1.0",
            "description": "预约办理、延时服务和帮办代办；一表申报；好差评；悉心听。所有时间为北京时间（+08:00）。",
        },
        "paths": {
            "/api/items": {
                "get": {
                    "summary": "可预约的事项及其预约类型",
                    "responses": {"200": _answer("事项列表")},
                }
            },
            "/api/slots": {
                "get": {
                    "summary": "某事项某天的预约时段与余量",
                    "parameters": [
                        _param("item", "query", "事项标识"),
                        _param("date", "query", "日期 YYYY-MM-DD", format="date"),
                        KIND,
                    ],
                    "responses": {
                        "200": _answer("时段列表", {"$ref": "#/components/schemas/SlotList"}),
                        **_errors(422, 429),
                    },
                }
            },
            "/api/items/{item_id}/next-slot": {
                "get": {
                    "summary": "最早可约时段（供办事指南网站显示“最早可约”）",
                    "parameters": [_param("item_id", "path", "事项标识"), KIND],
                    "responses": {
                        "200": _answer("最早的有余量时段", {"$ref": "#/components/schemas/Slot"}),
                        **_errors(404, 422),
                    },
                }
            },
            "/api/bookings": {
                "post": {
                    "summary": "预约",
                    "requestBody": {
                        "required": True,
                        **_json({"$ref": "#/components/schemas/BookingRequest"}),
                    },
                    "responses": {
                        "201": _answer("预约成功", booking_ref),
                        **_errors(400, 403, 409, 415, 422, 429),
                    },
                }
            },
            "/api/bookings/{reference}": {
                "get": {
                    "summary": "查询预约（预约号 + 手机号后 4 位）",
                    "parameters": [REFERENCE, _param("phone_last4", "query", "手机号后 4 位")],
                    "responses": {"200": _answer("预约", booking_ref), **_errors(404, 422, 429)},
                }
            },
            "/api/bookings/{reference}/cancel": {
                "post": {
                    "summary": "取消预约（预约时间 2 小时前）",
                    "parameters": [REFERENCE],
                    "requestBody": {
                        "required": True,
                        **_json(
                            {
                                "type": "object",
                                "required": ["phone_last4"],
                                "properties": {"phone_last4": {"type": "string"}},
                            }
                        ),
                    },
                    "responses": {
                        "200": _answer("已取消", booking_ref),
                        **_errors(400, 404, 409, 415, 422, 429),
                    },
                }
            },
            "/api/bookings/{reference}/reschedule": {
                "post": {
                    "summary": "改约：先占新时段，再释放原时段",
                    "parameters": [REFERENCE],
                    "requestBody": {
                        "required": True,
                        **_json(
                            {
                                "type": "object",
                                "required": ["phone_last4", "slot"],
                                "properties": {
                                    "phone_last4": {"type": "string"},
                                    "slot": {"type": "string", "format": "date-time"},
                                },
                            }
                        ),
                    },
                    "responses": {
                        "200": _answer("已改约", booking_ref),
                        **_errors(400, 403, 404, 409, 415, 422, 429),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {"summary": "本文档", "responses": {"200": _answer("OpenAPI 文档")}}
            },
        },
        "components": {"schemas": dict(SCHEMAS)},
    }


SCHEMAS = {
    "Problem": {
        "type": "object",
        "required": ["message"],
        "properties": {
            "message": {"type": "string", "description": "中文说明"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "字段名 → 该字段的中文错误说明",
            },
        },
    },
    "Slot": {
        "type": "object",
        "properties": {
            "slot": {"type": "string", "format": "date-time", "description": "预约时提交的值"},
            "start": {"type": "string", "format": "date-time"},
            "end": {"type": "string", "format": "date-time"},
            "window": {"type": "string"},
            "kind": {"type": "string", "enum": ["regular", "after_hours"]},
            "capacity": {"type": "integer"},
            "remaining": {"type": "integer"},
        },
    },
    "SlotList": {
        "type": "object",
        "properties": {
            "item": {"type": "string"},
            "kind": {"type": "string"},
            "date": {"type": "string", "format": "date"},
            "slots": {"type": "array", "items": {"$ref": "#/components/schemas/Slot"}},
        },
    },
    "BookingRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["item", "slot", "name", "id_number", "phone"],
        "properties": {
            "item": {"type": "string", "description": "事项标识"},
            "kind": {
                "type": "string",
                "enum": ["appointment", "after_hours", "assisted"],
                "default": "appointment",
            },
            "slot": {"type": "string", "format": "date-time", "description": "时段开始时间"},
            "name": {"type": "string", "description": "姓名，2 到 30 个字"},
            "id_number": {"type": "string", "description": "18 位居民身份证号（GB 11643 校验位）"},
            "phone": {"type": "string", "description": "11 位手机号"},
            "elderly": {"type": "boolean", "description": "帮办代办：年满 70 周岁"},
            "disabled": {"type": "boolean", "description": "帮办代办：残疾人"},
            "home_visit": {"type": "boolean", "description": "帮办代办：申请上门服务"},
            "address": {"type": "string", "description": "上门服务地址"},
            "notes": {"type": "string", "description": "需要说明的情况，最多 500 字"},
        },
    },
    "Booking": {
        "type": "object",
        "properties": {
            "reference": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["booked", "checked_in", "served", "no_show", "cancelled"],
            },
            "status_label": {"type": "string"},
            "item": {"type": "object"},
            "kind": {"type": "string"},
            "start": {"type": "string", "format": "date-time"},
            "end": {"type": "string", "format": "date-time"},
            "window": {"type": "object"},
            "name": {"type": "string", "description": "遮蔽后的姓名"},
            "id_number": {"type": "string", "description": "遮蔽后的身份证号"},
            "phone": {"type": "string", "description": "遮蔽后的手机号"},
            "assisted": {"type": "object"},
            "materials": {"type": "array", "items": {"type": "object"}},
            "links": {"type": "object"},
        },
    },
}
