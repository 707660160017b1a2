"""Reading one submission from a request (HTML form, JSON or multipart) into checked parts.

Both the pages and the API come through here, so both apply exactly the same rules: the
situations must be answered, only declared fields and uploads are accepted, every field is
validated by its type, every file by its content.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from werkzeug.datastructures import FileStorage

from catalog import Bundle, Item

from ..catalog_access import catalog
from ..schemas import check
from ..uploads import CheckedFile, check_upload, received_size, total_problem
from .forms import apply_form_class, field_name
from .formspec import FormSpec, build, find_target, questions
from .schemas import PageKeys, cleaned_values, fields_model

FORM_KEY = "_form"
"""Error key for problems of the whole request rather than one field."""


@dataclass
class Intake:
    spec: FormSpec | None = None
    form: object | None = None
    values: dict[str, str] = field(default_factory=dict)
    files: list[CheckedFile] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def spec_for(target: Item | Bundle, answers: Mapping[str, str]) -> tuple[FormSpec | None, dict]:
    """The narrowed form, or the problems with the answers (invalid ones, then missing ones)."""
    asked = questions(catalog(), target, answers)
    if not asked.complete:
        return None, {**asked.invalid, **asked.missing}
    return build(catalog(), target, asked.answers), {}


def read_uploads(
    spec: FormSpec,
    uploads: Mapping[str, list[FileStorage]],
    kept: Mapping[str, CheckedFile] | None = None,
) -> Intake:
    """Check the uploaded files against the declared uploads (keys without prefix).

    ``kept``: files accepted on an earlier round of the same page (``uploads.keep``), used for
    the keys where no new file was chosen."""
    result = Intake(spec=spec)
    declared = {u.key: u for u in spec.uploads}
    chosen_keys = {k for k, storages in uploads.items() if any(s.filename for s in storages)}
    result.files.extend(
        f for k, f in (kept or {}).items() if k in declared and k not in chosen_keys
    )
    for key, storages in uploads.items():
        chosen = [s for s in storages if s.filename]
        if key not in declared:
            if chosen:
                result.errors[str(key)[:90]] = (
                    f"这份表单没有名为“{str(key)[:90]}”的材料上传项，文件没有被接收。"
                    "请按页面列出的材料上传。"
                )
            continue
        if len(chosen) > 1:
            result.errors[key] = (
                f"“{declared[key].label}”只能上传一个文件。多页材料请合并为一个 PDF 后上传。"
            )
            continue
        if not chosen:
            continue
        storage = chosen[0]
        data = storage.stream.read()
        label = declared[key].label
        checked = check_upload(key, label, storage.filename, data, received_size(storage))
        if isinstance(checked, str):
            result.errors[key] = checked
        else:
            result.files.append(checked)
    received = {f.key for f in result.files}
    for upload in spec.uploads:
        if upload.required and upload.key not in received and upload.key not in result.errors:
            result.errors[upload.key] = f"请上传“{upload.label}”（PDF、JPG 或 PNG 格式）。"
    if not result.errors:
        problem = total_problem(result.files)
        if problem:
            result.errors[FORM_KEY] = problem
    return result


def read_fields(spec: FormSpec, values: Mapping[str, str], html: bool) -> Intake:
    """Validate field values (bare keys) with the form's model (``fields_model``).

    ``html``: the page's WTForms form (which renders the fields and carries CSRF) is checked
    for its CSRF token and idempotency key, and each message is put on its field.
    """
    result = Intake(spec=spec)
    declared = spec.field_keys
    given: dict[str, str] = {}
    for key, value in values.items():
        if key not in declared:
            known = "、".join(sorted(declared))
            result.errors[str(key)[:80]] = (
                f"这份表单没有字段“{str(key)[:80]}”（在当前情形下不需要填写或不存在）。可填写的字段有：{known}。"
            )
            continue
        given[key] = value
    model, errors = check(fields_model(spec), given)
    result.errors.update(errors)
    if model is not None and not result.errors:
        result.values = cleaned_values(model)
    if html:
        form = apply_form_class(spec)()
        result.form = form
        if not form.validate():  # the CSRF token (the fields carry no validators)
            result.errors.update({name: messages[0] for name, messages in form.errors.items()})
        _keys, key_errors = check(PageKeys, {"idempotency_key": form.idempotency_key.data or ""})
        result.errors.update(key_errors)
        for key, message in errors.items():
            if field_name(key) in form:
                form[field_name(key)].errors = [message]
    return result


def submission_spec(submission) -> FormSpec | None:
    """The submission's form as the catalog builds it now, or None if it no longer can (the
    target gone, or its answers no longer valid)."""
    target = find_target(catalog(), submission.target)
    if target is None:
        return None
    try:
        spec, _problems = spec_for(target, json.loads(submission.answers))
    except KeyError:  # the catalog changed since
        return None
    return spec


def correction_spec(submission) -> FormSpec | None:
    """The uploads of the returned cases' items, all optional, for a correction (None if the
    form is gone): a case returned by one department does not ask for another's materials."""
    spec = submission_spec(submission)
    if spec is None:
        return None
    returned = {c.item for c in submission.cases if c.status == "returned"}
    optional = tuple(
        dataclasses.replace(u, required=False)
        for u in spec.uploads
        if not returned or set(u.items) & returned
    )
    return dataclasses.replace(spec, uploads=optional)
