"""The banshi forms backend: bookings (预约), after-hours service and assisted service.

Production: ``gunicorn -w 4 'forms_backend:create_app()'`` with ``DATABASE_URL`` pointing at
PostgreSQL. With no configuration at all it runs on SQLite under ``instance/``.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

from flask import Flask

from . import catalog_access, cors, errors, keys, openapi, paging, privacy, security, uploads
from .config import DEFAULTS, database_url_from_env
from .database import init_database
from .extensions import csrf, db, init_limiter, login_manager, migrate

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Banshi(Flask):
    """Flask with a cheaper ``ensure_sync``: Flask asks ``inspect.iscoroutinefunction`` of
    every hook and view on every request (13 times a booking); a plain function's code flags
    answer the same question at a fraction of the cost."""

    def ensure_sync(self, func):
        code = getattr(func, "__code__", None)
        if code is not None and not code.co_flags & inspect.CO_COROUTINE:
            return func
        return super().ensure_sync(func)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults → instance/config.py → BANSHI_* env → ``config``."""
    overrides = dict(config or {})
    instance_path = overrides.get("INSTANCE_PATH") or os.environ.get("BANSHI_INSTANCE_PATH")
    app = Banshi(
        __name__,
        instance_relative_config=True,
        static_url_path="/bookings/static",  # the static site owns every path but ours
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
    )
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BANSHI")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url_from_env(os.environ["DATABASE_URL"])
    app.config.update(overrides)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # readable Chinese in JSON
    os.makedirs(app.instance_path, exist_ok=True)
    if int(app.config["PROXY_COUNT"]):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    embedded_default = not app.config["SQLALCHEMY_DATABASE_URI"]
    if embedded_default:
        path = Path(app.instance_path) / "banshi.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    production = security.is_production(app, embedded_default)
    if production:
        security.refuse_unsafe_settings(app)
    else:
        keys.use_development_keys(app)

    catalog_access.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_limiter(app)
    privacy.init_app(app)
    errors.init_app(app)
    security.init_app(app, production)
    app.cli.add_command(keys.keys)
    cors.init_app(app)
    paging.init_app(app)
    uploads.init_app(app)
    from . import (
        audit_log,
        bookings,
        evaluations,
        feedback,
        hall_queue,
        notifications,
        staff,
        submissions,
    )

    for feature in (
        bookings,
        staff,
        submissions,
        evaluations,
        feedback,
        notifications,
        hall_queue,
        audit_log,
    ):
        feature.init_app(app)  # each feature registers its blueprints, CLI and hooks
    openapi.init_app(app)  # after the features: the document describes their routes

    init_database(app)
    return app
