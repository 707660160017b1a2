"""找回我的预约和办件: ID number + phone → a six-digit SMS code → the person's records, masked;
5 minutes, 5 tries, limited per phone and per address; the reminder opt-out."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from forms_backend import create_app
from forms_backend.extensions import db
from forms_backend.notifications.models import OutboxMessage, ReminderOptOut
from forms_backend.privacy import vault
from tests.backend.fixtures import FIRST_SLOT, csrf_token, person
from tests.backend.providers import sms_config
from tests.test_pages_chinese_only import english_words


def last_code(app) -> str:
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.event == "recovery_code")
            .order_by(OutboxMessage.id.desc())
        ).first()
        return json.loads(message.params)["code"]


def code_messages(app) -> int:
    with app.app_context():
        return len(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.event == "recovery_code")
            ).all()
        )


def test_the_api_finds_a_persons_bookings_after_the_sms_code(app, client, book):
    me = person(phone="13911112222")
    reference = book(**me).json["reference"]
    book()  # somebody else
    asked = client.post(
        "/api/recovery/code", json={"id_number": me["id_number"], "phone": me["phone"]}
    )
    assert asked.status_code == 202
    code = last_code(app)
    assert len(code) == 6 and code.isdigit()
    found = client.post(
        "/api/recovery/verify",
        json={"id_number": me["id_number"], "phone": me["phone"], "code": code},
    )
    assert found.status_code == 200, found.json
    assert [b["reference"] for b in found.json["bookings"]] == [reference]
    assert found.json["bookings"][0]["phone"] == "139****2222"
    assert me["id_number"] not in found.text and "13911112222" not in found.text
    assert found.json["reminders"] is True


def test_nobody_is_texted_when_nothing_matches_and_the_answer_is_the_same(app, client, book):
    me = person()
    book(**me)
    wrong_phone = client.post(
        "/api/recovery/code", json={"id_number": me["id_number"], "phone": "13700000000"}
    )
    right = client.post(
        "/api/recovery/code", json={"id_number": me["id_number"], "phone": me["phone"]}
    )
    assert wrong_phone.status_code == right.status_code == 202
    assert wrong_phone.json == right.json
    assert code_messages(app) == 1


def test_five_wrong_codes_void_the_code(app, client, book):
    me = person()
    book(**me)
    client.post("/api/recovery/code", json={"id_number": me["id_number"], "phone": me["phone"]})
    code = last_code(app)
    wrong = "000000" if code != "000000" else "111111"
    body = {"id_number": me["id_number"], "phone": me["phone"], "code": wrong}
    answers = [client.post("/api/recovery/verify", json=body) for _ in range(5)]
    assert [a.status_code for a in answers] == [400] * 5
    assert answers[0].json["errors"]["code"] == "验证码不对。还可以再试 4 次。"
    assert answers[4].json["errors"]["code"] == "验证码不对。验证码已经失效，请重新获取。"
    right = client.post("/api/recovery/verify", json={**body, "code": code})
    assert right.status_code == 429
    assert right.json["message"] == "验证码已输错 5 次，已经失效。请重新获取验证码。"


def test_a_code_expires_after_five_minutes(app, client, book, clock):
    me = person()
    book(**me)
    client.post("/api/recovery/code", json={"id_number": me["id_number"], "phone": me["phone"]})
    clock.set(clock() + dt.timedelta(minutes=5, seconds=1))
    answer = client.post(
        "/api/recovery/verify",
        json={"id_number": me["id_number"], "phone": me["phone"], "code": last_code(app)},
    )
    assert answer.status_code == 400
    assert answer.json["message"] == "验证码已过期或已使用。请重新获取验证码。"


def test_codes_are_limited_per_phone_and_per_address(app, client, book, clock):
    me = person()
    book(**me)
    body = {"id_number": me["id_number"], "phone": me["phone"]}
    assert client.post("/api/recovery/code", json=body).status_code == 202
    again = client.post("/api/recovery/code", json=body)
    assert (
        again.status_code == 429
        and again.json["message"] == "验证码刚刚发送过。请 1 分钟后再获取。"
    )
    for _ in range(2):
        clock.set(clock() + dt.timedelta(seconds=61))
        assert client.post("/api/recovery/code", json=body).status_code == 202
    clock.set(clock() + dt.timedelta(seconds=61))
    fourth = client.post("/api/recovery/code", json=body)
    assert fourth.status_code == 429
    assert fourth.json["message"].startswith("这个手机号一小时内已获取 3 次验证码")
    for n in range(7):  # other phones from the same address: 3 + 7 = 10 codes this hour
        other = {"id_number": me["id_number"], "phone": f"1370000000{n}"}
        assert client.post("/api/recovery/code", json=other).status_code == 202
    blocked = client.post(
        "/api/recovery/code", json={"id_number": me["id_number"], "phone": "13600000000"}
    )
    assert blocked.status_code == 429
    assert blocked.json["message"].startswith("这台设备一小时内获取验证码的次数已达上限")


def test_bad_input_names_the_field(client):
    answer = client.post("/api/recovery/code", json={"id_number": "123", "phone": "12"})
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {"id_number", "phone"}
    unknown = client.post("/api/recovery/code", json={"id_number": "1", "phone": "1", "x": 1})
    assert unknown.status_code == 422 and "x" in unknown.json["errors"]


@pytest.fixture
def sms_app(backend_config):
    """The app with an SMS channel set up (the provider is never called: no worker runs)."""
    app = create_app(sms_config(backend_config, "127.0.0.1:9"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_pages_show_the_records_and_switch_reminders_off(sms_app):
    app, client = sms_app, sms_app.test_client()
    me = person(phone="13922223333")
    body = {"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT}
    reference = client.post("/api/bookings", json={**body, **me}).json["reference"]
    page = client.get("/bookings/mine/")
    assert page.status_code == 200 and "找回我的预约和办件" in page.text
    assert "预约日期" not in page.text  # with SMS, the code is the one way
    assert english_words(page.text, codes=set()) == set()
    sent = client.post(
        "/bookings/mine/",
        data={"csrf_token": csrf_token(page.text), **{k: me[k] for k in ("id_number", "phone")}},
    )
    assert sent.status_code == 302
    code_page = client.get("/bookings/mine/code")
    wrong = client.post(
        "/bookings/mine/code", data={"csrf_token": csrf_token(code_page.text), "code": "12"}
    )
    assert wrong.status_code == 422 and "验证码是短信里的 6 位数字" in wrong.text
    done = client.post(
        "/bookings/mine/code",
        data={"csrf_token": csrf_token(code_page.text), "code": last_code(app)},
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert reference in done.text and "139****3333" in done.text
    # the no-show record, as on the booking page
    assert "天内，您有 0 次预约未按时到场" in done.text
    assert me["id_number"] not in done.text
    assert client.get(f"/bookings/{reference}").status_code == 200  # the browser may open it now
    client.post(
        "/bookings/mine/reminders",
        data={"csrf_token": csrf_token(done.text), "reminders": "off"},
    )
    with app.app_context():
        assert db.session.get(ReminderOptOut, vault().lookup_hash("13922223333")) is not None


def test_with_sms_the_api_does_not_find_a_booking_by_its_day(sms_app):
    """ID number, phone and day are written on the booking slip: once codes can be sent, only
    the holder of the phone finds a booking, through the code."""
    client = sms_app.test_client()
    me = person(phone="13933334444")
    body = {"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT}
    assert client.post("/api/bookings", json={**body, **me}).status_code == 201
    asked = {"id_number": me["id_number"], "phone": me["phone"], "date": "2026-11-26"}
    refused = client.post("/api/bookings/recover", json=asked)
    assert refused.status_code == 409
    assert "/api/recovery/code" in refused.json["message"]
    assert "reference" not in refused.json
    token = csrf_token(client.get("/bookings/mine/").text)
    page = client.post("/bookings/mine/by-date", data={**asked, "csrf_token": token})
    assert page.status_code == 302 and page.headers["Location"].endswith("/bookings/mine/")
