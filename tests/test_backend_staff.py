"""Staff area: login, day list, check-in / served / no-show, assisted queue, masked export."""

from __future__ import annotations

import csv
import io

import pytest

from tests.backend.fixtures import csrf_token, person

STAFF_PAGES = [
    ("GET", "/staff/"),
    ("GET", "/staff/bookings/"),
    ("GET", "/staff/bookings/assisted"),
    ("GET", "/staff/bookings/export.csv"),
    ("POST", "/staff/bookings/ABCDEFGH/check-in"),
    ("POST", "/staff/logout"),
]


@pytest.mark.parametrize(("method", "path"), STAFF_PAGES)
def test_anonymous_users_are_sent_to_login(client, method, path):
    answer = client.open(path, method=method)
    assert answer.status_code in (302, 400)
    if answer.status_code == 302:
        assert answer.headers["Location"].startswith("/staff/login")


def test_login_with_wrong_password_is_refused(staff):
    staff.create()
    answer = staff.login(password="wrong password!")
    assert answer.status_code == 422
    assert "用户名或密码不对" in answer.text
    assert staff.login(username="nobody").status_code == 422


def test_cli_refuses_short_password_and_duplicates(staff, runner):
    short = runner.invoke(args=["users", "create", "li", "--password", "short"])
    assert short.exit_code != 0 and "密码至少要 12 个字符" in short.output
    staff.create()
    again = runner.invoke(
        args=["users", "create", "wangfang", "--password", "quiet river lantern 42"]
    )
    assert again.exit_code != 0 and "already exists" in again.output
    bad_window = runner.invoke(
        args=[
            "users",
            "create",
            "zhao",
            "--password",
            "quiet river lantern 42",
            "--windows",
            "nope",
        ]
    )
    assert bad_window.exit_code != 0 and "Unknown window" in bad_window.output


def test_passwords_are_argon2_hashed(app, staff):
    from sqlalchemy import select

    from forms_backend.extensions import db
    from forms_backend.staff.models import StaffUser

    staff.create()
    with app.app_context():
        user = db.session.scalar(select(StaffUser))
        assert user.password_hash.startswith("$argon2")


def test_day_list_shows_masked_bookings(client, book, staff):
    someone = person(id_number="11010519491231002X", phone="13812345678", name="王小明")
    reference = book(**someone).json["reference"]
    staff.create()
    assert staff.login().status_code == 302
    page = client.get("/staff/bookings/?window=enterprise&date=2026-11-26")
    assert page.status_code == 200
    assert reference in page.text and "王小明" in page.text
    assert "1101**********002X" in page.text and "138****5678" in page.text
    assert "11010519491231002X" not in page.text and "13812345678" not in page.text


def test_day_list_is_paged_with_links_and_counts_every_page(client, book, staff):
    references = [
        book(slot=f"2026-11-26T{t}:00+08:00").json["reference"] for t in ("09:00", "09:30", "10:00")
    ]
    staff.create()
    staff.login()
    first = client.get("/staff/bookings/?window=enterprise&date=2026-11-26&per_page=2").text
    assert "共 3 个预约：已预约 3" in first  # the summary counts the whole day
    assert references[0] in first and references[1] in first and references[2] not in first
    assert "第 1 / 2 页" in first and 'rel="next"' in first
    second = client.get("/staff/bookings/?window=enterprise&date=2026-11-26&per_page=2&page=2")
    assert references[2] in second.text and references[0] not in second.text


def test_the_staff_start_page_keeps_the_day_list_arguments(client, staff):
    staff.create()
    staff.login()
    answer = client.get("/staff/?window=enterprise&date=2026-11-26")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/staff/bookings/?window=enterprise&date=2026-11-26"


def _act(client, reference: str, action: str, date: str = "2026-11-26"):
    page = client.get(f"/staff/bookings/?window=enterprise&date={date}")
    return client.post(
        f"/staff/bookings/{reference}/{action}",
        data={"csrf_token": csrf_token(page.text), "confirm": "yes"},
    )


