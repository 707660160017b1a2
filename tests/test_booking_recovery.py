"""A booking stored but never acknowledged does not lock the citizen out: a retry with the same
idempotency key returns the same booking, and 找回预约号 finds it by ID number, phone and date."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from forms_backend.bookings.models import Booking, Slot
from forms_backend.extensions import db
from tests.backend.fixtures import FIRST_SLOT, csrf_token, person

KEY = "retry-key-0123456789abcdef"


def test_a_retry_with_the_same_key_returns_the_same_booking(app, book):
    applicant = person()
    first = book(**applicant, idempotency_key=KEY)
    again = book(**applicant, idempotency_key=KEY)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json["reference"] == first.json["reference"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Booking.id))) == 1
        assert db.session.scalar(select(Slot.booked)) == 1  # one seat, not two


def test_without_a_key_a_retry_is_refused_as_a_second_booking_that_day(book):
    applicant = person()
    assert book(**applicant).status_code == 201
    assert book(**applicant).status_code == 409


def test_a_key_used_by_someone_else_is_refused(book):
    assert book(**person(), idempotency_key=KEY).status_code == 201
    other = book(**person(), idempotency_key=KEY)
    assert other.status_code == 409
    assert "请求编号已经用于另一份预约" in other.json["errors"]["idempotency_key"]


def test_a_malformed_key_is_refused_with_a_chinese_message(book):
    answer = book(**person(), idempotency_key="short")
    assert answer.status_code == 422
    assert answer.json["errors"]["idempotency_key"].startswith("请求编号应为 16 到 64 位")


def test_the_booking_page_resubmitted_after_a_lost_answer_shows_the_same_booking(client):
    page = client.get("/bookings/new?item=business-licence").text
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    form = {
        "csrf_token": csrf_token(page),
        "idempotency_key": key,
        "item": "business-licence",
        "kind": "appointment",
        "slot": FIRST_SLOT,
        **person(),
    }
    first = client.post("/bookings/new?item=business-licence", data=form)
    assert first.status_code == 302
    again = client.post("/bookings/new?item=business-licence", data=form)  # the browser resends
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]


def test_recover_finds_the_booking_by_id_number_phone_and_date(client, book):
    applicant = person()
    reference = book(**applicant).json["reference"]
    body = {"id_number": applicant["id_number"], "phone": applicant["phone"], "date": "2026-11-26"}
    found = client.post("/api/bookings/recover", json=body)
    assert found.status_code == 200
    assert found.json["reference"] == reference
    assert found.json["phone"].startswith("138****")  # masked
    for wrong in ({"phone": "13999999999"}, {"date": "2026-11-27"}):
        missed = client.post("/api/bookings/recover", json={**body, **wrong})
        assert missed.status_code == 404
        assert missed.json["message"].startswith("没有找到这一天的预约")


def test_recover_checks_its_fields_in_chinese(client):
    answer = client.post(
        "/api/bookings/recover", json={"id_number": "123", "phone": "", "date": "x"}
    )
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {"id_number", "phone", "date"}
    assert answer.json["errors"]["date"] == "预约日期应写作 年-月-日，例如 2026-11-26。"


def test_recover_page_opens_the_booking(client, book):
    """Without an SMS channel, 找回我的预约和办件 finds the booking by ID number, phone and day."""
    applicant = person()
    reference = book(**applicant).json["reference"]
    page = client.get("/bookings/mine/").text
    assert "预约日期" in page and "获取短信验证码" not in page
    form = {
        "csrf_token": csrf_token(page),
        "id_number": applicant["id_number"],
        "phone": applicant["phone"],
        "date": "2026-11-26",
    }
    missed = client.post("/bookings/mine/by-date", data={**form, "date": "2026-11-27"})
    assert missed.status_code == 422 and "没有找到这一天的预约" in missed.text
    answer = client.post("/bookings/mine/by-date", data=form)
    assert answer.status_code == 302
    assert reference in client.get(answer.headers["Location"]).text
    assert "忘记预约号" in client.get("/bookings/lookup").text


def test_the_old_recover_page_leads_to_the_one_journey(client, book):
    moved = client.get("/bookings/recover")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/bookings/mine/")
    token = csrf_token(client.get("/bookings/mine/").text)  # a page opened before the move
    posted = client.post("/bookings/recover", data={"csrf_token": token})
    assert posted.status_code == 308
    assert posted.headers["Location"].endswith("/bookings/mine/by-date")


def test_recover_is_rate_limited(backend_config):
    from forms_backend import create_app

    app = create_app(
        {
            **backend_config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_ALLOW_MEMORY": True,  # one process
            "RATE_LIMIT_LOOKUP": "3 per hour",
        }
    )
    client = app.test_client()
    body = {"id_number": person()["id_number"], "phone": "13800000000", "date": "2026-11-26"}
    statuses = [client.post("/api/bookings/recover", json=body).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
