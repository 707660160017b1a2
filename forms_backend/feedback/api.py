"""JSON API: ``POST /api/feedback`` and ``GET /api/feedback/REF`` (the reply)."""

from __future__ import annotations

from flask import jsonify, url_for

from ..api.jsonbody import Text, form_errors, problem, read_json
from ..extensions import rate_limit
from . import api_bp
from .actions import create_feedback, find_feedback
from .forms import FeedbackForm
from .models import Feedback

FIELDS = {
    "kind": Text,
    "content": Text,
    "window": Text,
    "item": Text,
    "name": Text,
    "contact_phone": Text,
}


def feedback_json(feedback: Feedback) -> dict:
    return {
        "reference": feedback.reference,
        "kind": feedback.kind,
        "kind_label": feedback.kind_enum.label,
        "content": feedback.content,
        "status": feedback.status,
        "status_label": feedback.status_enum.label,
        "reply": feedback.reply,
        "replied_at": feedback.replied_at.isoformat() if feedback.replied_at else None,
        "created_at": feedback.created_at.isoformat(),
        "links": {"self": url_for("feedback_api.feedback", reference=feedback.reference)},
    }


@api_bp.post("/feedback")
@rate_limit("feedback")
def create():
    form = FeedbackForm(formdata=read_json(FIELDS), meta={"csrf": False})
    if not form.validate():
        problem(422, "提交的内容有误，请按提示修改。", form_errors(form))
    feedback = create_feedback(form)
    response = jsonify(feedback_json(feedback))
    response.status_code = 201
    response.headers["Location"] = url_for("feedback_api.feedback", reference=feedback.reference)
    return response


@api_bp.get("/feedback/<reference>")
@rate_limit("lookup")
def feedback(reference: str):
    found = find_feedback(reference.strip().upper())
    if found is None:
        problem(404, "没有找到这条留言。请核对留言编号（8 位字母和数字）后重试。")
    return jsonify(feedback_json(found))
