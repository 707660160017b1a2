"""JSON API: ``POST /api/feedback`` and ``GET /api/feedback/REF`` (the reply)."""

from __future__ import annotations

from flask import jsonify, url_for

from ..errors import refuse
from ..extensions import rate_limit
from ..openapi import operation
from ..schemas import json_body, parse
from . import api_bp
from .actions import create_feedback, find_feedback
from .models import Feedback
from .schemas import FeedbackOut, FeedbackRequest


def feedback_json(feedback: Feedback) -> dict:
    """The ``FeedbackOut`` answer."""
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
@operation(
    "悉心听：表扬、投诉、咨询建议、管家服务（联系方式选填，管家服务必填）",
    body=FeedbackRequest,
    responses={201: FeedbackOut},
    errors=(503,),
)
def create():
    feedback = create_feedback(parse(FeedbackRequest, json_body()))
    response = jsonify(feedback_json(feedback))
    response.status_code = 201
    response.headers["Location"] = url_for("feedback_api.feedback", reference=feedback.reference)
    return response


@api_bp.get("/feedback/<reference>")
@rate_limit("lookup")
@operation("凭留言编号查看状态和答复", responses={200: FeedbackOut}, errors=(404,))
def feedback(reference: str):
    found = find_feedback(reference.strip().upper())
    if found is None:
        refuse(404, "没有找到这条留言。请核对留言编号（8 位字母和数字）后重试。")
    return jsonify(feedback_json(found))
