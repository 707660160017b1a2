"""Staff accounts: server-side sessions, lifetimes, lockout, password policy, account commands."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from forms_backend.extensions import db
from forms_backend.staff.models import StaffSession, StaffUser
from forms_backend.staff.passwords import password_problem
from tests.backend.fixtures import csrf_token

GOOD = "correct horse battery"


def _signed_in(client) -> bool:
    answer = client.get("/staff/audit/")
    return answer.status_code == 200


def test_a_cookie_saved_before_logout_no_longer_opens_the_audit_log(client, staff):
    staff.create(role="admin")
    staff.login()
    assert _signed_in(client)
    saved = client.get_cookie("session").value
    staff.logout()
    client.set_cookie("session", saved)
    answer = client.get("/staff/audit/")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/staff/login")


def test_login_issues_a_new_session_id(client, staff):
    staff.create(role="admin")
    client.get("/staff/login")
    before = client.get_cookie("session").value
    staff.login()
    with client.application.app_context():
        first = db.session.scalars(select(StaffSession.token)).all()
    assert client.get_cookie("session").value != before
    staff.logout()
    staff.login()
    with client.application.app_context():
        second = db.session.scalars(select(StaffSession.token)).all()
    assert len(first) == len(second) == 1 and first != second


def test_idle_sessions_end(client, staff, clock):
    staff.create(role="admin")
    staff.login()
    clock.set(clock.now + dt.timedelta(minutes=29))
    assert _signed_in(client)
    clock.set(clock.now + dt.timedelta(minutes=31))
    assert not _signed_in(client)


def test_sessions_end_after_the_absolute_lifetime_however_busy(client, staff, clock):
    staff.create(role="admin")
    staff.login()
    for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
        assert _signed_in(client)
        clock.set(clock.now + dt.timedelta(minutes=20))
    clock.set(clock.now + dt.timedelta(minutes=1))  # 12 hours and a minute after sign-in
    assert not _signed_in(client)


def _login_page_post(client, password: str):
    page = client.get("/staff/login")
    return client.post(
        "/staff/login",
        data={"username": "wangfang", "password": password, "csrf_token": csrf_token(page.text)},
    )


def test_wrong_passwords_lock_the_account_with_growing_back_off(client, staff, clock):
    staff.create()
    for _ in range(4):
        assert "用户名或密码不对" in _login_page_post(client, "wrong password!").text
    locked = _login_page_post(client, "wrong password!")  # the 5th
    assert "已被暂时锁定，请在 10:01 以后再试" in locked.text
    refused = _login_page_post(client, GOOD)  # even the right password waits
    assert refused.status_code == 422 and "暂时锁定" in refused.text
    clock.set(clock.now + dt.timedelta(minutes=2))
    assert "10:04" in _login_page_post(client, "wrong again!!").text  # 6th at 10:02: 2 minutes
    clock.set(clock.now + dt.timedelta(minutes=3))
    assert _login_page_post(client, GOOD).status_code == 302
    with client.application.app_context():
        user = db.session.scalar(select(StaffUser))
        assert user.failed_logins == 0 and user.locked_until is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaa", "至少要 12 个字符"),
        ("aaaaaaaaaaaa", "太容易被猜到"),
        ("qwertyuiop12", "太容易被猜到"),
        ("wangfang-2026-hall", "不能包含用户名"),
    ],
)
def test_weak_passwords_are_refused(runner, password, message):
    answer = runner.invoke(args=["users", "create", "wangfang", "--password", password])
    assert answer.exit_code != 0 and message in answer.output
    assert password_problem(password, "wangfang") is not None


def test_first_sign_in_requires_a_new_password(client, staff):
    staff.create(role="admin", keep_password=False)
    answer = staff.login()
    assert answer.headers["Location"] == "/staff/password"
    assert client.get("/staff/audit/").headers["Location"] == "/staff/password"
    page = client.get("/staff/password")
    assert "临时密码" in page.text
    form = {"current": GOOD, "new": "aaaaaaaaaaaa", "repeat": "aaaaaaaaaaaa"}
    weak = client.post("/staff/password", data={**form, "csrf_token": csrf_token(page.text)})
    assert weak.status_code == 422 and "太容易被猜到" in weak.text
    new = "lantern river morning 8"
    changed = client.post(
        "/staff/password",
        data={"current": GOOD, "new": new, "repeat": new, "csrf_token": csrf_token(page.text)},
    )
    assert changed.status_code == 302
    assert _signed_in(client)
    staff.logout()
    assert staff.login(password=new).status_code == 302
    assert _signed_in(client)


def test_deactivate_ends_open_sessions_and_refuses_sign_in(client, staff, runner):
    staff.create(role="admin")
    staff.login()
    answer = runner.invoke(args=["users", "deactivate", "wangfang"])
    assert answer.exit_code == 0 and "ended 1 open session" in answer.output
    assert not _signed_in(client)
    assert staff.login().status_code == 422


def test_reset_password_ends_sessions_and_forces_a_change(client, staff, runner):
    staff.create(role="admin")
    staff.login()
    temporary = "temporary lantern 2026"
    answer = runner.invoke(args=["users", "reset-password", "wangfang", "--password", temporary])
    assert answer.exit_code == 0, answer.output
    assert not _signed_in(client)
    assert staff.login(password=GOOD).status_code == 422
    assert staff.login(password=temporary).headers["Location"] == "/staff/password"
    unknown = runner.invoke(args=["users", "reset-password", "nobody", "--password", temporary])
    assert unknown.exit_code != 0 and "no staff account named 'nobody'" in unknown.output
