"""Security headers on every response; HSTS and Secure cookies over HTTPS in production."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms_backend import create_app
from forms_backend.extensions import db

TEMPLATES = Path(__file__).resolve().parent.parent / "forms_backend"
ANSWERS = [
    "/bookings/new?item=business-licence",
    "/api/items",
    "/api/openapi.json",
    "/staff/login",
    "/bookings/static/banshi.css",
    "/bookings/NOSUCHREF",
    "/api/bookings/NOSUCHREF?phone_last4=1234",
]


@pytest.mark.parametrize("path", ANSWERS)
def test_every_answer_carries_the_security_headers(client, path):
    answer = client.get(path)
    csp = answer.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives.get("style-src", "")
    assert re.search(r"'nonce-[\w-]+'", directives["script-src"])
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in answer.headers["Permissions-Policy"]


def test_nonce_changes_with_every_response(client):
    first = client.get("/staff/login").headers["Content-Security-Policy"]
    second = client.get("/staff/login").headers["Content-Security-Policy"]
    assert first != second


def test_templates_have_no_inline_scripts_or_styles():
    """The CSP forbids them: a script needs ``src`` or the request's nonce, styles live in CSS."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or "csp_nonce()" in tag, f"{template}: {tag}"
        assert not re.search(r"<style\b|\sstyle=", text), f"{template}: inline style"
        assert not re.search(r"\son[a-z]+=", text), f"{template}: inline event handler"


def test_production_over_https_sends_hsts_and_secure_cookies(client):
    assert client.application.config["SESSION_COOKIE_SECURE"] is True
    secure = client.get("/staff/login", base_url="https://banshi.example.cn")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = secure.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_development_over_plain_http_sends_no_hsts(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    answer = app.test_client().get("/staff/login")
    assert "Strict-Transport-Security" not in answer.headers
    assert "Secure" not in answer.headers["Set-Cookie"]
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    with app.app_context():
        db.engine.dispose()
