"""Staff lists are paged, never silently cut: ``page(query)`` is ``db.paginate`` with the
hall's page size, and the ``pages`` macro in ``templates/_pages.html`` links the pages."""

from __future__ import annotations

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from .extensions import db

PER_PAGE = 50
"""Rows per page of a staff list (``?per_page=`` up to ``MAX_PER_PAGE``)."""
MAX_PER_PAGE = 200


def page(query: Select, per_page: int = PER_PAGE) -> Pagination:
    """The requested page (``?page=N``, ``?per_page=N``) of ``query``; an out-of-range page
    is empty, not 404."""
    wanted = request.args.get("per_page", type=int) or per_page
    return db.paginate(query, per_page=wanted, max_per_page=MAX_PER_PAGE, error_out=False)


def page_url(number: int) -> str:
    """This page's URL with ``page=number``, the other query arguments kept."""
    args = request.args.to_dict()
    args["page"] = str(number)
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)


def init_app(app) -> None:
    app.jinja_env.globals["page_url"] = page_url
