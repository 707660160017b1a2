"""The catalog and its working-day calendar, loaded once by ``create_app``.

Every feature reads the catalog through these two functions (never ``current_app.extensions``
directly), so where it lives can change in one place.
"""

from __future__ import annotations

from flask import Flask

from catalog import Catalog, WorkCalendar, load_catalog

from .extensions import the_app


def init_app(app: Flask) -> None:
    """Load ``CATALOG_PATH`` once for this app (a catalog error stops the start-up)."""
    loaded = load_catalog(app.config["CATALOG_PATH"])
    app.extensions["banshi_catalog"] = loaded
    app.extensions["banshi_calendar"] = loaded.calendar


def catalog() -> Catalog:
    """The app's catalog: items, bundles, windows, halls, settings."""
    return the_app().extensions["banshi_catalog"]


def calendar() -> WorkCalendar:
    """The hall's working-day calendar (chinese-calendar plus ``calendar.yml``)."""
    return the_app().extensions["banshi_calendar"]
