"""悉心听 feedback: praise, complaints, consultations/suggestions and 管家服务 requests, with a
reference the citizen uses to read the staff reply.

Blueprints: ``feedback`` (/feedback/), ``feedback_api`` (/api/feedback) and ``feedback_staff``
(/staff/feedback/).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("feedback", __name__, url_prefix="/feedback", template_folder="templates")
api_bp = Blueprint("feedback_api", __name__, url_prefix="/api")
staff_bp = Blueprint(
    "feedback_staff", __name__, url_prefix="/staff/feedback", template_folder="templates"
)

from . import api, staff, views  # noqa: E402,F401  (registers the routes)


def init_app(app: Flask) -> None:
    from ..extensions import register

    register(app, pages=bp, api=api_bp, staff=staff_bp)
