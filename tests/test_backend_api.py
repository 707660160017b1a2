"""The booking JSON API: slots, booking, lookup, cancel, reschedule, next slot, OpenAPI."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forms_backend.bookings.models import Booking, Slot
from forms_backend.extensions import db
from tests.backend.fixtures import FIRST_SLOT, person


def test_slots_lists_remaining_seats(client, book):
    assert book().status_code == 201
    answer = client.get("/api/slots?item=business-licence&date=2026-11-26")
    assert answer.status_code == 200
    first = answer.json["slots"][0]
    assert first["start"] == FIRST_SLOT
    assert first["end"] == "2026-11-26T09:30:00+08:00"
    assert (first["capacity"], first["remaining"]) == (6, 5)


def test_booking_returns_reference_window_and_materials(book):
    answer = book()
    assert answer.status_code == 201
    body = answer.json
    assert len(body["reference"]) == 8
    assert set(body["reference"]) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    assert body["window"]["location"] == "一楼 A 区 1–6 号窗口"
    assert body["start"] == FIRST_SLOT
    assert "个体工商户登记（备案）申请书" in [m["name"] for m in body["materials"]]
    assert answer.headers["Location"] == f"/api/bookings/{body['reference']}"


def test_booking_stores_personal_data_encrypted_and_masked(app, book):
    data = person(id_number="11010519491231002X", phone="13812345678")
    body = book(**data).json
    assert body["id_number"] == "1101**********002X"
    assert body["phone"] == "138****5678"
    with app.app_context():
        row = db.session.scalar(select(Booking))
        assert "11010519491231002X" not in row.id_cipher
        assert "13812345678" not in row.phone_cipher
        raw = db.session.execute(select(Booking.__table__)).mappings().one()
        assert "11010519491231002X" not in str(dict(raw))
        assert "13812345678" not in str(dict(raw))


def test_last_seat_then_409(app, book):
    with app.app_context():
        capacity = app.extensions["banshi_catalog"].windows["enterprise"].counters
    answers = [book().status_code for _ in range(capacity + 2)]
    assert answers == [201] * capacity + [409, 409]
    with app.app_context():
        slot = db.session.scalar(select(Slot))
        assert (slot.booked, slot.capacity) == (capacity, capacity)
        assert db.session.scalar(select(func.count(Booking.id))) == capacity


def test_full_slot_message_is_chinese(app, book):
    for _ in range(6):
        book()
    answer = book()
    assert answer.status_code == 409
    assert answer.json["message"] == "这个时段已经约满了。请选择其他时段。"


def test_one_active_booking_per_person_per_day(book):
    someone = person()
    assert book(**someone).status_code == 201
    again = book(**someone, slot="2026-11-26T14:00:00+08:00")
    assert again.status_code == 409
    assert "每人每天只能预约一次" in again.json["message"]
    assert book(**someone, slot="2026-11-27T09:00:00+08:00").status_code == 201


def test_database_enforces_one_booking_per_day_without_the_check(app, book):
    """The unique partial index refuses a second active row even if code skipped the check."""
    from sqlalchemy.exc import IntegrityError

    assert book().status_code == 201
    with app.app_context():
        row = db.session.scalar(select(Booking))
        clone = {c.name: getattr(row, c.key) for c in Booking.__table__.columns if c.name != "id"}
        clone["reference"] = "ZZZZ2222"
        with pytest.raises(IntegrityError, match="id_hmac"):
            db.session.execute(Booking.__table__.insert().values(**clone))
        db.session.rollback()
        clone["status"] = "cancelled"  # the index is partial: inactive rows do not count
        db.session.execute(Booking.__table__.insert().values(**clone))
        db.session.commit()


def test_cancelled_booking_frees_the_day_and_the_seat(client, book):
    someone = person()
    body = book(**someone).json
    cancel = client.post(
        f"/api/bookings/{body['reference']}/cancel", json={"phone_last4": someone["phone"][-4:]}
    )
    assert cancel.status_code == 200
    assert cancel.json["status"] == "cancelled"
    slots = client.get("/api/slots?item=business-licence&date=2026-11-26").json["slots"]
    assert slots[0]["remaining"] == 6
    assert book(**someone).status_code == 201


def test_lookup_needs_the_right_last_four_digits(client, book):
    someone = person()
    reference = book(**someone).json["reference"]
    good = client.get(f"/api/bookings/{reference}?phone_last4={someone['phone'][-4:]}")
    assert good.status_code == 200
    assert good.json["name"] == "张*"
    wrong = client.get(f"/api/bookings/{reference}?phone_last4=0000")
    assert wrong.status_code == 404
    assert wrong.json["message"].startswith("没有找到这个预约")
    lower = client.get(f"/api/bookings/{reference.lower()}?phone_last4={someone['phone'][-4:]}")
    assert lower.status_code == 200


def test_cancel_refused_less_than_two_hours_before(client, book, clock):
    someone = person()
    reference = book(**someone).json["reference"]
    clock.set("2026-11-26T07:01:00+08:00")
    answer = client.post(
        f"/api/bookings/{reference}/cancel", json={"phone_last4": someone["phone"][-4:]}
    )
    assert answer.status_code == 409
    assert "不足 2 小时" in answer.json["message"]
    clock.set("2026-11-26T06:59:00+08:00")
    answer = client.post(
        f"/api/bookings/{reference}/cancel", json={"phone_last4": someone["phone"][-4:]}
    )
    assert answer.status_code == 200


def test_cancel_twice_is_409(client, book):
    someone = person()
    reference = book(**someone).json["reference"]
    last4 = {"phone_last4": someone["phone"][-4:]}
    assert client.post(f"/api/bookings/{reference}/cancel", json=last4).status_code == 200
    again = client.post(f"/api/bookings/{reference}/cancel", json=last4)
    assert again.status_code == 409
    assert "已取消" in again.json["message"]


def test_reschedule_moves_the_seat(client, book):
    someone = person()
    reference = book(**someone).json["reference"]
    answer = client.post(
        f"/api/bookings/{reference}/reschedule",
        json={"phone_last4": someone["phone"][-4:], "slot": "2026-11-27T14:00:00+08:00"},
    )
    assert answer.status_code == 200
    assert answer.json["start"] == "2026-11-27T14:00:00+08:00"
    day26 = client.get("/api/slots?item=business-licence&date=2026-11-26").json["slots"]
    day27 = client.get("/api/slots?item=business-licence&date=2026-11-27").json["slots"]
    assert day26[0]["remaining"] == 6
    assert next(s for s in day27 if s["start"] == "2026-11-27T14:00:00+08:00")["remaining"] == 5


def test_reschedule_to_a_full_slot_keeps_the_old_one(client, book):
    target = "2026-11-27T09:00:00+08:00"
    for _ in range(6):
        assert book(slot=target).status_code == 201
    someone = person()
    reference = book(**someone).json["reference"]
    answer = client.post(
        f"/api/bookings/{reference}/reschedule",
        json={"phone_last4": someone["phone"][-4:], "slot": target},
    )
    assert answer.status_code == 409
    kept = client.get(f"/api/bookings/{reference}?phone_last4={someone['phone'][-4:]}").json
    assert (kept["start"], kept["status"]) == (FIRST_SLOT, "booked")
    day26 = client.get("/api/slots?item=business-licence&date=2026-11-26").json["slots"]
    assert day26[0]["remaining"] == 5


def test_reschedule_onto_a_day_with_another_booking_is_refused(client, book):
    someone = person()
    first = book(**someone).json["reference"]
    assert book(**someone, slot="2026-11-27T09:00:00+08:00").status_code == 201
    answer = client.post(
        f"/api/bookings/{first}/reschedule",
        json={"phone_last4": someone["phone"][-4:], "slot": "2026-11-27T10:00:00+08:00"},
    )
    assert answer.status_code == 409
    assert "每人每天只能预约一次" in answer.json["message"]
    day27 = client.get("/api/slots?item=business-licence&date=2026-11-27").json["slots"]
    assert next(s for s in day27 if s["start"].endswith("10:00:00+08:00"))["remaining"] == 6


def test_after_hours_booking_on_weekend_service_day(book):
    answer = book(kind="after_hours", slot="2026-11-28T09:00:00+08:00")
    assert answer.status_code == 201


def test_after_hours_refused_for_item_without_it(book):
    answer = book(item="food-licence", kind="after_hours", slot="2026-11-26T08:00:00+08:00")
    assert answer.status_code == 422
    assert (
        answer.json["errors"]["kind"]
        == "事项“食品经营许可（低风险）”不提供延时服务（早晚弹性、双休日不打烊）。请选择其他预约类型。"
    )


def test_regular_slot_is_not_an_after_hours_slot(book):
    answer = book(kind="after_hours", slot=FIRST_SLOT)
    assert answer.status_code == 422
    assert "不是可预约的时段" in answer.json["errors"]["slot"]


def test_next_slot_for_the_site(client, book):
    answer = client.get("/api/items/business-licence/next-slot")
    assert answer.status_code == 200
    assert answer.json["start"] == FIRST_SLOT
    assert answer.json["window"] == "enterprise"
    for _ in range(6):
        book()
    assert client.get("/api/items/business-licence/next-slot").json["start"] == (
        "2026-11-26T09:30:00+08:00"
    )


def test_next_slot_unknown_item_is_404_json(client):
    answer = client.get("/api/items/no-such-item/next-slot")
    assert answer.status_code == 404
    assert answer.json["message"] == "没有找到事项“no-such-item”。"


def test_next_slot_cors_only_for_the_site_origin(client):
    site = client.get(
        "/api/items/business-licence/next-slot", headers={"Origin": "https://guide.example.cn"}
    )
    assert site.headers["Access-Control-Allow-Origin"] == "https://guide.example.cn"
    other = client.get(
        "/api/items/business-licence/next-slot", headers={"Origin": "https://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in other.headers
    booking = client.post("/api/bookings", json={}, headers={"Origin": "https://guide.example.cn"})
    assert "Access-Control-Allow-Origin" not in booking.headers


def test_holiday_has_no_slots_and_make_up_saturday_has(client, clock):
    clock.set("2026-09-30T10:00:00+08:00")
    holiday = client.get("/api/slots?item=business-licence&date=2026-10-01")
    assert holiday.status_code == 200 and holiday.json["slots"] == []
    make_up = client.get("/api/slots?item=business-licence&date=2026-10-10")
    assert len(make_up.json["slots"]) == 13
    assert client.get("/api/items/business-licence/next-slot").json["start"] == (
        "2026-10-08T09:00:00+08:00"
    )


def test_2027_is_not_bookable_before_its_holidays_are_recorded(client, clock, book):
    clock.set("2026-12-30T10:00:00+08:00")
    for day in ("2027-01-01", "2027-01-04"):
        answer = client.get(f"/api/slots?item=business-licence&date={day}")
        assert answer.status_code == 422
        assert "2027 年的节假日安排尚未公布，目前只能预约到 2026年12月31日" in str(answer.json)
    refused = book(slot="2027-01-04T09:00:00+08:00")
    assert refused.status_code == 422
    assert "2027 年的节假日安排尚未公布" in str(refused.json)
    assert (
        client.get("/api/items/business-licence/next-slot").json["start"].startswith("2026-12-31")
    )


def test_openapi_lists_every_api_route(app, client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method) in documented, f"{method} {path} missing from openapi.json"
