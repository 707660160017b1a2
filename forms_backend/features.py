"""Features added after bookings, listed once: their OpenAPI parts for /api/openapi.json."""

from __future__ import annotations


def openapi_parts() -> list[tuple[dict, dict]]:
    """(paths, schemas) of each feature's JSON API."""
    from .evaluations import openapi as evaluations
    from .feedback import openapi as feedback
    from .submissions import openapi as submissions

    return [(m.PATHS, m.SCHEMAS) for m in (submissions, evaluations, feedback)]
