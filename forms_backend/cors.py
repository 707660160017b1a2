"""CORS for the public GET endpoints the static site reads (``SITE_ORIGIN``).

A view opts in with ``@public``; no list of endpoints is kept anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request

from .extensions import the_app


def public(view: Callable) -> Callable:
    """Let the configured ``SITE_ORIGIN`` read this endpoint's answers from the browser."""
    view.cors = True  # type: ignore[attr-defined]
    return view


def _allow_site(response):
    origin = the_app().config.get("SITE_ORIGIN")
    if origin and request.headers.get("Origin") == origin and request.endpoint:
        view = current_app.view_functions.get(request.endpoint)
        if getattr(view, "cors", False):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.vary.add("Origin")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_allow_site)
