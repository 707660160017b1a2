"""One booking model: the page's form data and the API's JSON get the same answers."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from werkzeug.datastructures import MultiDict

from forms_backend.bookings.schemas import BookingRequest
from forms_backend.schemas import check, form_input
from tests.backend.fixtures import FIRST_SLOT, id_number

MISSING = object()
VALUES = {
    "item": ["business-licence", "", "no-such-item", "health-permit", MISSING],
    "kind": ["appointment", "assisted", "after_hours", "", "walk-in", MISSING],
    "slot": [
        FIRST_SLOT,
        f"  {FIRST_SLOT} ",
        "2026-11-26T09:00:00",  # China time without offset
        "2026-11-26T01:00:00+00:00",  # the same instant in UTC
        "2026-11-26T07:00:00+08:00",  # an early after-hours slot
        "2026-11-26T12:00:00+08:00",  # lunch break
        "2026-11-25T09:00:00+08:00",  # today, already past
        "2027-01-04T09:00:00+08:00",  # beyond the horizon
        "tomorrow",
        "",
        " ",
        MISSING,
    ],
    "name": ["张三", " 李四 ", "阿依古丽·买买提", "A", "张三<script>", "张" * 31, "", " ", MISSING],
    "id_number": [
        id_number(),
        id_number(born=dt.date(1950, 3, 1)),  # 76 on the test date
        id_number(born=dt.date(1950, 3, 1)).lower(),  # a check digit x, when it is one
        f" {id_number()[:6]} {id_number()[6:]} ",
        "150204198506150012",  # wrong check digit
        "15020419850615001",
        "",
        " ",
        MISSING,
    ],
    "phone": ["13812345678", "+86 138-1234-5678", "1381234567", "23812345678", "", " ", MISSING],
    "elderly": ["y", MISSING],
    "disabled": ["y", MISSING],
    "home_visit": ["y", MISSING],
    "address": ["青山区幸福路 1 号", "", "  ", "路" * 201, MISSING],
    "notes": ["需要轮椅", "", "   ", "说" * 501, MISSING],
}


def _cases(count: int) -> list[dict[str, str]]:
    rng = random.Random(20261125)
    cases = []
    for _ in range(count):
        body = {key: rng.choice(options) for key, options in VALUES.items()}
        cases.append({key: value for key, value in body.items() if value is not MISSING})
    # every single-field change of a valid assisted booking, too
    valid = {
        "item": "business-licence",
        "kind": "assisted",
        "slot": FIRST_SLOT,
        "name": "张三",
        "id_number": id_number(born=dt.date(1950, 3, 1)),
        "phone": "13812345678",
    }
    for key, options in VALUES.items():
        for value in options:
            body = dict(valid, **{key: value})
            cases.append({k: v for k, v in body.items() if v is not MISSING})
    for flags in itertools.product(["y", MISSING], repeat=3):
        body = dict(valid, **dict(zip(("elderly", "disabled", "home_visit"), flags, strict=True)))
        for address in VALUES["address"]:
            cases.append({k: v for k, v in dict(body, address=address).items() if v is not MISSING})
    return cases


def _as_json(body: dict[str, str]) -> dict:
    """The same booking as the API receives it: checkboxes are JSON booleans."""
    return {key: True if value == "y" else value for key, value in body.items()}


def test_the_booking_page_and_the_api_give_the_same_answer_for_every_input(app):
    valid = 0
    cases = _cases(600)
    with app.test_request_context("/api/bookings", method="POST"):
        for body in cases:
            page, page_errors = check(BookingRequest, form_input(BookingRequest, MultiDict(body)))
            api, api_errors = check(BookingRequest, _as_json(body))
            assert page_errors == api_errors, body
            assert (page is None) == (api is None), body
            if api is not None:
                assert page.applicant == api.applicant, body
                valid += 1
            else:
                assert api_errors  # a refusal always names a field
    assert valid > 20  # the comparison covered accepted bookings, not only errors
    assert len(cases) > 700


def test_a_value_of_only_spaces_counts_as_not_filled_in(book):
    answer = book(name="   ", id_number=" ", phone="\u3000", slot=" ")
    assert answer.status_code == 422
    assert answer.json["errors"] == {
        "name": "请填写姓名。",
        "id_number": "请填写身份证号。",
        "phone": "请填写手机号。",
        "slot": "请选择预约时段。",
    }


def test_assisted_booking_gives_the_applicant_with_its_flags(app):
    body = {
        "item": "business-licence",
        "kind": "assisted",
        "slot": FIRST_SLOT,
        "name": " 张三 ",
        "id_number": id_number(born=dt.date(1950, 3, 1)).lower(),
        "phone": "+86 138-1234-5678",
        "elderly": True,
        "home_visit": True,
        "address": " 青山区幸福路 1 号 ",
        "notes": "需要轮椅\r\n请提前联系",
    }
    with app.test_request_context("/api/bookings", method="POST"):
        model, errors = check(BookingRequest, body)
    assert errors == {}
    applicant = model.applicant
    assert (applicant.name, applicant.phone, applicant.address) == (
        "张三",
        "13812345678",
        "青山区幸福路 1 号",
    )
    assert applicant.id_number == id_number(born=dt.date(1950, 3, 1))
    assert (applicant.elderly, applicant.disabled, applicant.home_visit) == (True, False, True)
    assert applicant.notes == "需要轮椅\n请提前联系"
    assert applicant.slot.start.isoformat() == FIRST_SLOT


def test_api_booking_reports_every_invalid_field(client):
    answer = client.post(
        "/api/bookings",
        json={
            "item": "business-licence",
            "kind": "assisted",
            "slot": "tomorrow",
            "name": "A",
            "id_number": id_number(),
            "phone": "123",
            "home_visit": True,
            "notes": "说" * 501,
        },
    )
    assert answer.status_code == 422
    errors = answer.get_json()["errors"]
    assert set(errors) == {"slot", "name", "phone", "home_visit", "address", "notes"}
    assert errors["home_visit"].startswith("上门服务只面向 70 周岁以上老人和残疾人")
    assert errors["notes"] == "说明最多 500 个字。请精简后重新填写。"


def test_booking_commits_leave_the_wal_checkpoint_until_the_write_lock_is_released(
    app, book, monkeypatch
):
    from sqlalchemy import event

    from forms_backend import database
    from forms_backend.extensions import db

    statements: list[str] = []
    with app.app_context():
        db.engine.dispose()  # new connections get the trace below
        event.listen(
            db.engine, "connect", lambda dbapi, _record: dbapi.set_trace_callback(statements.append)
        )
    monkeypatch.setattr(database, "CHECKPOINT_EVERY", 1)
    assert book().status_code == 201  # the first booking of a slot also stores the slot
    statements.clear()
    assert book().status_code == 201
    wal = ("PRAGMA wal", "UPDATE slot", "INSERT INTO booking", "COMMIT")
    order = [s.split("(")[0].split(" SET")[0] for s in statements if s.startswith(wal)]
    assert order == [
        "PRAGMA wal_autocheckpoint = 0",
        "UPDATE slot",
        "INSERT INTO booking ",
        "COMMIT",
        "PRAGMA wal_autocheckpoint = 1000",
        "PRAGMA wal_checkpoint",
    ]
    with app.app_context(), db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000


def test_the_wal_checkpoint_holds_the_write_lock_so_the_wal_can_start_over(app, book, monkeypatch):
    """A checkpoint that other workers' commits overtake never lets SQLite restart the WAL
    (it grew by every booking under steady load): it runs under ``write_lock()``."""
    import fcntl
    import os

    from sqlalchemy import event

    from forms_backend import database
    from forms_backend.extensions import db

    lock_path = app.extensions["banshi_write_lock"]
    assert lock_path is not None
    held: list[bool] = []

    def trace(statement: str) -> None:
        if statement.startswith("PRAGMA wal_checkpoint"):
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held.append(False)
            except BlockingIOError:
                held.append(True)
            finally:
                os.close(fd)

    with app.app_context():
        db.engine.dispose()
        event.listen(db.engine, "connect", lambda dbapi, _record: dbapi.set_trace_callback(trace))
    monkeypatch.setattr(database, "CHECKPOINT_EVERY", 1)
    assert book().status_code == 201
    assert book().status_code == 201
    assert held and all(held)
