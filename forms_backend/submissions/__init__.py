"""一表申报: the one form for a bundle or an online item, status lookup, and the staff case list.

Three blueprints: ``submissions`` (citizen pages under /apply/), ``submissions_api`` (JSON under
/api/) and ``submissions_staff`` (department staff under /staff/submissions/).
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, request

bp = Blueprint("submissions", __name__, url_prefix="/apply", template_folder="templates")
api_bp = Blueprint("submissions_api", __name__, url_prefix="/api")
staff_bp = Blueprint(
    "submissions_staff", __name__, url_prefix="/staff/submissions", template_folder="templates"
)


def _allow_uploads() -> None:
    """Submissions carry files: allow the configured total plus room for the form fields."""
    if request.method == "POST":
        request.max_content_length = int(current_app.config["UPLOAD_MAX_TOTAL_BYTES"]) + 1_000_000


bp.before_request(_allow_uploads)
api_bp.before_request(_allow_uploads)

from . import api, staff, views  # noqa: E402,F401  (registers the routes)


def init_app(app: Flask) -> None:
    from ..extensions import register

    register(app, pages=bp, api=api_bp, staff=staff_bp)
