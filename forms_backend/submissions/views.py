"""Citizen pages: choose situations, fill in the one form with uploads, see the status."""

from __future__ import annotations

import dataclasses
import secrets

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from catalog import Bundle

from ..catalog_access import catalog
from ..errors import ActionError
from ..extensions import db, rate_limit
from ..remembered import remember, remembered
from ..schemas import check, form_input, validate_form
from ..uploads import (
    ALLOWED,
    CheckedFile,
    KeptFile,
    accepts_uploads,
    forget,
    keep,
    kept_file,
    megabytes,
)
from . import bp
from .actions import create_submission, find_submission, submit_correction
from .forms import PREFIX, CorrectionForm, StatusLookupForm, apply_form_class
from .formspec import PaperMaterial, find_target, questions
from .intake import (
    FORM_KEY,
    Intake,
    correction_spec,
    read_fields,
    read_uploads,
    spec_for,
    submission_spec,
)
from .models import Submission
from .schemas import CorrectionNote, StatusLookup

_FIXED = {"csrf_token", "idempotency_key"}
_KEPT_PREFIXES = ("k-", "drop-")
"""A file accepted on an earlier round (its staging token) and the box that removes it."""


def _target_or_404(target_id: str):
    target = find_target(catalog(), target_id)
    if target is None:
        message = (
            f"没有找到可以网上申报的事项或一件事“{target_id[:80]}”。"
            "请从办事指南的事项页面进入网上申报，或到大厅窗口办理。"
        )
        abort(make_response(render_template("error.html", status=404, message=message), 404))
    return target


def _answers(source) -> dict[str, str]:
    return {k[2:]: v for k, v in source.items() if k.startswith("s-")}


def _limits() -> dict:
    config = current_app.config
    return {
        "file": megabytes(int(config["UPLOAD_MAX_FILE_BYTES"])),
        "total": megabytes(int(config["UPLOAD_MAX_TOTAL_BYTES"])),
        "formats": "、".join(ALLOWED.values()),
    }


@bp.get("/")
def index():
    """Everything that can be applied for online."""
    targets = [b for b in catalog().published_bundles() if find_target(catalog(), b.id)]
    items = [i for i in catalog().published_items() if i.online_apply]
    return render_template("submissions/index.html", bundles=targets, items=items)


@bp.get("/<target_id>")
def start(target_id: str):
    """Step 1 asks the situations (a GET form); step 2 shows the narrowed form."""
    target = _target_or_404(target_id)
    asked = questions(catalog(), target, _answers(request.args))
    if not asked.complete:
        # Missing answers are the next questions, not errors; wrong answers are errors.
        return render_template(
            "submissions/situations.html",
            target=target,
            situations=asked.ask,
            answers=asked.answers,
            problems=dict(asked.invalid),
            step=_question_round(target, asked.answers),
        ), (422 if asked.invalid else 200)
    spec, _problems = spec_for(target, asked.answers)
    return _render_form(target, spec, Intake(spec=spec), secrets.token_urlsafe(24))


def _kept_uploads(spec) -> tuple[dict[str, CheckedFile], dict[str, str], dict[str, str]]:
    """Files this browser had accepted on an earlier round of the form: (files, tokens, errors).

    A file is dropped when its box is ticked or another file is chosen in its place."""
    files: dict[str, CheckedFile] = {}
    tokens: dict[str, str] = {}
    errors: dict[str, str] = {}
    for upload in spec.uploads:
        token = request.form.get(f"k-{upload.key}", "")
        if not token:
            continue
        replaced = any(s.filename for s in request.files.getlist(f"u-{upload.key}"))
        if replaced or request.form.get(f"drop-{upload.key}"):
            forget(token)
            continue
        found = kept_file(token, upload.key)
        if isinstance(found, str):
            errors[upload.key] = found
        elif found is not None:
            files[upload.key] = found
            tokens[upload.key] = token
    return files, tokens, errors


