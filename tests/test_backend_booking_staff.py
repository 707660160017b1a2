"""The day list's actions beyond check-in: 未到 with confirmation, its same-day undo and late
check-in (standing no-shows only count toward the block, and the citizen sees them), home
visits (flagged, 已上门服务 / 未能上门 instead of 签到 / 未到) and the assisted queue's phone,
shown to whoever took the booking on (and admins), audited per viewing."""

from __future__ import annotations

from sqlalchemy import select

from forms_backend.audit import AuditEntry
from forms_backend.bookings.models import Booking
from forms_backend.extensions import db
from forms_backend.notifications.models import OutboxMessage
from tests.backend.fixtures import csrf_token, person

DAY = "/staff/bookings/?window=enterprise&date=2026-11-26"
ADDRESS = "青山区幸福路 8 号 3 单元 101"


def _post(client, reference: str, action: str, **data):
    token = csrf_token(client.get(DAY).text)
    return client.post(f"/staff/bookings/{reference}/{action}", data={"csrf_token": token, **data})


def _status(app, reference: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Booking.status).where(Booking.reference == reference))


def _audit(app) -> list[tuple[str, str, str, str | None]]:
    with app.app_context():
        return [
            (e.actor, e.action, e.subject_ref, e.detail)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def _at(clock, staff, when: str, username: str = "wangfang") -> None:
    clock.set(when)
    staff.login(username)  # another time of day or another day: sign in again


def _home_visit(book, **overrides):
    answer = book(kind="assisted", disabled=True, home_visit=True, address=ADDRESS, **overrides)
    assert answer.status_code == 201, answer.json
    return answer.json["reference"]


def _open_booking_page(client, reference: str, phone: str) -> str:
    form = client.get(f"/bookings/lookup?reference={reference}").text
    return client.post(
        "/bookings/lookup",
        data={"csrf_token": csrf_token(form), "reference": reference, "phone_last4": phone[-4:]},
        follow_redirects=True,
    ).text


def test_a_no_show_is_recorded_only_after_confirming(app, client, book, staff, clock):
    reference = book().json["reference"]
    staff.create()
    _at(clock, staff, "2026-11-26T09:31:00+08:00")
    assert f'/staff/bookings/{reference}/no-show"' in client.get(DAY).text  # a link, not a POST
    unconfirmed = _post(client, reference, "no-show")
    assert unconfirmed.headers["Location"] == f"/staff/bookings/{reference}/no-show"
    assert _status(app, reference) == "booked" and _audit(app) == []
    page = client.get(unconfirmed.headers["Location"]).text
    assert "确定把这个预约记为未到吗？" in page and "目前有 0 次未到记录" in page
    done = _post(client, reference, "no-show", confirm="yes")
    assert "已记为未到" in client.get(done.headers["Location"]).text
    assert _status(app, reference) == "no_show"
    assert _audit(app) == [("wangfang", "booking.no-show", reference, None)]


def test_a_no_show_can_be_undone_the_same_day_only(app, client, book, staff, clock):
    first, second = (
        book(slot=f"2026-11-26T{t}:00+08:00").json["reference"] for t in ("09:00", "09:30")
    )
    staff.create()
    _at(clock, staff, "2026-11-26T10:00:00+08:00")
    for reference in (first, second):
        _post(client, reference, "no-show", confirm="yes")
    assert client.get(DAY).text.count("撤销未到</button>") == 2
    undone = _post(client, first, "undo-no-show")
    assert "未到记录已撤销" in client.get(undone.headers["Location"]).text
    assert _status(app, first) == "booked"
    _at(clock, staff, "2026-11-27T09:00:00+08:00")
    assert "撤销未到</button>" not in client.get(DAY).text
    late = _post(client, second, "undo-no-show")
    assert "11月26日 记录的，只能在记录当天撤销" in client.get(late.headers["Location"]).text
    assert _status(app, second) == "no_show"
    actions = [action for _, action, _, _ in _audit(app)]
    assert actions == ["booking.no-show", "booking.no-show", "booking.undo-no-show"]
    with app.app_context():
        told = [
            (m.event, m.subject)
            for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            if m.event.startswith("booking_no_show")
        ]
    assert told == [
        ("booking_no_show", first),
        ("booking_no_show", second),
        ("booking_no_show_undone", first),
    ]


def test_a_late_check_in_after_a_no_show_is_allowed_that_day(app, client, book, staff, clock):
    reference = book().json["reference"]
    staff.create()
    _at(clock, staff, "2026-11-26T09:40:00+08:00")
    _post(client, reference, "no-show", confirm="yes")
    assert "补签到</button>" in client.get(DAY).text
    answer = _post(client, reference, "late-check-in")
    assert "已补签到，未到记录不再计入" in client.get(answer.headers["Location"]).text
    assert _status(app, reference) == "checked_in"
    _post(client, reference, "served")
    assert _status(app, reference) == "served"
    assert [a for _, a, _, _ in _audit(app)] == [
        "booking.no-show",
        "booking.late-check-in",
        "booking.served",
    ]


def test_a_late_check_in_on_another_day_is_refused(app, client, book, staff, clock):
    reference = book().json["reference"]
    staff.create()
    _at(clock, staff, "2026-11-26T09:40:00+08:00")
    _post(client, reference, "no-show", confirm="yes")
    _at(clock, staff, "2026-11-27T09:00:00+08:00")
    answer = _post(client, reference, "late-check-in")
    assert "只能在当天补签到" in client.get(answer.headers["Location"]).text
    assert _status(app, reference) == "no_show"


def test_only_standing_no_shows_count_toward_the_block(app, client, book, staff, clock):
    app.config.update(NO_SHOW_LIMIT=2, NO_SHOW_BLOCK_DAYS=30)
    someone = person()
    staff.create()
    references = {}
    for day in ("2026-11-26", "2026-11-27", "2026-11-30"):
        clock.set("2026-11-25T10:00:00+08:00")
        references[day] = book(**someone, slot=f"{day}T09:00:00+08:00").json["reference"]
    for day, then in (("2026-11-26", "late-check-in"), ("2026-11-27", None)):
        _at(clock, staff, f"{day}T10:00:00+08:00")
        token = csrf_token(client.get(f"/staff/bookings/?window=enterprise&date={day}").text)
        for action, extra in (("no-show", {"confirm": "yes"}), (then, {})):
            if action:
                client.post(
                    f"/staff/bookings/{references[day]}/{action}",
                    data={"csrf_token": token, **extra},
                )
    # one no-show stands (27th), the other was followed by a late check-in: not blocked
    clock.set("2026-11-28T10:00:00+08:00")
    assert book(**someone, slot="2026-12-01T09:00:00+08:00").status_code == 201
    page = _open_booking_page(client, references["2026-11-30"], someone["phone"])
    assert "您有 1 次预约未按时到场（满 2 次暂停网上预约 30 天" in page
    assert "前暂停网上预约" not in page
    # a second standing no-show blocks, until 30 days after the latest one
    _at(clock, staff, "2026-11-30T10:00:00+08:00")
    token = csrf_token(client.get("/staff/bookings/?window=enterprise&date=2026-11-30").text)
    client.post(
        f"/staff/bookings/{references['2026-11-30']}/no-show",
        data={"csrf_token": token, "confirm": "yes"},
    )
    refused = book(**someone, slot="2026-12-02T09:00:00+08:00")
    assert refused.status_code == 403
    assert "近 180 天内有 2 次预约未按时到场" in refused.json["message"]
    assert "2026年12月30日 前暂停网上预约" in refused.json["message"]
    page = _open_booking_page(client, references["2026-11-30"], someone["phone"])
    assert "您有 2 次预约未按时到场" in page and "2026年12月30日 前暂停网上预约" in page
    last4 = someone["phone"][-4:]
    looked = client.get(f"/api/bookings/{references['2026-11-30']}?phone_last4={last4}")
    assert looked.json["no_shows"] == {
        "count": 2,
        "limit": 2,
        "lookback_days": 180,
        "block_days": 30,
        "blocked_until": "2026-12-30",
    }
    # undone the same day, it no longer counts
    client.post(
        f"/staff/bookings/{references['2026-11-30']}/undo-no-show", data={"csrf_token": token}
    )
    assert book(**someone, slot="2026-12-02T09:00:00+08:00").status_code == 201


def test_a_home_visit_is_flagged_and_has_its_own_actions(app, client, book, staff, clock):
    visit = _home_visit(book)
    hall = book(slot="2026-11-26T09:30:00+08:00").json["reference"]
    staff.create()
    _at(clock, staff, "2026-11-26T10:00:00+08:00")
    page = client.get(DAY).text
    rows = {ref: row for row in page.split("<tr>") for ref in (visit, hall) if ref in row}
    assert '<strong class="flag">上门服务</strong>' in rows[visit]
    assert "上门服务" not in rows[hall]
    assert "签到</button>" not in rows[visit] and "未到</a>" not in rows[visit]
    assert "已上门服务</button>" in rows[visit] and "未能上门</a>" in rows[visit]
    assert "签到</button>" in rows[hall] and "未到</a>" in rows[hall]
    refused = _post(client, visit, "check-in")
    assert "是上门服务的预约，不能签到" in client.get(refused.headers["Location"]).text
    assert _status(app, visit) == "booked"
    assert (
        "是到厅办理的预约，不能记为已上门服务"
        in client.get(_post(client, hall, "visited").headers["Location"]).text
    )
    _post(client, visit, "visited")
    assert _status(app, visit) == "served"
    assert _audit(app) == [("wangfang", "booking.visited", visit, None)]


def test_a_missed_home_visit_needs_a_reason_and_never_counts_as_a_no_show(
    app, client, book, staff, clock
):
    app.config.update(NO_SHOW_LIMIT=1)
    someone = person()
    visit = _home_visit(book, **someone)
    staff.create()
    _at(clock, staff, "2026-11-26T10:00:00+08:00")
    asked = client.get(f"/staff/bookings/{visit}/visit-missed").text
    assert "未能上门的原因（必选）" in asked and "上门时家中无人，电话也联系不上" in asked
    no_reason = _post(client, visit, "visit-missed", confirm="yes")
    assert no_reason.headers["Location"] == f"/staff/bookings/{visit}/visit-missed"
    assert "请选择未能上门的原因" in client.get(no_reason.headers["Location"]).text
    assert _status(app, visit) == "booked"
    _post(client, visit, "visit-missed", confirm="yes", reason="not-home")
    assert _status(app, visit) == "visit_missed"
    assert _audit(app) == [
        ("wangfang", "booking.visit-missed", visit, "上门时家中无人，电话也联系不上")
    ]
    page = _open_booking_page(client, visit, someone["phone"])
    assert "未能上门" in page and "这不算您未到" in page and "您有 0 次预约未按时到场" in page
    assert book(**someone, slot="2026-11-30T09:00:00+08:00").status_code == 201


def test_a_home_visit_lists_no_agent_materials(client, book):
    visit = book(kind="assisted", disabled=True, home_visit=True, address=ADDRESS).json
    names = {m["name"] for m in visit["materials"]}
    assert "代理人居民身份证" not in names and "委托书" not in names
    assert "经营场所使用证明" in names
    hall = {m["name"] for m in book().json["materials"]}
    assert {"代理人居民身份证", "委托书"} <= hall


def test_the_assisted_queue_masks_the_phone_until_the_assignee_looks(app, client, book, staff):
    someone = person(phone="13912345678")
    visit = _home_visit(book, **someone)
    staff.create("wangfang")
    staff.create("lisi")
    staff.create("boss", role="admin")
    staff.login("lisi")
    queue = client.get("/staff/bookings/assisted").text
    assert "139****5678" in queue and "13912345678" not in queue
    assert "查看完整号码" not in queue and "我来负责" in queue
    token = csrf_token(queue)
    assert (
        client.post(
            f"/staff/bookings/assisted/{visit}/phone", data={"csrf_token": token}
        ).status_code
        == 403
    )
    staff.login("wangfang")
    token = csrf_token(client.get("/staff/bookings/assisted").text)
    client.post(f"/staff/bookings/assisted/{visit}/take", data={"csrf_token": token})
    queue = client.get("/staff/bookings/assisted").text
    assert "查看完整号码（会记入操作日志）" in queue and "13912345678" not in queue
    shown = client.post(f"/staff/bookings/assisted/{visit}/phone", data={"csrf_token": token})
    assert "13912345678" in shown.text and "查看已记入操作日志" in shown.text
    assert "13912345678" not in client.get("/staff/bookings/assisted").text  # masked again
    client.post(f"/staff/bookings/assisted/{visit}/phone", data={"csrf_token": token})
    staff.login("lisi")  # someone else cannot take it over
    token = csrf_token(client.get("/staff/bookings/assisted").text)
    taken = client.post(f"/staff/bookings/assisted/{visit}/take", data={"csrf_token": token})
    assert "已由 王芳 负责" in client.get(taken.headers["Location"]).text  # her name, not the login
    staff.login("boss")  # an administrator may look without taking it on
    token = csrf_token(client.get("/staff/bookings/assisted").text)
    shown = client.post(f"/staff/bookings/assisted/{visit}/phone", data={"csrf_token": token})
    assert "13912345678" in shown.text
    assert [(actor, action) for actor, action, _, _ in _audit(app)] == [
        ("wangfang", "booking.assign"),
        ("wangfang", "booking.view_phone"),
        ("wangfang", "booking.view_phone"),
        ("boss", "booking.view_phone"),
    ]


def test_an_assisted_booking_can_be_handed_back_and_taken_by_someone_else(app, client, book, staff):
    visit = _home_visit(book, **person(phone="13912345678"))
    staff.create("wangfang")
    staff.create("lisi", name="李四")
    staff.login("wangfang")
    token = csrf_token(client.get("/staff/bookings/assisted").text)
    client.post(f"/staff/bookings/assisted/{visit}/take", data={"csrf_token": token})
    staff.login("lisi")  # not the assignee: no button, and the request is refused
    queue = client.get("/staff/bookings/assisted").text
    assert "交回队列</button>" not in queue
    token = csrf_token(queue)
    refused = client.post(f"/staff/bookings/assisted/{visit}/release", data={"csrf_token": token})
    assert refused.status_code == 403
    staff.login("wangfang")
    queue = client.get("/staff/bookings/assisted").text
    assert "交回队列</button>" in queue
    released = client.post(
        f"/staff/bookings/assisted/{visit}/release", data={"csrf_token": csrf_token(queue)}
    )
    assert "已交回队列" in client.get(released.headers["Location"]).text
    mine = csrf_token(queue)
    phone = client.post(f"/staff/bookings/assisted/{visit}/phone", data={"csrf_token": mine})
    assert phone.status_code == 403  # no longer hers to call
    staff.login("lisi")
    token = csrf_token(client.get("/staff/bookings/assisted").text)
    client.post(f"/staff/bookings/assisted/{visit}/take", data={"csrf_token": token})
    shown = client.post(f"/staff/bookings/assisted/{visit}/phone", data={"csrf_token": token})
    assert "13912345678" in shown.text
    assert '<td data-label="负责人">李四' in shown.text  # the name, not the login
    assert [(actor, action) for actor, action, _, _ in _audit(app)] == [
        ("wangfang", "booking.assign"),
        ("wangfang", "booking.release"),
        ("lisi", "booking.assign"),
        ("lisi", "booking.view_phone"),
    ]


def test_the_kiosk_gives_no_ticket_for_a_home_visit(app, client, book, clock):
    clock.set("2026-11-24T10:00:00+08:00")
    someone = person()
    visit = book(
        kind="assisted",
        disabled=True,
        home_visit=True,
        address=ADDRESS,
        slot="2026-11-25T09:00:00+08:00",
        **someone,
    ).json["reference"]
    clock.set("2026-11-25T09:05:00+08:00")
    answer = client.post(
        "/api/queue/tickets",
        json={"booking_reference": visit, "phone_last4": someone["phone"][-4:]},
    )
    assert answer.status_code == 409
    assert (
        "这是上门服务的预约" in answer.json["message"]
        and "不用到大厅取号" in answer.json["message"]
    )


def test_the_confirmation_pages_ask_only_what_can_be_done_in_chinese(
    app, client, book, staff, clock
):
    from tests.test_pages_chinese_only import english_words

    hall = book().json["reference"]
    visit = _home_visit(book, slot="2026-11-26T09:30:00+08:00")
    staff.create()
    staff.login()
    early = client.get(f"/staff/bookings/{hall}/no-show")  # the slot has not started
    assert early.status_code == 302
    assert "时段还没开始，不能记为未到" in client.get(early.headers["Location"]).text
    wrong = client.get(f"/staff/bookings/{hall}/visit-missed")
    assert "是到厅办理的预约，不能记为未能上门" in client.get(wrong.headers["Location"]).text
    _at(clock, staff, "2026-11-26T10:00:00+08:00")
    for reference, action in ((hall, "no-show"), (visit, "visit-missed")):
        page = client.get(f"/staff/bookings/{reference}/{action}")
        assert page.status_code == 200
        assert english_words(page.text, codes={reference}) == set()


def test_the_assisted_queue_is_paged_and_kept_to_ones_windows(client, book, staff):
    references = [
        _home_visit(book, slot="2026-11-26T14:00:00+08:00"),
        book(kind="assisted", disabled=True).json["reference"],
        book(kind="assisted", elderly=False, disabled=True, slot="2026-11-27T09:00:00+08:00").json[
            "reference"
        ],
    ]
    staff.create()
    staff.login()
    first = client.get("/staff/bookings/assisted?per_page=2").text
    assert references[0] in first and references[1] in first and references[2] not in first
    assert first.index(references[0]) < first.index(references[1])  # home visits first
    assert "共 3 条，第 1 / 2 页" in first
    assert references[2] in client.get("/staff/bookings/assisted?per_page=2&page=2").text
    staff.create("social", windows="social-affairs")
    staff.login("social")
    other = client.get("/staff/bookings/assisted").text
    assert "队列是空的" in other and not any(r in other for r in references)
