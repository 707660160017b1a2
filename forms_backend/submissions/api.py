"""JSON API: the form of a target, submitting (JSON or multipart) and the status lookup."""

from __future__ import annotations

import json

from flask import jsonify, request, url_for

from ..catalog_access import catalog
from ..errors import refuse
from ..extensions import rate_limit
from ..openapi import operation
from ..schemas import INVALID, check, json_body, parse
from ..uploads import accepts_uploads
from . import api_bp
from .actions import create_submission, find_submission, submit_correction
from .formspec import FormSpec, find_target, questions
from .intake import FORM_KEY, correction_spec, read_fields, read_uploads, spec_for
from .models import Submission
from .schemas import (
    MULTIPART,
    CorrectionRequest,
    FormOut,
    PhoneDigits,
    StatusLookup,
    SubmissionOut,
    SubmissionRequest,
)

IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "8 到 80 位字母、数字、下划线或连字符；同一键同一内容返回第一次的申报。",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,80}$"},
}


def _read_body() -> tuple[dict, dict[str, list]]:
    """The submission document and the uploaded files (multipart only)."""
    if request.mimetype == "application/json":
        return json_body(), {}
    if request.mimetype != "multipart/form-data":
        refuse(
            415,
            "请求正文应为 JSON（Content-Type: application/json），带文件时用 multipart/form-data。",
        )
    raw = request.form.get("payload")
    extra = [k for k in request.form if k != "payload"]
    if raw is None or extra:
        refuse(
            400,
            "multipart 请求应有一个名为 payload 的部分（内容为 JSON），其余部分是以材料键命名的文件。",
        )
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        refuse(400, "请求正文不是有效的 JSON。请检查引号、逗号和括号是否成对。")
    if not isinstance(data, dict):
        refuse(400, f"请求正文应为 JSON 对象（以 {{ 开头），收到的是 {type(data).__name__}。")
    files = {key: request.files.getlist(key) for key in request.files}
    return {key: value for key, value in data.items() if value is not None}, files


def form_json(spec: FormSpec) -> dict:
    """The ``ApplyFormOut`` part of ``FormOut``."""
    return {
        "target": spec.target_id,
        "kind": spec.target_kind,
        "name": spec.name,
        "answers": dict(spec.answers),
        "items": [{"id": i.id, "name": i.name, "department": i.department} for i in spec.items],
        "fields": [
            {
                "key": f.key,
                "label": f.label,
                "type": f.type.value,
                "required": f.required,
                "choices": list(f.choices or []),
                "max_length": f.max_length,
                "help": f.help,
            }
            for f in spec.fields
        ],
        "uploads": [
            {
                "key": u.key,
                "label": u.label,
                "required": u.required,
                "hint": u.hint,
                "items": list(u.items),
            }
            for u in spec.uploads
        ],
        "paper": [{"name": m.name, "hint": m.hint, "items": list(m.items)} for m in spec.paper],
        "phone_field": spec.phone_key,
    }


@api_bp.get("/forms/<target_id>")
@operation(
    "网上申报：要回答的情形，全部回答后给出申报表",
    responses={200: FormOut},
    errors=(404, 422),
    description="查询参数为 情形标识=选项标识；哪些情形要回答取决于目录和已给出的回答。",
)
def form_of(target_id: str):
    """The situations to answer now; once every one that matters is answered, the form."""
    target = find_target(catalog(), target_id)
    if target is None:
        refuse(404, f"没有找到可以网上申报的事项或一件事“{target_id[:80]}”。")
    asked = questions(catalog(), target, dict(request.args.items()))
    if asked.invalid:
        refuse(422, "情形的回答有误，请按提示修改。", dict(asked.invalid))
    body = {
        "target": target.id,
        "name": target.name,
        "situations": [
            {
                "id": s.id,
                "question": s.question,
                "options": [{"id": o.id, "label": o.label} for o in s.options],
                "answer": asked.answers.get(s.id),
            }
            for s in asked.ask
        ],
        "missing": list(asked.missing),
        "form": None,
    }
    if asked.complete:
        spec, _problems = spec_for(target, asked.answers)
        body["form"] = form_json(spec)
    return jsonify(body)


