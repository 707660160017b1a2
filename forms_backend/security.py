"""Production safety: which settings production refuses, and the HTTP security headers.

Production is every deployment except the embedded SQLite default (no database configured)
unless ``PRODUCTION`` is set. Production refuses to start (``keys.UnsafeConfiguration``, exit
status 4) without the three keys, with per-worker ``memory://`` rate-limit counters unless
``RATELIMIT_ALLOW_MEMORY`` says one worker is all there is, or without a notification channel
(``NOTIFY_CHANNEL``; ``none`` must be set explicitly).

Headers come from Flask-Talisman on every response: a Content-Security-Policy with a
per-request nonce for scripts and no ``unsafe-inline``, ``frame-ancestors 'none'``,
``nosniff``, a Referrer-Policy and a Permissions-Policy; over HTTPS (the production default)
HSTS and ``Secure`` cookies.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

from .keys import UnsafeConfiguration, fresh_keys, generating_keys, missing_key_problems
from .notifications.settings import missing_channel_problems

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "interest-cohort": "()",
}


def is_production(app: Flask, embedded_default: bool) -> bool:
    """Everything but the embedded SQLite default is production (``PRODUCTION`` forces it)."""
    return bool(app.config.get("PRODUCTION")) or not embedded_default


def refuse_unsafe_settings(app: Flask) -> None:
    """Collect every unsafe production setting and refuse to start, naming each one."""
    problems = missing_key_problems(app)
    storage = str(app.config["RATELIMIT_STORAGE_URI"])
    if (
        app.config["RATELIMIT_ENABLED"]
        and storage.startswith("memory://")
        and not app.config["RATELIMIT_ALLOW_MEMORY"]
    ):
        problems.append(
            "BANSHI_RATELIMIT_STORAGE_URI is memory://: each worker would count on its own, so "
            "the limits multiply by the number of workers. Set it to a shared Redis "
            "(e.g. redis://127.0.0.1:6379/0), or set BANSHI_RATELIMIT_ALLOW_MEMORY=true when "
            "exactly one worker process serves the app."
        )
    problems += missing_channel_problems(app)
    if not problems:
        return
    if generating_keys():  # throwaway keys in memory only: the command just prints new ones
        app.config.update({k: v for k, v in fresh_keys().items() if not app.config.get(k)})
        return
    raise UnsafeConfiguration(problems)


def init_app(app: Flask, production: bool) -> None:
    """Security headers on every response; HSTS and Secure cookies when served over HTTPS."""
    https = app.config["HTTPS"]
    https = production if https is None else bool(https)
    app.config["SESSION_COOKIE_SECURE"] = https
    app.config["REMEMBER_COOKIE_SECURE"] = https
    app.extensions["banshi_talisman"] = Talisman(
        app,
        force_https=False,  # TLS ends at the reverse proxy, which redirects plain HTTP
        strict_transport_security=https,
        strict_transport_security_include_subdomains=False,
        session_cookie_secure=https,
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        feature_policy={},  # superseded by Permissions-Policy
        frame_options="DENY",
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS,
        x_content_type_options=True,
    )
