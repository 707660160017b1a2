"""Citizen booking pages under /bookings/ (plain HTML, no JavaScript needed)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("bookings", __name__, url_prefix="/bookings", template_folder="templates")

from . import views  # noqa: E402,F401  (registers the routes on bp)
