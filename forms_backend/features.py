"""Features added after bookings, listed once: their OpenAPI parts for /api/openapi.json."""

from __future__ import annotations


def openapi_parts() -> list[tuple[dict, dict]]:
    """(paths, schemas) of each feature's JSON API."""
    from .submissions import openapi as submissions

    return [(submissions.PATHS, submissions.SCHEMAS)]
