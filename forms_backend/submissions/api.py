"""JSON API: the form of a target, submitting (JSON or multipart) and the status lookup."""

from __future__ import annotations

import json
import re

from flask import jsonify, request, url_for
from werkzeug.datastructures import MultiDict

from ..api.jsonbody import form_errors, problem
from ..catalog_access import catalog
from ..extensions import rate_limit
from . import api_bp
from .actions import SubmissionError, create_submission, find_submission, submit_correction
from .forms import StatusLookupForm
from .formspec import FormSpec, find_target, questions
from .intake import FORM_KEY, correction_spec, read_fields, read_uploads, spec_for
from .models import Submission

BODY_KEYS = {"target", "answers", "fields", "idempotency_key"}
_KEY = re.compile(r"^[A-Za-z0-9_-]{8,80}$")


def _string_map(value, name: str, errors: dict[str, str]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors[name] = f'“{name}”应为 JSON 对象，例如 {{"键": "值"}}。'
        return {}
    result = {}
    for key, item in value.items():
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            errors[f"{name}.{str(key)[:80]}"] = f"“{name}.{str(key)[:80]}”应为文字或数字。"
        elif isinstance(item, str) and "\x00" in item:
            errors[f"{name}.{str(key)[:80]}"] = f"“{name}.{str(key)[:80]}”含有不允许的控制字符。"
        else:
            result[str(key)] = str(item)
    return result


def _read_body() -> tuple[dict, dict[str, list]]:
    """The submission document and the uploaded files (multipart only)."""
    if request.mimetype == "application/json":
        try:
            data = request.get_json(silent=True)
        except RecursionError:
            data = None
        files: dict[str, list] = {}
    elif request.mimetype == "multipart/form-data":
        raw = request.form.get("payload")
        try:
            data = json.loads(raw) if raw is not None else None
        except (ValueError, RecursionError):
            data = None
        extra = [k for k in request.form if k != "payload"]
        if raw is None or extra:
            problem(
                400,
                "multipart 请求应有一个名为 payload 的部分（内容为 JSON），其余部分是以材料键命名的文件。",
            )
        files = {key: request.files.getlist(key) for key in request.files}
    else:
        problem(
            415,
            "请求正文应为 JSON（Content-Type: application/json），带文件时用 multipart/form-data。",
        )
    if data is None:
        problem(400, "请求正文不是有效的 JSON。请检查引号、逗号和括号是否成对。")
    if not isinstance(data, dict):
        problem(400, f"请求正文应为 JSON 对象（以 {{ 开头），收到的是 {type(data).__name__}。")
    return data, files


def form_json(spec: FormSpec) -> dict:
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
            {"key": u.key, "label": u.label, "required": u.required, "hint": u.hint}
            for u in spec.uploads
        ],
        "phone_field": spec.phone_key,
    }


