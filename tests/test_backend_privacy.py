"""ID and phone validation, masking, encryption and lookup hashes."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet

from forms_backend.privacy import (
    Vault,
    age_on,
    id_number_problem,
    mask_id_number,
    mask_name,
    mask_phone,
    phone_problem,
)
from forms_backend.references import ALPHABET, is_reference, new_reference
from tests.backend.fixtures import id_number

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", id_number()])
def test_valid_id_numbers(number):
    assert id_number_problem(number, TODAY) is None


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("110105194912310021", "校验位不对"),
        ("11010519491231002", "应为 18 位"),
        ("110105194913310029", "不是有效日期"),
        ("110105203012310021", "不合理"),
    ],
)
def test_invalid_id_numbers(number, expected):
    assert expected in id_number_problem(number, TODAY)


def test_age_from_id_number():
    assert age_on("11010519491231002X", TODAY) == 76
    assert age_on(id_number(born=dt.date(1956, 11, 26)), TODAY) == 69
    assert age_on(id_number(born=dt.date(1956, 11, 25)), TODAY) == 70


@pytest.mark.parametrize(
    "phone", ["13812345678", "138 1234 5678", "+8613812345678", "199-1234-5678"]
)
def test_valid_phones(phone):
    assert phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["1381234567", "12812345678", "0472-3612345", "abc"])
def test_invalid_phones(phone):
    assert phone_problem(phone).startswith("手机号应为 11 位数字")


def test_masks():
    assert mask_id_number("150204198506150018") == "1502**********0018"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("张") == "张*"


def test_vault_round_trip_and_rotation():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = Vault(old, "lookup").encrypt("13812345678")
    assert "13812345678" not in token
    rotated = Vault(f"{new},{old}", "lookup")
    assert rotated.decrypt(token) == "13812345678"
    with pytest.raises(ValueError, match="ENCRYPTION_KEY does not match"):
        Vault(new, "lookup").decrypt(token)


def test_lookup_hash_is_keyed_and_stable():
    key = Fernet.generate_key().decode()
    assert Vault(key, "a").lookup_hash("x") == Vault(key, "a").lookup_hash("x")
    assert Vault(key, "a").lookup_hash("x") != Vault(key, "b").lookup_hash("x")


def test_bad_encryption_key_says_how_to_fix():
    with pytest.raises(ValueError, match="Fernet.generate_key"):
        Vault("not-a-key", "lookup")


def test_references_avoid_look_alikes():
    codes = {new_reference() for _ in range(200)}
    assert len(codes) == 200
    assert all(is_reference(code) for code in codes)
    assert not set("01ILO") & set(ALPHABET)
