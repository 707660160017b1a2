"""找回 as JSON: ``POST /api/recovery/code`` then ``POST /api/recovery/verify``."""

from __future__ import annotations

from dataclasses import asdict

from flask import jsonify
from flask_limiter.util import get_remote_address

from ..api.jsonbody import Text, form_errors, problem, read_json
from ..extensions import rate_limit
from . import api_bp
from .forms import CodeForm, RecoveryForm
from .recovery import Person, RecoveryError, request_code, verify

PERSON_FIELDS = {"id_number": Text, "phone": Text}


def _person_form(extra: dict | None = None) -> tuple[RecoveryForm, CodeForm | None]:
    fields = {**PERSON_FIELDS, **(extra or {})}
    data = read_json(fields)
    form = RecoveryForm(formdata=data, meta={"csrf": False})
    code = CodeForm(formdata=data, meta={"csrf": False}) if extra else None
    errors = {} if form.validate() else form_errors(form)
    if code is not None and not code.validate():
        errors.update(form_errors(code))
    if errors:
        problem(422, "提交的内容有误，请按提示修改。", errors)
    return form, code


def _refused(error: RecoveryError):
    problem(error.status, error.message, {error.field: error.message} if error.field else None)


@api_bp.post("/code")
@rate_limit("recovery")
def send_code():
    form, _ = _person_form()
    try:
        message = request_code(form.id_number.data, form.phone.data, get_remote_address())
    except RecoveryError as error:
        _refused(error)
    return jsonify({"message": message}), 202


@api_bp.post("/verify")
@rate_limit("recovery")
def check_code():
    form, code = _person_form({"code": Text})
    try:
        records = verify(Person.of(form.id_number.data, form.phone.data), code.data["code"])
    except RecoveryError as error:
        _refused(error)
    found = asdict(records)
    found["reminders"] = not found.pop("opted_out")
    return jsonify(found)