@api_bp.get("/forms/<target_id>")
def form_of(target_id: str):
    """The situations to answer now; once every one that matters is answered, the form."""
    target = find_target(catalog(), target_id)
    if target is None:
        problem(404, f"没有找到可以网上申报的事项或一件事“{target_id[:80]}”。")
    asked = questions(catalog(), target, dict(request.args.items()))
    if asked.invalid:
        problem(422, "情形的回答有误，请按提示修改。", dict(asked.invalid))
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
@rate_limit("submission")
def create():
    data, files = _read_body()
    errors: dict[str, str] = {}
    for key in data:
        if key not in BODY_KEYS:
            errors[str(key)[:50]] = (
                f"不认识的字段“{str(key)[:50]}”。可用的字段有：{'、'.join(sorted(BODY_KEYS))}。"
            )
    target_id = data.get("target")
    if not isinstance(target_id, str) or not target_id:
        errors["target"] = (
            "请用 target 指定要申报的事项或一件事的标识，例如 low-risk-food-business。"
        )
    answers = _string_map(data.get("answers"), "answers", errors)
    values = _string_map(data.get("fields"), "fields", errors)
    key = request.headers.get("Idempotency-Key") or data.get("idempotency_key")
    if key is not None and (not isinstance(key, str) or not _KEY.match(key)):
        errors["idempotency_key"] = (
            "幂等键（Idempotency-Key）应为 8 到 80 位字母、数字、下划线或连字符，例如一个 UUID。"
        )
    if errors:
        problem(422, "提交的内容有误，请按提示修改。", errors)
    target = find_target(catalog(), target_id)
    if target is None:
        problem(
            422,
            "提交的内容有误，请按提示修改。",
            {"target": f"没有找到可以网上申报的事项或一件事“{target_id[:80]}”。"},
        )
    spec, problems = spec_for(target, answers)
    if spec is None:
        problem(
            422, "情形的回答有误，请按提示修改。", {f"answers.{k}": v for k, v in problems.items()}
        )
    intake = read_fields(spec, values, html=False)
    errors.update({f"fields.{k}": v for k, v in intake.errors.items()})
    uploaded = read_uploads(spec, files)
    for upload_key, message in uploaded.errors.items():
        errors[FORM_KEY if upload_key == FORM_KEY else f"files.{upload_key}"] = message
    if errors:
        if set(errors) == {FORM_KEY}:
            problem(413, errors[FORM_KEY])
        problem(422, "提交的内容有误，请按提示修改。", errors)
    try:
        submission, replayed = create_submission(
            spec,
            intake.values,
            uploaded.files,
            key,
            {item.id: item.department for item in spec.items},
        )
    except SubmissionError as error:
        problem(error.status, error.message)
    response = jsonify(submission_json(submission))
    response.status_code = 201
    response.headers["Location"] = url_for(
        "submissions_api.submission", reference=submission.reference
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def submission_json(submission: Submission) -> dict:
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
                "due": c.due.isoformat() if c.due else None,
            }
            for c in submission.cases
        ],
        "files": [
            {"key": f.upload_key, "label": f.label, "filename": f.filename, "size": f.size}
            for f in submission.files
        ],
    }


@api_bp.get("/submissions/<reference>")
@rate_limit("lookup")
def submission(reference: str):
    form = StatusLookupForm(
        formdata=MultiDict(
            {"reference": reference, "phone_last4": request.args.get("phone_last4", "")}
        ),
        meta={"csrf": False},
    )
    if not form.validate():
        problem(422, "查询信息有误，请按提示修改。", form_errors(form))
    found = find_submission(form.reference.data, form.phone_last4.data)
    if found is None:
        problem(404, "没有找到这份申报：申报编号或手机号后 4 位不对。请核对后重试。")
    return jsonify(submission_json(found))


@api_bp.post("/submissions/<reference>/correction")
@rate_limit("submission")
def correction(reference: str):
    """补正: ``{"phone_last4", "note"}`` as JSON, or multipart with that payload and files."""
    data, files = _read_body()
    errors: dict[str, str] = {}
    for key in data:
        if key not in ("phone_last4", "note"):
            errors[str(key)[:50]] = (
                f"不认识的字段“{str(key)[:50]}”。可用的字段有：phone_last4、note。"
            )
    note = data.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > 500 or "\x00" in note):
        errors["note"] = "“note”应为文字，最多 500 个字。"
    phone_last4 = data.get("phone_last4")
    form = StatusLookupForm(
        formdata=MultiDict(
            {
                "reference": reference,
                "phone_last4": phone_last4 if isinstance(phone_last4, str) else "",
            }
        ),
        meta={"csrf": False},
    )
    if not form.validate():
        errors.update(form_errors(form))
    if errors:
        problem(422, "提交的内容有误，请按提示修改。", errors)
    found = find_submission(form.reference.data, form.phone_last4.data)
    if found is None:
        problem(404, "没有找到这份申报：申报编号或手机号后 4 位不对。请核对后重试。")
    checked = []
    spec = correction_spec(found)
    if spec is not None:
        uploaded = read_uploads(spec, files)
        if uploaded.errors:
            problem(
                422,
                "提交的内容有误，请按提示修改。",
                {f"files.{k}" if k != FORM_KEY else k: v for k, v in uploaded.errors.items()},
            )
        checked = uploaded.files
    try:
        submit_correction(found, (note or "").strip() or None, checked)
    except SubmissionError as error:
        problem(error.status, error.message)
    return jsonify(submission_json(found))
