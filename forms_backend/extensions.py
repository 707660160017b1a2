"""Flask extensions, created unbound and attached to the app in ``create_app``."""

from __future__ import annotations

import time

from flask import current_app, g, has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from limits import RateLimitItem
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter
from limits.util import WindowStats
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


the_app = current_app._get_current_object  # type: ignore[attr-defined]
"""The current app itself, for code that runs on every request. Each attribute read through
the ``current_app`` proxy costs about 6,000 instructions (Werkzeug's proxy first raises and
discards an AttributeError); a booking read 59 (docs/benchmarks.md, issue 9 third pass)."""
the_request = request._get_current_object  # type: ignore[attr-defined]
"""The current request itself (see ``the_app``)."""

db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


_INCR_AND_TTL = """
local current = redis.call("incrby", KEYS[1], ARGV[2])
if tonumber(current) == tonumber(ARGV[2]) then
    redis.call("expire", KEYS[1], ARGV[1])
end
return {current, redis.call("ttl", KEYS[1])}
"""


class OneTripFixedWindow(FixedWindowRateLimiter):
    """Flask-Limiter's fixed window on Redis in one round trip per limit and request, not three.

    With ``RATELIMIT_HEADERS_ENABLED`` Flask-Limiter counts the hit (a script) and then, for the
    ``X-RateLimit-*`` headers of the same response, asks the window's count (``GET``) and its
    time to live (``TTL``): three round trips, 1.2M of a booking's 4.1M instructions. Here the
    hit's script returns both, and ``get_window_stats`` answers from them for the rest of the
    request (the same values, read at the moment of the hit)."""

    def __init__(self, storage: RedisStorage) -> None:
        super().__init__(storage)
        self._incr_and_ttl = storage.get_connection().register_script(_INCR_AND_TTL)

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        key = item.key_for(*identifiers)
        prefixed = self.storage.prefixed_key(key)  # type: ignore[attr-defined]
        current, ttl = self._incr_and_ttl([prefixed], [item.get_expiry(), cost])
        current = int(current)
        if has_request_context():
            seen = g.setdefault("banshi_rate_windows", {})
            seen[key] = WindowStats(max(int(ttl), 0) + time.time(), max(0, item.amount - current))
        return current <= item.amount

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        if has_request_context():
            found = g.get("banshi_rate_windows", {}).get(item.key_for(*identifiers))
            if found is not None:
                return found
        return super().get_window_stats(item, *identifiers)


def init_limiter(app) -> None:
    """Bind the limiter to ``app``; on Redis with the fixed window, ``OneTripFixedWindow``."""
    # Flask-Limiter keeps the key prefix of the first app it was bound to; each app sets its own.
    limiter._key_prefix = app.config["RATELIMIT_KEY_PREFIX"]
    limiter.init_app(app)
    if not limiter.enabled:
        return
    storage = limiter._storage
    if type(storage) is RedisStorage and type(limiter._limiter) is FixedWindowRateLimiter:
        limiter._limiter = OneTripFixedWindow(storage)


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
