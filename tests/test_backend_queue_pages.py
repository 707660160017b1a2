"""The queue's pages without JavaScript: kiosk, printed ticket, my ticket, call display, the
counter page, the evaluation device, statistics and the public statistics JSON."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forms_backend.evaluations.models import Evaluation
from forms_backend.extensions import db
from forms_backend.hall_queue.models import Ticket
from tests.backend.fixtures import csrf_token
from tests.backend.queue import device_token, make_counters


@pytest.fixture
def counter_id(app):
    return make_counters(app, [3], windows=("enterprise", "social-affairs"))[0]


def kiosk_take(client, **fields):
    page = client.get("/queue/citizen-hall/kiosk")
    data = {"csrf_token": csrf_token(page.text), **fields}
    return client.post("/queue/citizen-hall/kiosk", data=data)


def counter_press(client, counter_id, action, **fields):
    page = client.get(f"/staff/queue/counter/{counter_id}")
    data = {"csrf_token": csrf_token(page.text), **fields}
    return client.post(f"/staff/queue/counter/{counter_id}/{action}", data=data)


def test_kiosk_issues_a_ticket_and_shows_the_print_view(client):
    page = client.get("/queue/citizen-hall/kiosk")
    assert page.status_code == 200
    assert "企业开办综合窗口" in page.text and "等待 0 人" in page.text
    answer = kiosk_take(client, window="enterprise")
    assert answer.status_code == 303 and "/print" in answer.location
    slip = client.get(answer.location).text
    assert "A001" in slip and "前面还有" in slip and "0 人" in slip
    assert 'class="slip slip-80"' in slip  # queue.css: @page slip80 { size: 80mm auto }
    narrow = client.get(answer.location.split("?")[0] + "?width=58").text
    assert 'class="slip slip-58"' in narrow


def test_kiosk_keeps_what_was_typed_and_explains_the_problem(client):
    answer = kiosk_take(
        client, mode="green", green="elderly", window="enterprise", id_number="1234"
    )
    assert answer.status_code == 422
    assert "身份证号" in answer.text and 'value="1234"' in answer.text
    answer = kiosk_take(client, mode="booking", booking_reference="ABCD2345", phone_last4="1234")
    assert answer.status_code == 422 and "没有找到这个预约" in answer.text
    assert 'value="ABCD2345"' in answer.text


def test_kiosk_on_a_closed_day_disables_the_window_buttons(client, clock):
    clock.set(
        "2026-11-29T10:00:00+08:00"
    )  # Sunday: enterprise has weekend hours, social-affairs not
    page = client.get("/queue/citizen-hall/kiosk").text
    assert "今天 社会事务综合窗口 不办公" in page
    assert page.count("disabled") == 1


def test_counter_page_call_finish_and_the_device_rates_that_ticket(app, client, staff, counter_id):
    staff.create("admin", role="admin")
    kiosk_take(client, window="enterprise")
    staff.login("admin")
    assert "叫下一位" in client.get(f"/staff/queue/counter/{counter_id}").text
    counter_press(client, counter_id, "call")
    page = client.get(f"/staff/queue/counter/{counter_id}").text
    assert "正在办理" in page and "A001" in page and "已叫 A001 号" in page
    display = client.get("/queue/citizen-hall/display").text
    assert "请 <b>A001</b> 号到 <b>3</b> 号窗口办理" in display
    token = device_token(app, counter_id)
    idle = client.get(f"/queue/device/{token}").text
    assert "办理完成后" in idle and "A001" not in idle
    counter_press(client, counter_id, "finish")
    device = client.get(f"/queue/device/{token}")
    assert "请为本次服务评价（A001 号）" in device.text
    tampered = {"level": "1", "reason": "等太久了", "ticket": "Z999", "window": "social-affairs"}
    answer = client.post(
        f"/queue/device/{token}", data={"csrf_token": csrf_token(device.text), **tampered}
    )
    assert answer.status_code == 303
    assert "感谢您的评价" in client.get(answer.location).text
    with app.app_context():
        evaluation = db.session.scalar(select(Evaluation))
        ticket = db.session.scalar(select(Ticket))
        assert (evaluation.ticket, evaluation.window, evaluation.channel) == (
            "A001",
            "enterprise",
            "onsite",
        )
        assert ticket.evaluation_id == evaluation.id and ticket.staff == "admin"
        assert evaluation.follow_up is not None  # 差评 → follow-up, as every on-site 差评
    again = client.get(f"/queue/device/{token}").text
    assert "请为本次服务评价" not in again  # 一次一评


def test_device_refuses_a_negative_rating_without_a_reason(app, client, staff, counter_id):
    staff.create("admin", role="admin")
    kiosk_take(client, window="enterprise")
    staff.login("admin")
    counter_press(client, counter_id, "call")
    counter_press(client, counter_id, "finish")
    token = device_token(app, counter_id)
    page = client.get(f"/queue/device/{token}")
    answer = client.post(
        f"/queue/device/{token}", data={"csrf_token": csrf_token(page.text), "level": "2"}
    )
    assert answer.status_code == 422 and "请勾选不满意的方面" in answer.text


def test_evaluation_device_addresses_are_for_admins_only(app, client, staff, counter_id):
    staff.create("li", windows="enterprise")
    staff.login("li")
    assert client.get("/staff/queue/counters").status_code == 403
    token = device_token(app, counter_id)
    assert token not in client.get("/staff/queue/").text
    assert token not in client.get(f"/staff/queue/counter/{counter_id}").text
    assert client.get("/queue/device/not-a-token").status_code == 404


def test_my_ticket_page_and_the_offer_to_book_after_closing(app, client, clock):
    answer = kiosk_take(client, window="enterprise")
    token = answer.location.split("/ticket/")[1].split("/")[0]
    page = client.get(f"/queue/ticket/{token}").text
    assert "A001" in page and "前面还有" in page and "等待叫号" in page
    clock.set("2026-11-25T17:05:00+08:00")
    closed = client.get(f"/queue/ticket/{token}").text
    assert "今天的办理时间已经结束，您的号没有叫到" in closed
    assert "date=2026-11-26" in closed and "/bookings/new?item=" in closed


def test_a_friday_ticket_left_waiting_is_offered_monday_not_the_saturday_service(client, clock):
    clock.set("2026-11-27T16:30:00+08:00")  # Friday; enterprise also opens Saturday 09:00–12:00
    answer = kiosk_take(client, window="enterprise")
    token = answer.location.split("/ticket/")[1].split("/")[0]
    clock.set("2026-11-27T17:05:00+08:00")
    closed = client.get(f"/queue/ticket/{token}").text
    assert "今天的办理时间已经结束，您的号没有叫到" in closed
    assert "预约 11 月 30 日（下一个工作日）" in closed  # Saturday has no regular booking slots
    assert "date=2026-11-30" in closed and "date=2026-11-28" not in closed
    assert "本页会自动更新" not in closed  # nothing will be called any more


def test_staff_statistics_and_the_public_statistics_json(app, client, staff, counter_id, clock):
    staff.create("admin", role="admin")
    staff.login("admin")
    for _ in range(3):
        kiosk_take(client, window="enterprise")
    clock.set("2026-11-25T10:12:00+08:00")
    counter_press(client, counter_id, "call")
    clock.set("2026-11-25T10:20:00+08:00")
    counter_press(client, counter_id, "finish")
    stats = client.get("/api/queue/stats").json
    assert (stats["issued"], stats["finished"], stats["open_days"]) == (3, 1, 1)
    assert stats["wait_minutes_mean"] == 12.0 and stats["service_minutes_mean"] == 8.0
    assert stats["daily_finished_mean"] == 1.0
    assert "counters" not in stats  # public: no counter-level figures
    assert stats["windows"][0]["name"] == "企业开办综合窗口"
    page = client.get("/staff/queue/stats").text
    assert "日均办件量" in page and "<svg" in page and "3 号" in page
    bad = client.get("/api/queue/stats?from=yesterday")
    assert bad.status_code == 422 and "2026-11-25" in bad.json["errors"]["from"]
