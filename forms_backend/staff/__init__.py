"""The staff area under /staff/: accounts, sign-in, sessions, roles and the start page."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

from . import views  # noqa: E402,F401  (registers the routes on bp)


def init_app(app: Flask) -> None:
    from ..extensions import register
    from .auth import init_login
    from .cli import users

    register(app, pages=bp)

    init_login(app)
    app.cli.add_command(users)
