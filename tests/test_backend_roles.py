"""Role-based access across the staff area: hall staff, department staff and admins."""

from __future__ import annotations

import pytest

HALL_PAGES = [
    "/staff/bookings/",
    "/staff/bookings/assisted",
    "/staff/bookings/export.csv",
    "/staff/feedback/",
    "/staff/evaluations/",
]
DEPARTMENT_PAGES = [
    "/staff/submissions/",
    "/staff/submissions/export.csv",
    "/staff/evaluations/follow-ups",
    "/staff/evaluations/",
    "/staff/feedback/",
]
EVERY_PAGE = sorted(set(HALL_PAGES + DEPARTMENT_PAGES))


@pytest.mark.parametrize("url", EVERY_PAGE)
def test_anonymous_users_are_sent_to_the_login(client, url):
    answer = client.get(url)
    assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"]


@pytest.mark.parametrize("url", EVERY_PAGE)
def test_admin_sees_everything(client, staff, url):
    staff.create("boss", role="admin")
    staff.login("boss")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/staff/bookings/", 200),
        ("/staff/bookings/assisted", 200),
        ("/staff/feedback/", 200),
        ("/staff/evaluations/", 200),
        ("/staff/submissions/", 403),
        ("/staff/submissions/export.csv", 403),
        ("/staff/evaluations/follow-ups", 403),
    ],
)
def test_hall_staff(client, staff, url, status):
    staff.create("window1")
    staff.login("window1")
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/staff/submissions/", 200),
        ("/staff/evaluations/follow-ups", 200),
        ("/staff/evaluations/", 200),
        ("/staff/feedback/", 200),
        ("/staff/bookings/", 403),
        ("/staff/bookings/assisted", 403),
        ("/staff/bookings/export.csv", 403),
    ],
)
def test_department_staff(client, staff, url, status):
    staff.create("health1", role="department", department="health")
    staff.login("health1")
    assert client.get(url).status_code == status


def test_department_staff_land_on_their_cases(client, staff):
    staff.create("health1", role="department", department="health")
    staff.login("health1")
    answer = client.get("/staff/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/staff/submissions/")


def test_department_account_needs_a_known_department(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "x1",
            "--role",
            "department",
            "--password",
            "correct horse battery",
        ]
    )
    assert result.exit_code != 0 and "--department" in result.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "x1",
            "--role",
            "department",
            "--department",
            "nowhere",
            "--password",
            "correct horse battery",
        ]
    )
    assert result.exit_code != 0 and "known: market" in result.output


def test_audit_log_is_for_admins_only(app, client, staff, submit):
    from sqlalchemy import select

    from forms_backend.extensions import db
    from forms_backend.submissions.models import Case
    from tests.backend.fixtures import csrf_token

    submit()
    staff.create("window1")
    staff.login("window1")
    assert client.get("/staff/audit/").status_code == 403
    staff.logout()
    staff.create("boss", role="admin")
    staff.login("boss")
    with app.app_context():
        case_id = db.session.scalar(select(Case.id))
    page = client.get(f"/staff/submissions/cases/{case_id}")
    client.post(
        f"/staff/submissions/cases/{case_id}/accept", data={"csrf_token": csrf_token(page.text)}
    )
    log = client.get("/staff/audit/?actor=boss")
    accepted = '<td class="nowrap">受理</td>'  # case.accept, by its Chinese name
    assert log.status_code == 200 and accepted in log.text
    assert accepted not in client.get("/staff/audit/?actor=nobody").text


def test_admin_narrows_cases_to_one_department(client, staff, submit):
    submit()
    staff.create("boss", role="admin")
    staff.login("boss")
    health = client.get("/staff/submissions/?department=health").text
    assert "公共场所卫生许可" in health and "个体工商户设立登记" not in health
    export = client.get("/staff/submissions/export.csv?department=market").get_data(as_text=True)
    assert "个体工商户设立登记" in export and "公共场所卫生许可" not in export


def test_clean_staging_removes_only_old_leftovers(app, runner):
    import os
    import time
    from pathlib import Path

    staging = Path(app.instance_path) / "uploads" / ".staging"
    staging.mkdir(parents=True)
    old, fresh = staging / "old", staging / "fresh"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    past = time.time() - 7200
    os.utime(old, (past, past))
    result = runner.invoke(args=["uploads", "clean-staging"])
    assert "Removed 1 staged file(s)." in result.output
    assert not old.exists() and fresh.exists()


def test_booking_staff_actions_are_audited(app, client, book, staff, clock):
    from sqlalchemy import select

    from forms_backend.audit import AuditEntry
    from forms_backend.extensions import db
    from tests.backend.fixtures import csrf_token

    reference = book().json["reference"]
    clock.set("2026-11-26T08:50:00+08:00")
    staff.create("window1")
    staff.login("window1")
    page = client.get("/staff/bookings/?window=enterprise&date=2026-11-26")
    client.post(f"/staff/bookings/{reference}/check-in", data={"csrf_token": csrf_token(page.text)})
    client.post(f"/staff/bookings/{reference}/check-in", data={"csrf_token": csrf_token(page.text)})
    with app.app_context():
        rows = [(e.actor, e.action, e.subject_ref) for e in db.session.scalars(select(AuditEntry))]
    assert rows == [("window1", "booking.check-in", reference)]  # the refused repeat is not
