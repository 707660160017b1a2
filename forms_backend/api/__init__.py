"""Leftovers of the JSON readers being replaced by ``forms_backend.schemas``."""
