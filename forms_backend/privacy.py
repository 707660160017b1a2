"""Personal data: validation of ID and phone numbers, encryption at rest, lookup hashes, masking.

ID numbers and phones are stored encrypted (Fernet, key from ``ENCRYPTION_KEY``; several
comma-separated keys allow rotation, the first one encrypts) and found through an HMAC-SHA256
column keyed by ``LOOKUP_KEY``, a separate key that never changes with rotation. Everything
shown to people is masked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask

from .extensions import the_app

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_PHONE_SHAPE = re.compile(r"^1[3-9]\d{9}$")


def normalise_id_number(value: str) -> str:
    """Remove spaces and upper-case a trailing x, the usual typing variations."""
    return re.sub(r"\s+", "", value).upper()


def id_number_problem(value: str, today: dt.date) -> str | None:
    """Why ``value`` is not a valid 18-digit 居民身份证 number (GB 11643), or None if it is."""
    number = normalise_id_number(value)
    if not _ID_SHAPE.match(number):
        return f"身份证号应为 18 位：前 17 位是数字，最后一位是数字或 X，您填写的是 {len(number)} 位。请对照身份证重新填写。"
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "身份证号第 7 到 14 位的出生日期不是有效日期。请对照身份证重新填写。"
    if born > today or born.year < 1900:
        return "身份证号中的出生日期不合理。请对照身份证重新填写。"
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK_CHARS[total % 11] != number[17]:
        return "身份证号的校验位不对，可能有一位输错了。请对照身份证逐位核对后重新填写。"
    return None


def birth_date(id_number: str) -> dt.date:
    """The birth date encoded in a valid ID number."""
    number = normalise_id_number(id_number)
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def age_on(id_number: str, day: dt.date) -> int:
    """Age in whole years on ``day`` of the person with this (valid) ID number."""
    born = birth_date(id_number)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def normalise_phone(value: str) -> str:
    """Remove spaces, hyphens and a leading +86 country code."""
    phone = re.sub(r"[\s-]+", "", value)
    return phone[3:] if phone.startswith("+86") else phone


def phone_problem(value: str) -> str | None:
    """Why ``value`` is not an 11-digit mainland mobile number, or None if it is."""
    if not _PHONE_SHAPE.match(normalise_phone(value)):
        return "手机号应为 11 位数字，以 1 开头，例如 13812345678。请检查后重新填写。"
    return None


def mask_id_number(number: str) -> str:
    """1501**********1234: the first four and the last four characters."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****1234."""
    return phone[:3] + "****" + phone[-4:]


def mask_name(name: str) -> str:
    """张*, 欧阳** : the family name character and stars (used in exports)."""
    return name[:1] + "*" * max(len(name) - 1, 1)


class Vault:
    """Encrypts, decrypts and hashes personal data with the app's keys."""

    def __init__(self, encryption_keys: str, lookup_key: str) -> None:
        keys = [k.strip() for k in encryption_keys.split(",") if k.strip()]
        if not keys:
            raise ValueError("ENCRYPTION_KEY is empty; generate one with Fernet.generate_key().")
        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys])
        except ValueError as error:
            raise ValueError(
                f"ENCRYPTION_KEY is not a Fernet key ({error}); generate one with "
                "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
            ) from error
        if not lookup_key:
            raise ValueError("LOOKUP_KEY is empty; generate one with `flask keys generate`.")
        self._lookup_key = (
            bytes.fromhex(lookup_key[4:]) if lookup_key.startswith("hex:") else lookup_key.encode()
        )

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise ValueError(
                "cannot decrypt: ENCRYPTION_KEY does not match the stored data"
            ) from error

    def encrypt_bytes(self, data: bytes) -> bytes:
        """Encrypt a file's content (uploaded materials may be scans of ID cards)."""
        return self._fernet.encrypt(data)

    def decrypt_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as error:
            raise ValueError(
                "cannot decrypt: ENCRYPTION_KEY does not match the stored file"
            ) from error

    def rotate(self, token: str) -> str:
        """The same value encrypted with the first key (rotation)."""
        return self._fernet.rotate(token.encode()).decode()

    def rotate_bytes(self, token: bytes) -> bytes:
        return self._fernet.rotate(token)

    def lookup_hash(self, value: str) -> str:
        return hmac.new(self._lookup_key, value.encode(), hashlib.sha256).hexdigest()


def init_app(app: Flask) -> None:
    app.extensions["banshi_vault"] = Vault(app.config["ENCRYPTION_KEY"], app.config["LOOKUP_KEY"])


def vault() -> Vault:
    return the_app().extensions["banshi_vault"]