def _keep_accepted(files: list[CheckedFile], tokens: dict[str, str]) -> dict[str, KeptFile]:
    """Keep every accepted file for the next round of a form that came back with errors."""
    kept = {}
    for checked in files:
        if checked.key in tokens:
            kept[checked.key] = KeptFile(
                tokens[checked.key], checked.key, checked.filename, checked.size
            )
        else:
            kept[checked.key] = keep(checked)
    return kept


def _question_round(target, answers) -> int:
    """1 while a bundle's own situations are asked, 2 for its sub-items' situations after them."""
    own = [s.id for s in getattr(target, "situations", ())] if isinstance(target, Bundle) else []
    return 2 if own and all(answers.get(sid) for sid in own) else 1


def _form_step(target, spec) -> int:
    """The form's step number: after one round of questions, or two for a bundle whose own
    answers brought its sub-items' questions (none: the form is the only step)."""
    if not spec.situations:
        return 1
    own = {s.id for s in target.situations} if isinstance(target, Bundle) else set()
    return 3 if own and {s.id for s in spec.situations} - own else 2


def _render_form(target, spec, intake: Intake, key: str, status: int = 200, kept=None):
    form = intake.form or apply_form_class(spec)()
    form.idempotency_key.data = form.idempotency_key.data or key
    return render_template(
        "submissions/form.html",
        target=target,
        spec=spec,
        form=form,
        prefix=PREFIX,
        errors=intake.errors,
        form_problem=intake.errors.get(FORM_KEY),
        limits=_limits(),
        situations={s.id: s for s in spec.situations},
        kept=kept or {},
        step=_form_step(target, spec),
        item_names=_item_names(spec),
    ), status


def _item_names(spec) -> dict[str, str] | None:
    """Item id → name when the form is for more than one item (uploads say which use them)."""
    return {i.id: i.name for i in spec.items} if spec and len(spec.items) > 1 else None


@bp.post("/<target_id>")
@accepts_uploads
@rate_limit("submission", post_only=True)
def submit(target_id: str):
    target = _target_or_404(target_id)
    answers = _answers(request.form)
    spec, problems = spec_for(target, answers)
    if spec is None:
        asked = questions(catalog(), target, answers)
        return render_template(
            "submissions/situations.html",
            target=target,
            situations=asked.ask,
            answers=asked.answers,
            problems=problems,
            step=_question_round(target, asked.answers),
        ), 422
    values = {k[len(PREFIX) :]: v for k, v in request.form.items() if k.startswith(PREFIX)}
    intake = read_fields(spec, values, html=True)
    for key in request.form:
        if key not in _FIXED and not key.startswith(("s-", PREFIX, *_KEPT_PREFIXES)):
            intake.errors[FORM_KEY] = (
                f"表单里有不认识的内容“{key[:40]}”，这次提交没有生效。请从办事指南重新进入申报页面。"
            )
    uploads = {k[2:]: request.files.getlist(k) for k in request.files if k.startswith("u-")}
    unknown_files = [k for k in request.files if not k.startswith("u-")]
    if unknown_files:
        intake.errors[FORM_KEY] = "表单里有不认识的文件，这次提交没有生效。请从申报页面重新上传。"
    kept_files, tokens, kept_errors = _kept_uploads(spec)
    files = read_uploads(spec, uploads, kept_files)
    intake.errors.update(files.errors)
    intake.errors.update(kept_errors)
    intake.files = files.files
    key = intake.form.idempotency_key.data if intake.form is not None else None
    if intake.errors:
        kept = _keep_accepted(files.files, tokens)
        return _render_form(target, spec, intake, key or secrets.token_urlsafe(24), 422, kept)
    try:
        submission, _replayed = create_submission(
            spec,
            intake.values,
            intake.files,
            key,
            {item.id: item.department for item in spec.items},
        )
    except ActionError as error:
        intake.errors[FORM_KEY] = error.message
        kept = _keep_accepted(files.files, tokens)
        return _render_form(target, spec, intake, key or "", error.status, kept)
    for token in tokens.values():
        forget(token)
    remember("submissions", submission.reference)
    return redirect(url_for("submissions.status", reference=submission.reference), 303)


