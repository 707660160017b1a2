"""Delivery channels: ``sms`` (Alibaba Cloud SMS through its official SDK), ``email`` (SMTP)
and ``none`` (the embedded default: the message is only logged on the staff 发送记录 page).

A channel raises ``Temporary`` (retry with back-off) or ``Permanent`` (the provider refused this
message for good, e.g. an invalid number); anything else unexpected counts as temporary.
"""

from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from flask import Flask, current_app


class Temporary(Exception):
    """Try again later."""


class Permanent(Exception):
    """The provider refused this message; retrying will not help."""


@dataclass(frozen=True)
class Outgoing:
    key: str
    phone: str
    signature: str
    template_code: str
    params: dict[str, str]
    text: str
    subject: str


class NoneChannel:
    name = "none"

    def send(self, message: Outgoing) -> str:
        return "none"


# Alibaba Cloud SendSms error codes that will not succeed on a retry.
PERMANENT_SMS_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.INVALID_PARAMETERS",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.DENY_IP_RANGE",
}


class AliyunSms:
    """SendSms (API version 2017-05-25) with the official SDK: signature + template code +
    JSON template parameters; ``OutId`` carries the message's idempotency key."""

    name = "sms"

    def __init__(self, config) -> None:
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as open_api

        self._client = Client(
            open_api.Config(
                access_key_id=config["SMS_ACCESS_KEY_ID"],
                access_key_secret=config["SMS_ACCESS_KEY_SECRET"],
                endpoint=config["SMS_ENDPOINT"],
                protocol=config["SMS_PROTOCOL"],
            )
        )
        self._timeout_ms = int(float(config["NOTIFY_SEND_TIMEOUT_SECONDS"]) * 1000)

    def send(self, message: Outgoing) -> str:
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_util import models as util

        request = models.SendSmsRequest(
            phone_numbers=message.phone,
            sign_name=message.signature,
            template_code=message.template_code,
            template_param=json.dumps(message.params, ensure_ascii=False),
            out_id=message.key[:64],
        )
        runtime = util.RuntimeOptions(
            autoretry=False, connect_timeout=self._timeout_ms, read_timeout=self._timeout_ms
        )
        try:
            answer = self._client.send_sms_with_options(request, runtime).body
        except Exception as error:  # network, 5xx, throttling, signature: retry later
            code = getattr(error, "code", None) or type(error).__name__
            raise Temporary(f"{code}: {getattr(error, 'message', error)}"[:400]) from None
        if answer.code == "OK":
            return answer.biz_id or "OK"
        if answer.code in PERMANENT_SMS_CODES:
            raise Permanent(f"{answer.code}: {answer.message}"[:400])
        raise Temporary(f"{answer.code}: {answer.message}"[:400])


class Smtp:
    """One e-mail per message to ``NOTIFY_EMAIL_TO`` (``{phone}`` filled in: the e-mail gateway
    of the SMS platform, or a mailbox); ``Message-ID`` is built from the idempotency key."""

    name = "email"

    def __init__(self, config) -> None:
        self._config = config

    def send(self, message: Outgoing) -> str:
        config = self._config
        mail = EmailMessage()
        mail["From"] = config["SMTP_FROM"]
        mail["To"] = str(config["NOTIFY_EMAIL_TO"]).format(phone=message.phone)
        mail["Subject"] = f"【{message.signature}】{message.subject}"
        mail["Date"] = formatdate(localtime=True)
        domain = str(config["SMTP_FROM"]).rpartition("@")[2] or "banshi.invalid"
        mail["Message-ID"] = f"<{message.key}@{domain}>"
        mail.set_content(f"【{message.signature}】{message.text}")
        timeout = float(config["NOTIFY_SEND_TIMEOUT_SECONDS"])
        try:
            klass = smtplib.SMTP_SSL if config["SMTP_SSL"] else smtplib.SMTP
            with klass(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=timeout) as smtp:
                if config["SMTP_STARTTLS"] and not config["SMTP_SSL"]:
                    smtp.starttls()
                if config["SMTP_USERNAME"]:
                    smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
                refused = smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            raise Permanent(f"recipient refused: {error.recipients}"[:400]) from None
        except (OSError, smtplib.SMTPException) as error:
            raise Temporary(f"{type(error).__name__}: {error}"[:400]) from None
        if refused:
            raise Permanent(f"recipient refused: {refused}"[:400])
        return mail["Message-ID"]


CHANNELS = {"none": NoneChannel, "sms": AliyunSms, "email": Smtp}


def sms_ready() -> bool:
    """A code can reach the citizen: an SMS channel (or the e-mail gateway of one) is set up.

    Then 找回 asks for that code; without it, ID number + full phone + the day find a booking."""
    config = current_app.config
    return bool(config["NOTIFY_ENABLED"]) and config["NOTIFY_CHANNEL"] in ("sms", "email")


def channel_of(app: Flask):
    """The configured channel, built once per app."""
    found = app.extensions.get("banshi_channel")
    if found is None:
        name = app.config["NOTIFY_CHANNEL"] or "none"
        found = CHANNELS[name]() if name == "none" else CHANNELS[name](app.config)
        app.extensions["banshi_channel"] = found
    return found
