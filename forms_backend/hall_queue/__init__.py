"""The hall queue (取号叫号): kiosk tickets, counters calling, call displays (Server-Sent
Events fed by Redis pub/sub), the counter's evaluation device (评价器), the citizen's
my-ticket page and waiting-time statistics.

Blueprints: ``hall_queue`` (pages under /queue/), ``hall_queue_api`` (JSON under
/api/queue/) and ``hall_queue_staff`` (/staff/queue/). ``init_app`` registers them all.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("hall_queue", __name__, url_prefix="/queue", template_folder="templates")
api_bp = Blueprint("hall_queue_api", __name__, url_prefix="/api/queue")
"""JSON under /api/queue/ (the public statistics are /api/queue/stats)."""
staff_bp = Blueprint(
    "hall_queue_staff", __name__, url_prefix="/staff/queue", template_folder="templates"
)

from . import api, staff, views  # noqa: E402,F401  (registers the routes)


def init_app(app: Flask) -> None:
    from ..extensions import register
    from . import cli, live

    live.init_app(app)
    register(app, pages=bp, api=api_bp, staff=staff_bp)
    app.cli.add_command(cli.queue)
