"""Helpers of the hand-written OpenAPI parts that are still to be replaced by models
(``forms_backend/openapi.py`` generates the document)."""

from __future__ import annotations


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _answer(description: str, schema: dict | None = None) -> dict:
    return {"description": description, **(_json(schema) if schema else {})}


def _param(name: str, where: str, description: str, required: bool = True, **schema) -> dict:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": {"type": "string", **schema},
    }
