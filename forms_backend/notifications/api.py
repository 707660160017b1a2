"""找回 as JSON: ``POST /api/recovery/code`` then ``POST /api/recovery/verify``."""

from __future__ import annotations

from dataclasses import asdict

from flask import jsonify
from flask_limiter.util import get_remote_address

from ..extensions import rate_limit
from ..openapi import operation
from ..schemas import json_body, parse
from . import api_bp
from .recovery import Person, request_code, verify
from .schemas import Notice, RecordsOut, RecoveryRequest, VerifyRequest


@api_bp.post("/code")
@rate_limit("recovery")
@operation(
    "找回预约和办件：获取短信验证码",
    body=RecoveryRequest,
    responses={202: Notice},
    description="答复不透露是否有记录；有记录时验证码发到这个手机。429：获取太频繁。",
)
def send_code():
    body = parse(RecoveryRequest, json_body())
    return jsonify({"message": request_code(body.id_number, body.phone, get_remote_address())}), 202


@api_bp.post("/verify")
@rate_limit("recovery")
@operation(
    "找回预约和办件：凭验证码查看本人的预约、申报和评价（已打码）",
    body=VerifyRequest,
    responses={200: RecordsOut},
    errors=(400,),
    description="400：验证码不对或已过期；429：输错 5 次后失效。",
)
def check_code():
    body = parse(VerifyRequest, json_body())
    found = verify(Person.of(body.id_number, body.phone), body.code)
    records = asdict(found)
    records["reminders"] = not records.pop("opted_out")
    records["no_shows"] = found.no_shows.as_json()  # type: ignore[union-attr]  # always set
    return jsonify(records)
