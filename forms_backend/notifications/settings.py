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


def missing_channel_problems(app: Flask) -> list[str]:
    """Production must say how citizens get their messages: an unset channel is refused
    (``keys.UnsafeConfiguration``, with the missing keys); ``none`` has to be chosen explicitly."""
    config = app.config
    if not config["NOTIFY_ENABLED"] or config["NOTIFY_CHANNEL"] is not None:
        return []
    return [
        "BANSHI_NOTIFY_CHANNEL is not set: citizens would get no SMS for their bookings and "
        "cases. Set it to sms (with BANSHI_SMS_ACCESS_KEY_ID, BANSHI_SMS_ACCESS_KEY_SECRET) "
        "or email (with BANSHI_SMTP_HOST, BANSHI_SMTP_FROM, BANSHI_NOTIFY_EMAIL_TO); or set "
        "BANSHI_NOTIFY_CHANNEL=none to keep messages only on the staff 发送记录 page. "
        "生产环境未配置通知渠道（BANSHI_NOTIFY_CHANNEL）：群众将收不到预约和办件短信。"
        "请配置 sms 或 email；确实不发送时，请明确设置 BANSHI_NOTIFY_CHANNEL=none。"
    ]


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
