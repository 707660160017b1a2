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

import flask
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_talisman import Talisman
from flask_talisman.talisman import NONCE_LENGTH, get_random_string

from .extensions import the_app, the_request
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


class Headers(Talisman):
    """Flask-Talisman with its header values worked out once per app.

    Talisman parses every policy again for every response (≈ 0.07 ms of a 1.3 ms booking);
    with no per-view options (none are used here) only the nonce changes between responses,
    and HSTS depends on the request being secure, so both stay per response."""

    _fixed: list[tuple[str, str]] | None = None
    _csp: tuple[str, str, str] | None = None  # header name, text before and after the nonce

    def _plain(self) -> bool:
        view = the_app().view_functions.get(the_request().endpoint)
        return not getattr(view, "talisman_view_options", None)

    def _force_https(self):
        if self.force_https or not self._plain():
            return super()._force_https()
        return None

    def _make_nonce(self):
        asked = the_request()
        if not getattr(asked, "csp_nonce", None):
            asked.csp_nonce = get_random_string(NONCE_LENGTH)

    def _set_response_headers(self, response):
        if not self._plain():
            return super()._set_response_headers(response)
        self._make_nonce()  # a before-request hook may have answered before Talisman's ran
        if self._fixed is None:
            self._learn()
        response.headers.extend(self._fixed)
        name, before, after = self._csp
        response.headers[name] = f"{before}{the_request().csp_nonce}{after}"
        self._set_hsts_headers(response.headers)
        return response

    def _learn(self) -> None:
        probe = flask.Response()
        plain = set(probe.headers.keys())
        super()._set_response_headers(probe)
        csp = next(name for name in probe.headers.keys() if name.startswith("Content-Security"))
        before, found, after = probe.headers[csp].partition(flask.request.csp_nonce)
        if not found:  # pragma: no cover - Talisman always writes the nonce it made
            raise RuntimeError("the Content-Security-Policy does not carry the request's nonce")
        self._csp = (csp, before, after)
        self._fixed = [
            (name, value)
            for name, value in probe.headers.items()
            if name not in plain and name not in (csp, "Strict-Transport-Security")
        ]


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions with the signing serializer built once per app (Flask
    builds it again for every request, cookie or not)."""

    def get_signing_serializer(self, app: Flask):
        found = app.extensions.get("banshi_session_serializer")
        if found is None:
            found = super().get_signing_serializer(app)
            if found is not None:
                app.extensions["banshi_session_serializer"] = found
        return found


def init_app(app: Flask, production: bool) -> None:
    """Security headers on every response; HSTS and Secure cookies when served over HTTPS."""
    https = app.config["HTTPS"]
    https = production if https is None else bool(https)
    app.config["SESSION_COOKIE_SECURE"] = https
    app.config["REMEMBER_COOKIE_SECURE"] = https
    app.session_interface = SessionCookies()
    app.extensions["banshi_talisman"] = Headers(
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
