"""Citizen booking pages: plain HTML forms with CSRF, errors beside fields, nothing lost."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from tests.backend.fixtures import FIRST_SLOT, csrf_token, person, scripts_needed

NEW = "/bookings/new?item=business-licence&kind=appointment"


def post_booking(client, url: str = NEW, **fields):
    page = client.get(url)
    data = {
        "csrf_token": csrf_token(page.text),
        "item": "business-licence",
        "kind": "appointment",
        "slot": FIRST_SLOT,
        **person(),
    }
    data.update(fields)
    return client.post(url, data=data)


def test_new_booking_page_preselects_the_item_and_lists_slots(client):
    page = client.get(NEW)
    assert page.status_code == 200
    assert "个体工商户设立登记" in page.text
    assert 'value="2026-11-26T09:00:00+08:00"' in page.text
    assert 'name="csrf_token"' in page.text
    assert scripts_needed(page.text) == []  # works without JavaScript


def test_days_show_closed_weekend_for_regular_appointments(client):
    page = client.get(NEW)
    assert re.search(r"11月28日 周六<br><small>不办公", page.text)
    after_hours = client.get("/bookings/new?item=business-licence&kind=after_hours&date=2026-11-28")
    assert 'value="2026-11-28T09:00:00+08:00"' in after_hours.text


def test_successful_booking_shows_the_confirmation(client):
    answer = post_booking(client)
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"])
    assert page.status_code == 200
    reference = re.search(r'class="reference">([A-Z0-9]{8})<', page.text).group(1)
    assert "企业开办综合窗口" in page.text and "一楼 A 区 1–6 号窗口" in page.text
    assert "2026年11月26日 周四 09:00–09:30" in page.text
    assert "个体工商户登记（备案）申请书" in page.text  # materials from the catalog
    assert "下载日历提醒" in page.text
    ics = client.get(f"/bookings/{reference}/booking.ics")
    assert ics.mimetype == "text/calendar"
    event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert event.decoded("dtstart").isoformat() == FIRST_SLOT
    assert reference in str(event.get("description"))


def test_errors_are_shown_next_to_fields_and_input_is_kept(client):
    answer = post_booking(client, id_number="150204198506150019", phone="12345", name="李四")
    assert answer.status_code == 422
    html = answer.text
    assert "身份证号的校验位不对" in html
    assert "手机号应为 11 位数字" in html
    assert 'value="150204198506150019"' in html  # nothing typed is lost
    assert 'value="12345"' in html
    assert 'value="李四"' in html
    assert re.search(r'value="2026-11-26T09:00:00\+08:00"\s+checked', html)
    assert 'aria-invalid="true"' in html


def test_post_without_csrf_token_is_refused(app):
    client = app.test_client()
    answer = client.post(
        NEW,
        data={"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT, **person()},
    )
    assert answer.status_code == 400
    assert "表单校验码" in answer.text


def test_full_slot_message_on_the_page(client, book):
    for _ in range(6):
        assert book().status_code == 201
    answer = post_booking(client)
    assert answer.status_code == 422
    assert "这个时段已经约满了" in answer.text


def test_unknown_item_lists_bookable_items(client):
    answer = client.get("/bookings/new?item=nope")
    assert answer.status_code == 404
    assert "没有找到事项“nope”" in answer.text
    assert "/bookings/new?item=business-licence" in answer.text


def test_kind_not_offered_points_to_the_offered_ones(client):
    answer = client.get("/bookings/new?item=food-licence&kind=after_hours")
    assert answer.status_code == 404
    assert "不提供延时服务" in answer.text
    assert "kind=assisted" in answer.text


def test_confirmation_needs_this_browser_or_a_lookup(app, client):
    location = post_booking(client).headers["Location"]
    other = app.test_client()
    answer = other.get(location)
    assert answer.status_code == 302
    assert "/bookings/lookup" in answer.headers["Location"]


def test_lookup_then_cancel(app, client):
    someone = person()
    location = post_booking(client, **someone).headers["Location"]
    reference = location.rsplit("/", 1)[1]
    other = app.test_client()
    page = other.get(f"/bookings/lookup?reference={reference}")
    wrong = other.post(
        "/bookings/lookup",
        data={"csrf_token": csrf_token(page.text), "reference": reference, "phone_last4": "0000"},
    )
    assert "没有找到这个预约" in wrong.text
    found = other.post(
        "/bookings/lookup",
        data={
            "csrf_token": csrf_token(page.text),
            "reference": reference.lower(),
            "phone_last4": someone["phone"][-4:],
        },
    )
    assert found.headers["Location"].endswith(f"/bookings/{reference}")
    confirm = other.get(f"/bookings/{reference}/cancel")
    assert "确定要取消这个预约吗？" in confirm.text
    cancelled = other.post(
        f"/bookings/{reference}/cancel",
        data={"csrf_token": csrf_token(confirm.text), "confirm": "yes"},
    )
    assert cancelled.status_code == 302
    assert "预约已取消" in other.get(f"/bookings/{reference}").text


def test_cancel_without_confirmation_only_asks(client):
    answer = post_booking(client)
    reference = answer.headers["Location"].rsplit("/", 1)[1]
    detail = client.get(answer.headers["Location"])
    assert f'href="/bookings/{reference}/cancel"' in detail.text  # a link to the question
    token = csrf_token(client.get(f"/bookings/{reference}/cancel").text)
    asked = client.post(f"/bookings/{reference}/cancel", data={"csrf_token": token})
    assert asked.status_code == 302 and asked.headers["Location"].endswith("/cancel")
    assert "预约成功" in client.get(f"/bookings/{reference}").text  # still booked


@pytest.mark.parametrize(
    ("reference", "last4", "message"),
    [
        ("", "1234", "请填写预约号。"),
        ("ABC", "1234", "预约号是 8 位"),
        ("ABCDEFGH", "12a4", "最后 4 位数字"),
    ],
)
def test_lookup_field_errors(client, reference, last4, message):
    page = client.get("/bookings/lookup")
    answer = client.post(
        "/bookings/lookup",
        data={"csrf_token": csrf_token(page.text), "reference": reference, "phone_last4": last4},
    )
    assert answer.status_code == 422
    assert message in answer.text


def test_reschedule_page(client):
    location = post_booking(client).headers["Location"]
    reference = location.rsplit("/", 1)[1]
    page = client.get(f"/bookings/{reference}/reschedule?date=2026-11-27")
    assert 'value="2026-11-27T09:00:00+08:00"' in page.text
    moved = client.post(
        f"/bookings/{reference}/reschedule?date=2026-11-27",
        data={"csrf_token": csrf_token(page.text), "slot": "2026-11-27T09:00:00+08:00"},
    )
    assert moved.status_code == 302
    assert "2026年11月27日 周五 09:00" in client.get(location).text


def test_assisted_booking_with_home_visit(client):
    answer = post_booking(
        client,
        url="/bookings/new?item=business-licence&kind=assisted",
        kind="assisted",
        disabled="y",
        home_visit="y",
        address="青山区幸福路 8 号",
    )
    assert answer.status_code == 302
    assert "已申请上门服务" in client.get(answer.headers["Location"]).text


def test_html_404_is_chinese(client):
    answer = client.get("/bookings/ZZZZZZZZ/booking.ics")
    assert answer.status_code == 302  # not this browser's booking: go to lookup
    missing = client.get("/bookings/does/not/exist")
    assert missing.status_code == 404
    assert "没有找到这个页面" in missing.text
