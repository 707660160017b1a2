"""The hall queue through its JSON API: tickets, the call order, counter actions, day rules,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from forms_backend import create_app
from forms_backend.audit import AuditEntry
from forms_backend.bookings.models import Booking
from forms_backend.extensions import db
from tests.backend.fixtures import CATALOG, id_number
from tests.backend.queue import make_counters


@pytest.fixture
def backend_config(backend_config, database_url):
    """Every test here on SQLite and on the real PostgreSQL (the queue's statements differ)."""
    return {**backend_config, "SQLALCHEMY_DATABASE_URI": database_url, "AUTO_CREATE_TABLES": True}


@pytest.fixture
def counters(app):
    return make_counters(app, [1, 2], windows=("enterprise", "social-affairs"))


@pytest.fixture
def at_counter(staff):
    staff.create("wangfang", windows="enterprise,social-affairs")
    staff.login("wangfang")


def take(client, **body):
    body.setdefault("window", "enterprise")
    return client.post("/api/queue/tickets", json=body)


def act(client, counter_id, action, **body):
    return client.post(f"/api/queue/counters/{counter_id}/{action}", json=body)


def test_tickets_are_numbered_per_window_type_with_its_prefix(client):
    first = take(client).json
    second = take(client).json
    other = take(client, window="social-affairs").json
    assert (first["number"], second["number"], other["number"]) == ("A001", "A002", "B001")
    assert second["people_ahead"] == 1 and second["status"] == "waiting"
    assert first["window_name"] == "企业开办综合窗口"
    assert second["estimated_minutes"] == 10  # 1 ahead × 10 min, no counter yet: 1 assumed


def test_numbers_restart_the_next_day(client, clock):
    take(client)
    take(client)
    clock.set("2026-11-26T10:00:00+08:00")
    assert take(client).json["number"] == "A001"


@pytest.fixture
def two_halls(backend_config, tmp_path):
    """The test catalog with a second hall (东区分中心) and its own window type."""
    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG, catalog)
    places = catalog / "places.yml"
    text = places.read_text(encoding="utf-8").replace(
        "windows:\n",
        "  - id: east-hall\n    name: 青山区政务服务中心东区分中心\n"
        "    address: 内蒙古自治区包头市青山区东环路 8 号\n    phone: 0472-3619999\n"
        "windows:\n",
        1,
    )
    text += (
        "  - id: east-general\n    name: 东区综合窗口\n    hall: east-hall\n"
        "    location: 一楼 1–2 号窗口\n    audience: [自然人]\n    counters: 2\n"
        '    hours:\n      - {start: "09:00", end: "17:00"}\n'
    )
    places.write_text(text, encoding="utf-8")
    app = create_app({**backend_config, "CATALOG_PATH": str(catalog)})
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_numbers_restart_per_hall_and_per_day(two_halls, clock):
    numbers = [take(two_halls, window=w).json["number"] for w in ("enterprise", "enterprise")]
    east = [take(two_halls, window="east-general").json["number"] for _ in range(2)]
    assert numbers == ["A001", "A002"] and east == ["A001", "A002"]  # each hall counts alone
    clock.set("2026-11-26T09:30:00+08:00")
    assert take(two_halls, window="east-general").json["number"] == "A001"
    assert take(two_halls, window="enterprise").json["number"] == "A001"


def test_no_tickets_on_a_public_holiday_even_at_a_weekend_service_window(client, clock):
    clock.set("2026-10-02T10:00:00+08:00")  # 国庆节 (a Friday); 10-03/04 are holidays too
    for window, name in (
        ("enterprise", "企业开办综合窗口"),
        ("social-affairs", "社会事务综合窗口"),
    ):
        answer = take(client, window=window)
        assert answer.status_code == 409
        assert answer.json["message"] == (
            f"今天 {name} 不办公，不能取号。下一个办公日是 2026 年 10 月 8 日，也可以在网上预约。"
        )


