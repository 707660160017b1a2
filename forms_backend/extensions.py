"""Flask extensions, created unbound and attached to the app in ``create_app``."""

from __future__ import annotations

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base with constraint names Alembic can diff and drop on every backend."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


def rate_limit(name: str, *, post_only: bool = False):
    """The limit ``RATE_LIMIT_<NAME>`` from config, shared by every route that names it (the
    HTML pages and the JSON API count together). ``post_only`` leaves the GET of a form free."""
    return limiter.shared_limit(
        lambda: current_app.config[f"RATE_LIMIT_{name.upper()}"],
        scope=name,
        exempt_when=(lambda: request.method != "POST") if post_only else None,
    )


def register(app, *, pages=None, api=None, staff=None) -> None:
    """Register a feature's blueprints: its pages, its JSON API (no CSRF: a cross-site form
    cannot send ``application/json``, and the API reads no cookies) and its staff pages."""
    for blueprint in (pages, api, staff):
        if blueprint is not None:
            app.register_blueprint(blueprint)
    if api is not None:
        csrf.exempt(api)
