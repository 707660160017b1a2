"""Render a message from the catalog's templates (``settings.yml`` → ``messages``)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Row

from catalog.messages import EVENTS, PLACEHOLDERS, placeholders_of, render

from ..catalog_access import catalog
from .models import OutboxMessage


class TemplateMissing(Exception):
    """The catalog has no ``messages`` section: nothing can be sent."""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md(value: str) -> str:
    day = dt.date.fromisoformat(value[:10])
    return f"{day.month}月{day.day}日"


def _hall_phone() -> str:
    halls = list(catalog().halls.values())
    return (
        halls[0].phone if halls and halls[0].phone else None
    ) or catalog().settings.complaint_phone


def values(params: dict) -> dict[str, str]:
    """Display strings for every placeholder the facts allow."""
    found = catalog()
    out: dict[str, str] = {"phone": _hall_phone()}
    if "reference" in params:
        out["reference"] = params["reference"]
    if "item" in params:
        item = found.items.get(params["item"])
        out["item"] = _short(item.name if item else params["item"], PLACEHOLDERS["item"].longest)
    if "window" in params:
        window = found.windows.get(params["window"])
        name = window.name if window else params["window"]
        out["window"] = _short(name, PLACEHOLDERS["window"].longest)
    if "department" in params:
        department = found.departments.get(params["department"])
        name = department.short_name if department else params["department"]
        out["department"] = _short(name, PLACEHOLDERS["department"].longest)
    if "start" in params:
        out["date"] = _md(params["start"])
        out["time"] = params["start"][11:16]
    if "due" in params:
        out["due"] = _md(params["due"])
    for key in ("code", "minutes"):
        if key in params:
            out[key] = str(params[key])
    return out


def compose(message: OutboxMessage | Row) -> tuple[str, str, dict[str, str], str]:
    """(signature, template code, template parameters, text) for ``message``."""
    messages = catalog().settings.messages
    if messages is None:
        raise TemplateMissing("settings.yml has no messages section")
    template = getattr(messages.templates, message.event)
    filled = values(json.loads(message.params))
    used = {name: filled.get(name, "") for name in placeholders_of(template.text)}
    return messages.sms_signature, template.sms_template, used, render(template.text, used)


def logged_text(message: OutboxMessage | Row, text: str, used: dict[str, str]) -> str:
    """The text kept in the log: a verification code is masked."""
    if "code" in used:
        return text.replace(used["code"], "******")
    return text


def label(event: str) -> str:
    return EVENTS[event].label if event in EVENTS else event