def test_counters_stop_calling_when_the_day_closes(client, clock, counters, staff):
    take(client)
    clock.set("2026-11-25T17:01:00+08:00")
    staff.create("wangfang", windows="enterprise,social-affairs")
    staff.login("wangfang")
    answer = act(client, counters[0], "call")
    assert answer.status_code == 409
    assert "今天的办公时间已经结束，1 号窗口不再叫号" in answer.json["message"]
    mine = client.get("/api/queue/halls/citizen-hall").json
    assert mine["closed"] is True and mine["windows"][0]["waiting"] == ["A001"]


def test_no_tickets_on_a_closed_day_or_outside_hours(client, clock):
    clock.set("2026-11-28T10:00:00+08:00")  # Saturday: social-affairs has no weekend hours
    answer = take(client, window="social-affairs")
    assert answer.status_code == 409
    assert "今天 社会事务综合窗口 不办公" in answer.json["message"]
    assert "2026 年 11 月 30 日" in answer.json["message"]
    assert take(client, window="enterprise").status_code == 201  # 双休日不打烊 09:00–12:00
    clock.set("2026-11-25T12:30:00+08:00")  # lunch break
    answer = take(client)
    assert answer.status_code == 409 and "请在 13:00 以后取号" in answer.json["message"]
    clock.set("2026-11-25T17:01:00+08:00")
    assert "今天的取号时间已经结束" in take(client).json["message"]


def test_bad_ticket_requests_get_chinese_field_errors(client):
    answer = client.post("/api/queue/tickets", json={"window": "nowhere"})
    assert answer.status_code == 422 and "没有窗口“nowhere”" in answer.json["errors"]["window"]
    answer = client.post("/api/queue/tickets", json={"window": "enterprise", "colour": "red"})
    assert answer.status_code == 422 and "不认识的字段“colour”" in answer.json["errors"]["colour"]
    answer = client.post("/api/queue/tickets", json={"window": "enterprise", "green": "vip"})
    assert answer.status_code == 422 and "绿色通道" in answer.json["errors"]["green"]
    answer = client.post("/api/queue/tickets", data="window=enterprise")
    assert answer.status_code == 415
    answer = take(client, green="elderly", id_number="110105194912310021")
    assert answer.status_code == 422 and "校验" in answer.json["errors"]["id_number"]


def test_counter_calls_booked_in_slot_then_green_then_first_come(
    app, client, clock, counters, at_counter, book
):
    clock.set("2026-11-24T10:00:00+08:00")  # book tomorrow's 09:00 slot the day before
    booking = book(slot="2026-11-25T09:00:00+08:00").json
    clock.set("2026-11-25T09:05:00+08:00")
    normal = take(client).json["number"]
    young = take(
        client, green="elderly", id_number=id_number(born=__import__("datetime").date(1990, 1, 1))
    ).json
    assert "年满 60 周岁" in young["message"]
    green = take(
        client, green="elderly", id_number=id_number(born=__import__("datetime").date(1950, 1, 1))
    ).json
    disabled = take(client, green="disabled").json
    last4 = booking["phone"][-4:] if "phone" in booking else None
    assert last4 is None or len(last4) == 4
    with app.app_context():
        stored = db.session.scalar(select(Booking).where(Booking.reference == booking["reference"]))
        phone_last4 = stored.phone_last4
    booked = take(
        client, window=None, booking_reference=booking["reference"], phone_last4=phone_last4
    )
    assert booked.status_code == 201, booked.json
    assert booked.json["priority"] == "booking" and booked.json["people_ahead"] == 0
    order = []
    for _ in range(4):
        answer = act(client, counters[0], "call")
        order.append(answer.json["ticket"]["number"])
        assert act(client, counters[0], "finish").status_code == 200
    assert order == [booked.json["number"], green["number"], disabled["number"], normal]
    with app.app_context():
        stored = db.session.scalar(select(Booking).where(Booking.reference == booking["reference"]))
        assert stored.status == "served" and stored.checked_in_at is not None
    again = take(
        client, window=None, booking_reference=booking["reference"], phone_last4=phone_last4
    )
    assert again.status_code == 409


