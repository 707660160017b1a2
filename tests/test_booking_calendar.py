"""The booking's .ics file, read back with a second, independent parser (vobject): one UID for
the booking's life, SEQUENCE raised on reschedule, METHOD:CANCEL on cancellation, the street
address as LOCATION (the citizen's own for a home visit), one reminder, Chinese text only."""

from __future__ import annotations

import datetime as dt
import re

import vobject
from sqlalchemy import select

from catalog.workdays import CHINA
from forms_backend.bookings.ics import booking_calendar
from forms_backend.bookings.models import Booking
from forms_backend.extensions import db
from tests.backend.fixtures import FIRST_SLOT, person

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def calendar_of(app, reference: str):
    with app.app_context():
        booking = db.session.scalar(select(Booking).where(Booking.reference == reference))
        return vobject.readOne(booking_calendar(booking, app.extensions["banshi_catalog"]).decode())


def test_a_booking_is_published_with_the_street_address_and_one_reminder(app, book):
    reference = book().json["reference"]
    calendar = calendar_of(app, reference)
    event = calendar.vevent
    assert calendar.method.value == "PUBLISH"
    assert event.uid.value == f"{reference}@banshi"
    assert int(event.sequence.value) == 0
    assert event.status.value == "CONFIRMED"
    assert event.dtstart.value == dt.datetime.fromisoformat(FIRST_SLOT)
    hall = app.extensions["banshi_catalog"].halls["citizen-hall"]
    assert event.location.value.startswith(hall.address)
    alarms = event.contents.get("valarm", [])
    assert len(alarms) == 1
    assert alarms[0].trigger.value == dt.datetime(2026, 11, 25, 18, 0, tzinfo=CHINA)
    assert "请提前 10 分钟到达，凭预约号在窗口签到。" in event.description.value


def test_rescheduling_keeps_the_uid_and_raises_the_sequence(app, client, book):
    body = {"phone": "13800000001"}
    reference = book(**body).json["reference"]
    moved = client.post(
        f"/api/bookings/{reference}/reschedule",
        json={"phone_last4": "0001", "slot": "2026-11-27T09:00:00+08:00"},
    )
    assert moved.status_code == 200, moved.json
    event = calendar_of(app, reference).vevent
    assert event.uid.value == f"{reference}@banshi"
    assert int(event.sequence.value) == 1
    assert event.dtstart.value.date() == dt.date(2026, 11, 27)


def test_a_cancelled_booking_is_sent_as_a_cancellation(app, client, book):
    reference = book(phone="13800000002").json["reference"]
    assert (
        client.post(f"/api/bookings/{reference}/cancel", json={"phone_last4": "0002"}).status_code
        == 200
    )
    calendar = calendar_of(app, reference)
    event = calendar.vevent
    assert calendar.method.value == "CANCEL"
    assert event.status.value == "CANCELLED"
    assert event.uid.value == f"{reference}@banshi"
    assert int(event.sequence.value) == 1
    assert "valarm" not in event.contents
    assert "请携带" not in event.description.value


def test_a_home_visit_is_located_at_the_citizens_address(app, book):
    answer = book(
        kind="assisted", disabled=True, home_visit=True, address="青山区幸福路 8 号 3 单元 101"
    )
    assert answer.status_code == 201, answer.json
    event = calendar_of(app, answer.json["reference"]).vevent
    assert event.location.value == "青山区幸福路 8 号 3 单元 101"
    assert event.summary.value.startswith("上门服务：")
    assert "窗口签到" not in event.description.value


def test_no_english_word_in_what_the_citizen_reads(app, book):
    reference = book().json["reference"]
    event = calendar_of(app, reference).vevent
    texts = [event.summary.value, event.description.value, event.location.value]
    texts += [alarm.description.value for alarm in event.contents["valarm"]]
    for text in texts:
        assert not LATIN_WORD.search(text.replace(reference, "")), text


def test_a_cancelled_booking_page_no_longer_lists_materials(client):
    from tests.test_backend_pages import post_booking

    answer = post_booking(client)
    page = client.get(answer.headers["Location"]).text
    assert "请携带以下材料" in page
    reference = re.search(r'class="reference">([A-Z0-9]{8})<', page).group(1)
    confirm = client.get(f"/bookings/{reference}/cancel").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', confirm).group(1)
    client.post(f"/bookings/{reference}/cancel", data={"csrf_token": token, "confirm": "yes"})
    cancelled = client.get(f"/bookings/{reference}").text
    assert "已取消" in cancelled
    assert "请携带以下材料" not in cancelled
    assert "下载取消通知" in cancelled


def test_situational_materials_are_worded_as_conditions_not_required(client, book):
    answer = book()
    materials = {m["name"]: m for m in answer.json["materials"]}
    deputy = materials["代理人居民身份证"]
    assert deputy["required"] is False
    assert deputy["condition"] == "仅当“是否委托他人代办？”选“委托他人办理”时需要"
    assert materials["个体工商户登记（备案）申请书"]["required"] is True
    assert materials["个体工商户登记（备案）申请书"]["condition"] is None


def test_a_home_visit_confirmation_gives_the_address_not_the_hall(client, book):
    applicant = person()
    answer = book(
        **applicant,
        kind="assisted",
        disabled=True,
        home_visit=True,
        address="青山区幸福路 8 号 3 单元 101",
    )
    assert answer.status_code == 201, answer.json
    form = client.get("/bookings/mine/").text  # 找回 by the day (no SMS channel here)
    opened = client.post(
        "/bookings/mine/by-date",
        data={
            "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1],
            "id_number": applicant["id_number"],
            "phone": applicant["phone"],
            "date": "2026-11-26",
        },
        follow_redirects=True,
    ).text
    assert "上门地址" in opened and "青山区幸福路 8 号 3 单元 101" in opened
    assert "凭此号签到" not in opened and "请携带以下材料" not in opened
    assert "请提前准备好以下材料" in opened
