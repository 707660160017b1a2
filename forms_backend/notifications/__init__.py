"""Notifications: an outbox written in the transaction of each change, delivered by a Huey
worker over SMS (Alibaba Cloud), e-mail (SMTP) or ``none`` (logged only); reminders; 找回我的
预约和办件 by SMS code; retention. See docs/backend.md "Notifications".

Blueprints: ``notifications`` (citizen pages under /bookings/mine/), ``notifications_api``
(JSON under /api/recovery/) and ``notifications_staff`` (发送记录 under /staff/notifications/).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__, url_prefix="/bookings/mine", template_folder="templates")
api_bp = Blueprint("notifications_api", __name__, url_prefix="/api/recovery")
staff_bp = Blueprint(
    "notifications_staff", __name__, url_prefix="/staff/notifications", template_folder="templates"
)


def init_app(app: Flask) -> None:
    """Check the settings (refusing unsafe ones), create the queue, register pages and CLI."""
    from ..extensions import register
    from . import api, staff, views  # noqa: F401  (registers the routes)
    from .cli import notifications
    from .queue import embedded, init_queue, start_embedded
    from .settings import check_settings

    check_settings(app)
    init_queue(app)
    register(app, pages=bp, api=api_bp, staff=staff_bp)
    if embedded(app):
        app.before_request(lambda: start_embedded(app))
    app.cli.add_command(notifications)