@api_bp.post("/submissions")
@accepts_uploads
@rate_limit("submission")
@operation(
    "一表申报：提交申报表和材料（JSON，或 multipart：payload + 文件）",
    body=SubmissionRequest,
    content=MULTIPART,
    headers=(IDEMPOTENCY_HEADER,),
    responses={201: SubmissionOut},
    errors=(409, 413, 503),
    description="409：同一幂等键的内容不同；413：文件总大小超出上限。",
)
def create():
    data, files = _read_body()
    header_key = request.headers.get("Idempotency-Key")
    if header_key is not None:
        data = {**data, "idempotency_key": header_key}
    document, errors = check(SubmissionRequest, data)
    if document is None:
        refuse(422, INVALID, errors)
    target = find_target(catalog(), document.target)
    if target is None:
        refuse(
            422,
            INVALID,
            {"target": f"没有找到可以网上申报的事项或一件事“{document.target[:80]}”。"},
        )
    spec, problems = spec_for(target, document.answers)
    if spec is None:
        refuse(
            422, "情形的回答有误，请按提示修改。", {f"answers.{k}": v for k, v in problems.items()}
        )
    intake = read_fields(spec, document.fields, html=False)
    errors = {f"fields.{k}": v for k, v in intake.errors.items()}
    uploaded = read_uploads(spec, files)
    for upload_key, message in uploaded.errors.items():
        errors[FORM_KEY if upload_key == FORM_KEY else f"files.{upload_key}"] = message
    if errors:
        if set(errors) == {FORM_KEY}:
            refuse(413, errors[FORM_KEY])
        refuse(422, INVALID, errors)
    submission, replayed = create_submission(
        spec,
        intake.values,
        uploaded.files,
        document.idempotency_key or None,
        {item.id: item.department for item in spec.items},
    )
    response = jsonify(submission_json(submission))
    response.status_code = 201
    response.headers["Location"] = url_for(
        "submissions_api.submission", reference=submission.reference
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def submission_json(submission: Submission) -> dict:
    """The ``SubmissionOut`` answer."""
    items = catalog().items
    departments = catalog().departments
    return {
        "reference": submission.reference,
        "target": submission.target,
        "status": submission.status,
        "status_label": submission.status_label,
        "created_at": submission.created_at.isoformat(),
        "concluded_at": submission.concluded_at.isoformat() if submission.concluded_at else None,
        "phone": submission.phone_masked,
        "cases": [
            {
                "item": c.item,
                "item_name": items[c.item].name if c.item in items else c.item,
                "department": c.department,
                "department_name": departments[c.department].name
                if c.department in departments
                else c.department,
                "status": c.status,
                "status_label": c.status_enum.label,
                "return_reason": c.return_reason,
                "refusal_reason": c.refusal_reason,
                "due": c.due.isoformat() if c.due else None,
            }
            for c in submission.cases
        ],
        "files": [
            {"key": f.upload_key, "label": f.label, "filename": f.filename, "size": f.size}
            for f in submission.files
        ],
    }


def _authorised(reference: str, phone_last4: str | None) -> Submission:
    data = {"reference": reference}
    if phone_last4 is not None:
        data["phone_last4"] = phone_last4
    found = parse(StatusLookup, data, message="查询信息有误，请按提示修改。")
    submission = find_submission(found.reference, found.phone_last4)
    if submission is None:
        refuse(404, "没有找到这份申报：申报编号或手机号后 4 位不对。请核对后重试。")
    return submission


@api_bp.get("/submissions/<reference>")
@rate_limit("lookup")
@operation(
    "凭申报编号和手机号后 4 位查看办理状态",
    query=PhoneDigits,
    responses={200: SubmissionOut},
    errors=(404,),
)
def submission(reference: str):
    return jsonify(submission_json(_authorised(reference, request.args.get("phone_last4"))))


@api_bp.post("/submissions/<reference>/correction")
@accepts_uploads
@rate_limit("submission")
@operation(
    "补正：退回后补充说明和材料（JSON，或 multipart：payload + 文件）",
    body=CorrectionRequest,
    content=MULTIPART,
    responses={200: SubmissionOut},
    errors=(404, 409, 413, 503),
    description="409：没有被退回的办件。",
)
def correction(reference: str):
    """补正: ``{"phone_last4", "note"}`` as JSON, or multipart with that payload and files."""
    data, files = _read_body()
    body = parse(CorrectionRequest, data)
    found = _authorised(reference, body.phone_last4)
    checked = []
    spec = correction_spec(found)
    if spec is not None:
        uploaded = read_uploads(spec, files)
        if uploaded.errors:
            refuse(
                422,
                INVALID,
                {f"files.{k}" if k != FORM_KEY else k: v for k, v in uploaded.errors.items()},
            )
        checked = uploaded.files
    submit_correction(found, body.note or None, checked)
    return jsonify(submission_json(found))
