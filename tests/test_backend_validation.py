"""Bad input is a 4xx with a Chinese message per field, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.backend.fixtures import FIRST_SLOT, id_number, person

BAD_FIELDS = [
    ("name", "", "请填写姓名。"),
    ("name", "A", "姓名应为 2 到 30 个汉字或字母"),
    ("name", "张三<script>", "姓名应为 2 到 30 个汉字或字母"),
    ("name", "张" * 31, "姓名应为 2 到 30 个汉字或字母"),
    ("id_number", "", "请填写身份证号。"),
    ("id_number", "15020419850615001", "身份证号应为 18 位"),
    ("id_number", "1502041985061500AX", "身份证号应为 18 位"),
    ("id_number", "150204198502300011", "出生日期不是有效日期"),
    ("id_number", "150204209901010011", "出生日期不合理"),
    ("id_number", id_number()[:17] + ("0" if id_number()[17] != "0" else "1"), "校验位不对"),
    ("phone", "", "请填写手机号。"),
    ("phone", "1381234567", "手机号应为 11 位数字"),
    ("phone", "23812345678", "手机号应为 11 位数字"),
    ("phone", "138-1234-567a", "手机号应为 11 位数字"),
    ("item", "", "请选择要办理的事项。"),
    ("item", "no-such-item", "没有找到可预约的事项“no-such-item”"),
    ("kind", "walk_in", "预约类型只能是 appointment"),
    ("slot", "", "请选择预约时段。"),
    ("slot", "tomorrow morning", "不是有效的时间"),
    ("slot", "2026-11-25T14:00:00+08:00", "只能预约 2026年11月26日 至 2026年12月02日 的时段"),
    ("slot", "2026-12-03T09:00:00+08:00", "只能预约 2026年11月26日 至 2026年12月02日 的时段"),
    ("slot", "2026-11-26T12:00:00+08:00", "不是可预约的时段"),
    ("slot", "2026-11-26T09:10:00+08:00", "不是可预约的时段"),
    ("notes", "很" * 501, "说明最多 500 个字"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_FIELDS)
def test_bad_field_is_422_with_a_chinese_message(book, field, value, message):
    answer = book(**{field: value})
    assert answer.status_code == 422, answer.json
    assert message in answer.json["errors"][field]
    assert list(answer.json["errors"]) == [field]


def test_id_number_accepts_lower_case_x_and_spaces(book):
    number = "11010519491231002X"
    answer = book(id_number=" 110105 19491231 002x ")
    assert answer.status_code == 201
    assert answer.json["id_number"] == number[:4] + "*" * 10 + number[-4:]


def test_slot_without_offset_is_china_time(book):
    assert book(slot="2026-11-26T09:00:00").json["start"] == FIRST_SLOT


def test_slot_in_the_past_today(book, clock):
    clock.set("2026-11-26T09:40:00+08:00")
    answer = book(slot="2026-11-26T09:30:00+08:00")
    assert answer.status_code == 422
    assert answer.json["errors"]["slot"]


def test_elderly_flag_checked_against_the_id_number(book):
    young = book(kind="assisted", elderly=True, **person(id_number=id_number()))
    assert young.status_code == 422
    assert "未满 70 周岁" in young.json["errors"]["elderly"]
    from datetime import date

    old = person(id_number=id_number(born=date(1950, 3, 1)))
    assert book(kind="assisted", elderly=True, **old).status_code == 201


def test_home_visit_needs_a_reason_and_an_address(book):
    answer = book(kind="assisted", home_visit=True)
    assert answer.status_code == 422
    assert "70 周岁以上老人和残疾人" in answer.json["errors"]["home_visit"]
    assert "请填写上门地址" in answer.json["errors"]["address"]
    ok = book(kind="assisted", home_visit=True, disabled=True, address="青山区幸福路 8 号 3-2-101")
    assert ok.status_code == 201
    assert ok.json["assisted"] == {"elderly": False, "disabled": True, "home_visit": True}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("", 400),
        ("{", 400),
        ("[]", 400),
        ("null", 400),
        ('"text"', 400),
        ("123", 400),
        ('{"item": null}', 422),
        ('{"item": ["business-licence"]}', 422),
        ('{"item": {"id": 1}}', 422),
        ('{"item": 1.5, "name": true}', 422),
        ('{"elderly": "yes"}', 422),
        ('{"unknown": "x"}', 422),
        ('{"slot": "2026-13-45T99:99"}', 422),
        ('{"slot": "\\u0000"}', 422),
        ('{"name": "\\ud800"}', 422),
        ("\xff\xfe", 400),
        ('{"a": ' * 2000 + "1" + "}" * 2000, 400),
    ],
)
def test_malformed_booking_bodies_are_4xx(client, body, status):
    answer = client.post(
        "/api/bookings", data=body.encode("utf-8", "surrogatepass"), content_type="application/json"
    )
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.json["message"]


def test_form_encoded_post_to_the_api_is_415(client):
    answer = client.post("/api/bookings", data={"item": "business-licence"})
    assert answer.status_code == 415
    assert "Content-Type: application/json" in answer.json["message"]


FUZZ_PATHS = [
    "/api/bookings",
    "/api/bookings/ABCDEFGH/cancel",
    "/api/bookings/ABCDEFGH/reschedule",
]
FUZZ_VALUES = [
    None,
    "",
    " ",
    0,
    -1,
    10**30,
    1.5,
    True,
    [],
    {},
    "\u0000",
    "x" * 10000,
    "😀",
    "2026-11-26",
]


@pytest.mark.parametrize("path", FUZZ_PATHS)
def test_no_5xx_for_any_field_with_any_type(client, path):
    fields = [
        "item",
        "kind",
        "slot",
        "name",
        "id_number",
        "phone",
        "phone_last4",
        "elderly",
        "address",
    ]
    for field in fields:
        for value in FUZZ_VALUES:
            body = {"item": "business-licence", "slot": FIRST_SLOT, **person(), field: value}
            answer = client.post(path, data=json.dumps(body), content_type="application/json")
            assert answer.status_code < 500, (path, field, value, answer.get_data(as_text=True))
            assert answer.status_code < 300 or answer.json["message"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "item=business-licence",
        "item=business-licence&date=2026-02-30",
        "item=business-licence&date=1900-01-01",
        "item=business-licence&date=9999-12-31",
        "item=business-licence&date=2026-11-26&kind=x",
        "item=food-licence&date=2026-11-26&kind=after_hours",
        "item=%00&date=%00",
        "item=" + "a" * 5000,
    ],
)
def test_bad_slot_queries_are_422(client, query):
    answer = client.get(f"/api/slots?{query}")
    assert answer.status_code == 422
    assert answer.json["errors"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/bookings/abc?phone_last4=1234",
        "/api/bookings/ABCDEFGH?phone_last4=12",
        "/api/bookings/ABCDEFGH",
        "/api/bookings/" + "A" * 500 + "?phone_last4=1234",
    ],
)
def test_bad_lookups_are_4xx(client, path):
    answer = client.get(path)
    assert 400 <= answer.status_code < 500
    assert answer.json["message"]


def test_unknown_api_path_is_json_404(client):
    answer = client.get("/api/nothing-here")
    assert answer.status_code == 404
    assert answer.json["message"]


def test_wrong_method_is_json_405_with_allow(client):
    answer = client.get("/api/bookings")
    assert answer.status_code == 405
    assert answer.json["message"]
    assert set(answer.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}


def test_wrong_method_on_a_page_is_405_with_allow(client):
    answer = client.delete("/bookings/lookup")
    assert answer.status_code == 405 and "不支持这种请求方式" in answer.text
    assert set(answer.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_413_names_the_limit_that_was_exceeded(client):
    answer = client.post(
        "/bookings/lookup",
        data={"reference": "x" * 1_200_000},
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 413
    assert "这次提交有 1.1 MB，超过了每次 976 KB 的上限" in answer.text
