"""好差评: evaluations after a served booking, a concluded case or an on-site visit; 差评
follow-ups for the responsible department; public statistics.

Blueprints: ``evaluations`` (citizen pages under /evaluations/), ``evaluations_api`` (JSON under
/api/) and ``evaluations_staff`` (/staff/evaluations/).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations", template_folder="templates")
api_bp = Blueprint("evaluations_api", __name__, url_prefix="/api")
staff_bp = Blueprint(
    "evaluations_staff", __name__, url_prefix="/staff/evaluations", template_folder="templates"
)

from . import api, staff, views  # noqa: E402,F401  (registers the routes)


def init_app(app: Flask) -> None:
    from ..extensions import register

    register(app, pages=bp, api=api_bp, staff=staff_bp)
