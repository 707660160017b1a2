"""Notification settings: refuse to start with a missing or unsafe provider configuration."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Flask

from .channels import CHANNELS


class NotificationSettingsError(RuntimeError):
    """The notification settings are missing something or unsafe; the app does not start."""


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split(":")[0]).is_loopback
    except ValueError:
        return host.split(":")[0] == "localhost"


def check_settings(app: Flask) -> None:
    config = app.config
    problems: list[str] = []
    channel = config["NOTIFY_CHANNEL"]
    if channel is None:
        channel = "none"
    if channel not in CHANNELS:
        problems.append(f"NOTIFY_CHANNEL={channel!r}: expected one of {', '.join(CHANNELS)}.")
    if channel == "sms":
        for key in ("SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_ENDPOINT"):
            if not config.get(key):
                problems.append(f"NOTIFY_CHANNEL=sms needs {key} (set BANSHI_{key}).")
        if config["SMS_PROTOCOL"] != "https" and not _loopback(str(config["SMS_ENDPOINT"] or "")):
            problems.append(
                "SMS_PROTOCOL must be https for a provider that is not on this machine: the "
                "request carries phone numbers and verification codes."
            )
    if channel == "email":
        for key in ("SMTP_HOST", "SMTP_FROM", "NOTIFY_EMAIL_TO"):
            if not config.get(key):
                problems.append(f"NOTIFY_CHANNEL=email needs {key} (set BANSHI_{key}).")
        encrypted = config["SMTP_SSL"] or config["SMTP_STARTTLS"]
        if not encrypted and not _loopback(str(config["SMTP_HOST"] or "")):
            problems.append(
                "SMTP to another machine must be encrypted: set SMTP_STARTTLS=true or SMTP_SSL=true."
            )
        if "{phone}" not in str(config["NOTIFY_EMAIL_TO"] or "{phone}"):
            problems.append(
                "NOTIFY_EMAIL_TO must contain {phone}, e.g. {phone}@sms.example.gov.cn."
            )
    queue = str(config["NOTIFY_QUEUE"])
    if queue.startswith("redis://") and not _loopback(urlsplit(queue).netloc.rpartition("@")[2]):
        problems.append("NOTIFY_QUEUE to a Redis on another machine must use rediss:// (TLS).")
    if problems:
        raise NotificationSettingsError(
            "Notification settings refused (see docs/backend.md, Notifications):\n- "
            + "\n- ".join(problems)
        )
    config["NOTIFY_CHANNEL"] = channel
