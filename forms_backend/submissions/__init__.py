"""一表申报: the one form for a bundle or an online item, status lookup, and the staff case list.

Three blueprints: ``submissions`` (citizen pages under /apply/), ``submissions_api`` (JSON under
/api/) and ``submissions_staff`` (department staff under /staff/submissions/).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("submissions", __name__, url_prefix="/apply", template_folder="templates")
api_bp = Blueprint("submissions_api", __name__, url_prefix="/api")
staff_bp = Blueprint(
    "submissions_staff", __name__, url_prefix="/staff/submissions", template_folder="templates"
)

from . import api, staff, views  # noqa: E402,F401  (registers the routes)


def init_app(app: Flask) -> None:
    from ..extensions import register

    register(app, pages=bp, api=api_bp, staff=staff_bp)
