"""Bookings (预约办理, 延时服务, 帮办代办): citizen pages under /bookings/, JSON under /api/.

Blueprints: ``bookings`` (pages), ``bookings_api`` (JSON) and ``bookings_staff`` (the day list,
check-in and the assisted-service queue under /staff/bookings/).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("bookings", __name__, url_prefix="/bookings", template_folder="templates")
api_bp = Blueprint("bookings_api", __name__, url_prefix="/api")
staff_bp = Blueprint(
    "bookings_staff", __name__, url_prefix="/staff/bookings", template_folder="templates"
)

from . import api, staff, views  # noqa: E402,F401  (registers the routes)


def init_app(app: Flask) -> None:
    from ..extensions import register

    register(app, pages=bp, api=api_bp, staff=staff_bp)