def test_check_in_then_served(client, book, staff, clock):
    reference = book().json["reference"]
    staff.create()
    staff.login()
    early = _act(client, reference, "check-in")
    assert "只能在当天签到" in client.get(early.headers["Location"]).text
    clock.set("2026-11-26T08:50:00+08:00")
    staff.login()  # the next morning: yesterday's session has ended
    _act(client, reference, "check-in")
    page = client.get("/staff/bookings/?window=enterprise&date=2026-11-26")
    assert "已签到" in page.text
    _act(client, reference, "served")
    assert "已办理" in client.get("/staff/bookings/?window=enterprise&date=2026-11-26").text


def test_no_show_only_after_the_slot_started(client, book, staff, clock):
    reference = book().json["reference"]
    staff.create()
    staff.login()
    early = _act(client, reference, "no-show")
    assert "还没开始" in client.get(early.headers["Location"]).text
    clock.set("2026-11-26T09:31:00+08:00")
    staff.login()  # the next morning: yesterday's session has ended
    _act(client, reference, "no-show")
    assert "未到" in client.get("/staff/bookings/?window=enterprise&date=2026-11-26").text


def test_repeated_no_shows_block_booking_for_a_while(app, client, book, staff, clock):
    app.config.update(NO_SHOW_LIMIT=2, NO_SHOW_BLOCK_DAYS=30)
    someone = person()
    staff.create()
    staff.login()
    for day in ("2026-11-26", "2026-11-27"):
        reference = book(**someone, slot=f"{day}T09:00:00+08:00").json["reference"]
        clock.set(f"{day}T10:00:00+08:00")
        staff.login()  # another day, another session
        _act(client, reference, "no-show", date=day)
        clock.set("2026-11-25T10:00:00+08:00")
    refused = book(**someone, slot="2026-11-30T09:00:00+08:00")
    assert refused.status_code == 403
    assert "近 180 天内有 2 次预约未按时到场" in refused.json["message"]
    assert "2026年12月27日 前暂停网上预约" in refused.json["message"]
    assert book(slot="2026-11-30T09:00:00+08:00").status_code == 201  # others are not affected
    clock.set("2026-12-28T10:00:00+08:00")
    assert book(**someone, slot="2026-12-29T09:00:00+08:00").status_code == 201


def test_export_is_masked_csv(client, book, staff):
    someone = person(id_number="11010519491231002X", phone="13812345678", name="王小明")
    book(**someone)
    book(kind="assisted", disabled=True, slot="2026-11-26T09:30:00+08:00")
    staff.create()
    staff.login()
    answer = client.get("/staff/bookings/export.csv?window=enterprise&date=2026-11-26")
    assert answer.mimetype == "text/csv"
    text = answer.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["预约号", "日期", "时间"]
    assert rows[1][6:9] == ["王**", "1101**********002X", "138****5678"]
    assert rows[2][10] == "残疾人"
    assert "11010519491231002X" not in text and "13812345678" not in text and "王小明" not in text


def test_assisted_queue_shows_home_visits_first(client, book, staff):
    book(kind="assisted", disabled=True, slot="2026-11-26T09:30:00+08:00")
    book(
        kind="assisted",
        disabled=True,
        home_visit=True,
        address="青山区幸福路 8 号",
        slot="2026-11-26T14:00:00+08:00",
    )
    book()  # a regular appointment is not in the queue
    staff.create()
    staff.login()
    page = client.get("/staff/bookings/assisted").text
    assert page.count("<tr>") == 3  # header + two assisted bookings
    assert page.index("青山区幸福路 8 号") < page.index("09:30")


def test_staff_limited_to_their_windows(client, staff, book):
    book()
    staff.create(username="social", windows="social-affairs")
    staff.login(username="social")
    assert client.get("/staff/bookings/?window=enterprise").status_code == 403
    assert client.get("/staff/bookings/export.csv?window=enterprise").status_code == 403
    assert "社会事务" in client.get("/staff/", follow_redirects=True).text


def test_login_redirect_stays_inside_the_staff_area(client, staff):
    staff.create()
    page = client.get("/staff/login")
    answer = client.post(
        "/staff/login?next=https://evil.example/",
        data={
            "username": "wangfang",
            "password": "correct horse battery",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert answer.headers["Location"] == "/staff/"


def test_logout(client, staff):
    staff.create()
    staff.login()
    staff.logout()
    assert client.get("/staff/").status_code == 302