def _own_submission(reference: str) -> Submission:
    if not remembered("submissions", reference):
        abort(redirect(url_for("submissions.lookup", reference=reference)))
    submission = db.session.scalar(select(Submission).where(Submission.reference == reference))
    if submission is None:
        abort(404)
    return submission


@bp.get("/status/<reference>")
def status(reference: str):
    return _render_status(_own_submission(reference), CorrectionForm(), {})


def _render_status(submission: Submission, form, errors: dict, code: int = 200, kept=None):
    spec = submission_spec(submission)
    return render_template(
        "submissions/status.html",
        submission=submission,
        items=catalog().items,
        departments=catalog().departments,
        target=catalog().bundles.get(submission.target) or catalog().items.get(submission.target),
        correction=correction_spec(submission) if submission.status == "returned" else None,
        paper=_paper_still_needed(submission, spec),
        item_names=_item_names(spec),
        form=form,
        errors=errors,
        limits=_limits(),
        kept=kept or {},
    ), code


def _paper_still_needed(submission: Submission, spec) -> list[PaperMaterial]:
    """The paper materials of the cases still open (none for a closed case), each naming only
    the open cases' items."""
    if spec is None:
        return []
    open_items = {c.item for c in submission.cases if not c.closed}
    return [
        dataclasses.replace(m, items=tuple(i for i in m.items if i in open_items))
        for m in spec.paper
        if open_items & set(m.items)
    ]


@bp.post("/status/<reference>/correction")
@accepts_uploads
@rate_limit("submission", post_only=True)
def correct(reference: str):
    """补正: a note and/or corrected files for the returned cases."""
    submission = _own_submission(reference)
    form = CorrectionForm()
    spec = correction_spec(submission)
    errors: dict[str, str] = {}
    if not form.validate_on_submit():  # the CSRF token (the note carries no validators)
        errors.update({k: v[0] for k, v in form.errors.items()})
    note, note_errors = check(CorrectionNote, form_input(CorrectionNote, request.form))
    errors.update(note_errors)
    for key, message in note_errors.items():
        form[key].errors = [message]
    files: list[CheckedFile] = []
    tokens: dict[str, str] = {}
    if spec is not None:
        uploads = {k[2:]: request.files.getlist(k) for k in request.files if k.startswith("u-")}
        kept_files, tokens, kept_errors = _kept_uploads(spec)
        checked = read_uploads(spec, uploads, kept_files)
        errors.update(checked.errors)
        errors.update(kept_errors)
        files = checked.files
    if not errors:
        try:
            submit_correction(submission, note.note or None, files)
        except ActionError as error:
            errors[error.field or FORM_KEY] = error.message
        else:
            for token in tokens.values():
                forget(token)
            flash("补正已提交，办件已重新进入待受理。", "success")
            return redirect(url_for("submissions.status", reference=reference), 303)
    return _render_status(submission, form, errors, 422, _keep_accepted(files, tokens))


@bp.route("/lookup", methods=["GET", "POST"])
@rate_limit("lookup", post_only=True)
def lookup():
    form = StatusLookupForm(data={"reference": request.args.get("reference", "")})
    not_found = False
    wanted = validate_form(form, StatusLookup)
    if wanted is not None:
        submission = find_submission(wanted.reference, wanted.phone_last4)
        if submission is not None:
            remember("submissions", submission.reference)
            return redirect(url_for("submissions.status", reference=submission.reference))
        not_found = True
    code = 422 if request.method == "POST" else 200
    return render_template("submissions/lookup.html", form=form, not_found=not_found), code