def test_a_booking_waits_like_anyone_before_its_slot(
    app, client, clock, counters, at_counter, book
):
    clock.set("2026-11-24T10:00:00+08:00")
    booking = book(slot="2026-11-25T11:00:00+08:00").json
    clock.set("2026-11-25T09:05:00+08:00")
    normal = take(client).json["number"]
    with app.app_context():
        last4 = db.session.scalar(
            select(Booking.phone_last4).where(Booking.reference == booking["reference"])
        )
    booked = take(
        client, window=None, booking_reference=booking["reference"], phone_last4=last4
    ).json
    assert act(client, counters[0], "call").json["ticket"]["number"] == normal
    act(client, counters[0], "finish")
    assert act(client, counters[0], "call").json["ticket"]["number"] == booked["number"]


def test_recall_skip_after_three_calls_transfer_and_finish_are_audited(
    app, client, counters, at_counter
):
    a1 = take(client).json
    take(client, window="social-affairs")
    called = act(client, counters[0], "call").json
    assert called["announcement"] == f"请 {a1['number']} 号到 1 号窗口办理"
    busy = act(client, counters[0], "call")
    assert busy.status_code == 409 and "还在办理 A001 号" in busy.json["message"]
    early = act(client, counters[0], "skip")
    assert early.status_code == 409 and "呼叫满 3 次" in early.json["message"]
    act(client, counters[0], "recall")
    assert act(client, counters[0], "recall").json["ticket"]["status"] == "called"
    assert act(client, counters[0], "skip").json["ticket"]["status"] == "no_show"
    b1 = act(client, counters[0], "call").json["ticket"]
    assert b1["number"] == "B001"
    moved = act(client, counters[0], "transfer", window="enterprise")
    assert (
        moved.json["ticket"]["status"] == "waiting"
        and moved.json["ticket"]["window"] == "enterprise"
    )
    assert act(client, counters[1], "call").json["ticket"]["number"] == "B001"
    assert act(client, counters[1], "finish").json["ticket"]["status"] == "finished"
    assert act(client, counters[1], "finish").status_code == 409
    with app.app_context():
        actions = [
            (e.action, e.subject_ref)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    day = "2026-11-25"
    assert actions == [
        ("ticket.call", f"{day}/A001"),
        ("ticket.recall", f"{day}/A001"),
        ("ticket.recall", f"{day}/A001"),
        ("ticket.skip", f"{day}/A001"),
        ("ticket.call", f"{day}/B001"),
        ("ticket.transfer", f"{day}/B001"),
        ("ticket.call", f"{day}/B001"),
        ("ticket.finish", f"{day}/B001"),
    ]


def test_hall_staff_call_only_at_counters_of_their_windows(app, client, staff):
    other = make_counters(app, [9], windows=("social-affairs",))[0]
    own = make_counters(app, [1], windows=("enterprise",))[0]
    assert act(client, own, "call").status_code == 401
    staff.create("li", windows="enterprise")
    staff.login("li")
    take(client)
    assert act(client, own, "call").status_code == 200
    answer = act(client, other, "call")
    assert answer.status_code == 403 and "9 号窗口" in answer.json["message"]


def test_calling_with_nobody_waiting_says_so(client, counters, at_counter):
    answer = act(client, counters[0], "call")
    assert answer.status_code == 200 and answer.json == {
        "ticket": None,
        "announcement": None,
        "message": "现在没有等待的号。",
    }


def test_my_ticket_api_follows_the_ticket(client, counters, at_counter):
    first = take(client).json
    second = take(client).json
    token = second["url"].rsplit("/", 1)[1]
    assert client.get(f"/api/queue/tickets/{token}").json["people_ahead"] == 1
    act(client, counters[0], "call")
    assert client.get(f"/api/queue/tickets/{token}").json["people_ahead"] == 0
    act(client, counters[0], "finish")
    act(client, counters[0], "call")
    mine = client.get(f"/api/queue/tickets/{token}").json
    assert mine["status"] == "called" and mine["counter"] == 1 and first["number"] == "A001"
    state = client.get("/api/queue/halls/citizen-hall").json
    assert [c["ticket"] for c in state["calls"]] == ["A002", "A001"]
    assert client.get("/api/queue/tickets/nope").status_code == 404
