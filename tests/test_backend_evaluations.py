"""好差评: channels, one evaluation per case or visit, 差评 rules, follow-ups and deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from catalog.workdays import CHINA
from forms_backend.audit import AuditEntry
from forms_backend.evaluations.models import Evaluation, FollowUp
from forms_backend.extensions import db
from tests.backend.fixtures import csrf_token


def test_onsite_evaluation_is_anonymous_and_once_per_ticket(evaluate):
    first = evaluate(ticket="a012")
    assert first.status_code == 201, first.json
    assert first.json["level_label"] == "非常满意" and first.json["follow_up"] is None
    again = evaluate(ticket="A012", level=4)
    assert again.status_code == 409
    assert "排队号 A012 今天在这个窗口已经评价过了" in again.json["message"]
    assert evaluate(ticket="A012", window="social-affairs").status_code == 201


def test_booking_can_be_evaluated_once_after_it_was_served(served_booking, book, evaluate):
    served = served_booking()
    answer = evaluate(channel="booking", **served, level=4)
    assert answer.status_code == 201, answer.json
    assert answer.json["window"] == "enterprise"
    assert evaluate(channel="booking", **served, level=5).status_code == 409
    not_served = book().json["reference"]
    refused = evaluate(channel="booking", reference=not_served, phone_last4="0000")
    assert refused.status_code == 404
    wrong_phone = evaluate(channel="booking", reference=served["reference"], phone_last4="9999")
    assert wrong_phone.status_code == 404


def test_booking_not_yet_served_cannot_be_evaluated_and_the_answer_hides_the_digits(
    client, book, evaluate
):
    from tests.backend.fixtures import person

    someone = person()
    reference = book(**someone).json["reference"]
    right = evaluate(channel="booking", reference=reference, phone_last4=someone["phone"][-4:])
    wrong = evaluate(channel="booking", reference=reference, phone_last4="0000")
    assert right.status_code == wrong.status_code == 404
    assert right.json == wrong.json  # a guesser cannot tell the right 4 digits
    assert "办理完成后才能评价" in right.json["message"]


def test_each_concluded_case_is_evaluated_once(concluded_case, submit, evaluate):
    case = concluded_case()
    for item in ("business-licence", "health-permit"):
        answer = evaluate(channel="case", item=item, **case, level=5)
        assert answer.status_code == 201, answer.json
    assert evaluate(channel="case", item="health-permit", **case).status_code == 409
    unknown = evaluate(channel="case", item="id-card", **case)
    assert unknown.status_code == 422 and "没有事项“id-card”的办件" in unknown.json["message"]
    from tests.backend.submissions import shop_fields

    fields = shop_fields(**{"applicant-phone": "13700002222"})
    pending = submit(fields=fields).json["reference"]
    answer = evaluate(channel="case", item="food-licence", reference=pending, phone_last4="2222")
    wrong = evaluate(channel="case", item="food-licence", reference=pending, phone_last4="0000")
    assert answer.status_code == wrong.status_code == 404
    assert answer.json == wrong.json
    assert "办结、不予受理或不予许可后才能评价" in answer.json["message"]


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"level": 2}, "labels", "请勾选不满意的方面，或在“具体意见”里写明原因"),
        ({"level": 1, "labels": []}, "labels", "请勾选不满意的方面"),
        ({"level": 2, "labels": ["太热了"]}, "labels", "没有“太热了”这个选项"),
        ({"level": 6}, "level", "应为 1 到 5 的整数"),
        ({"level": "5"}, "level", "应为 1 到 5 的整数"),
        ({"level": None}, "level", "请选择总体评价"),
        ({"ticket": ""}, "ticket", "请填写排队号"),
        ({"ticket": "排队12"}, "ticket", "排队号应为 1 到 4 位数字"),
        ({"window": ""}, "window", "请选择为您办理业务的窗口"),
        ({"contact_phone": "12345"}, "contact_phone", "也可以不填，匿名评价"),
        ({"channel": "phone"}, "channel", "评价渠道只能是"),
        ({"channel": "booking"}, "reference", "请填写预约号"),
        (
            {"channel": "case", "reference": "7KQ2M9XA", "phone_last4": "12"},
            "phone_last4",
            "最后 4 位",
        ),
        ({"dimensions": {"speed": 5}}, "dimensions.speed", "没有维度“speed”"),
        ({"dimensions": {"process": 0}}, "dimensions.process", "1 到 5 的整数"),
        ({"reason": "很" * 501}, "reason", "最多 500 个字"),
        ({"colour": "red"}, "colour", "不认识的字段"),
    ],
)
def test_bad_evaluation_is_422_with_a_chinese_message(evaluate, body, field, fragment):
    answer = evaluate(**body)
    assert answer.status_code == 422, answer.json
    assert fragment in answer.json["errors"][field]


def test_negative_with_a_reason_opens_a_follow_up_due_in_15_working_days(app, evaluate):
    answer = evaluate(level=1, reason="等了两个小时没人办。", item="health-permit")
    assert answer.status_code == 201
    follow_up = answer.json["follow_up"]
    assert follow_up["status"] == "open"
    # Wed 25 Nov 2026 + 15 working days = Wed 16 Dec 2026 (no holidays in between).
    assert follow_up["due"] == "2026-12-16"
    with app.app_context():
        assert db.session.scalar(select(FollowUp)).department == "health"


def test_follow_up_deadline_skips_national_day_and_counts_the_make_up_day(clock, evaluate):
    """Mon 28 Sep 2026: 2 working days, then Oct 1–7 off, Sat Oct 10 worked (调休)."""
    clock.set(dt.datetime(2026, 9, 28, 15, 0, tzinfo=CHINA))
    answer = evaluate(level=2, labels=["办理时间过长"])
    assert answer.json["follow_up"]["due"] == "2026-10-23"
    # Wed 30 Sep: Oct 8, 9, 10 (Sat, 调休), 12–16, 19–23, 26, 27 are the 15 working days.
    clock.set(dt.datetime(2026, 9, 30, 9, 0, tzinfo=CHINA))
    answer = evaluate(level=2, labels=["多次跑动"], ticket="A002")
    assert answer.json["follow_up"]["due"] == "2026-10-27"


def test_due_after_counts_working_days_on_the_catalog_calendar(app):
    from forms_backend.deadlines import due_after, is_overdue

    with app.app_context():
        assert due_after(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
        assert due_after(dt.date(2026, 10, 9), 1) == dt.date(2026, 10, 10)  # make-up Saturday
        assert due_after(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)  # weekend
        assert due_after(dt.date(2026, 11, 27), 0) == dt.date(2026, 11, 27)
    assert not is_overdue(dt.date(2026, 10, 23), dt.date(2026, 10, 23))
    assert is_overdue(dt.date(2026, 10, 23), dt.date(2026, 10, 24))


def _step(client, follow_up_id: int, step: str, text: str):
    page = client.get(f"/staff/evaluations/follow-ups/{follow_up_id}")
    assert page.status_code == 200
    return client.post(
        f"/staff/evaluations/follow-ups/{follow_up_id}/{step}",
        data={"csrf_token": csrf_token(page.text), "text": text},
        follow_redirects=True,
    )


def test_follow_up_from_call_back_to_the_evaluators_rating(app, client, staff, evaluate):
    created = evaluate(
        level=2, labels=["服务态度差"], item="health-permit", contact_phone="13600001234"
    )
    reference = created.json["reference"]
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    with app.app_context():
        follow_up_id = db.session.scalar(select(FollowUp.id))
    page = client.get(f"/staff/evaluations/follow-ups/{follow_up_id}")
    assert "13600001234" in page.text  # the department calls back
    assert "不能整改" in _step(client, follow_up_id, "rectify", "太早了").text
    _step(client, follow_up_id, "callback", "已电话回访，情况属实。")
    _step(client, follow_up_id, "rectify", "对窗口人员进行了服务规范培训。")
    _step(client, follow_up_id, "reply", "感谢您的意见，我们已整改。")
    seen = client.get(f"/api/evaluations/{reference}").json["follow_up"]
    assert seen["status"] == "replied" and seen["reply"] == "感谢您的意见，我们已整改。"
    assert seen["rectification"] == "对窗口人员进行了服务规范培训。"
    rated = client.post(f"/api/evaluations/{reference}/rating", json={"rating": 4})
    assert rated.status_code == 200 and rated.json["follow_up"]["status"] == "closed"
    again = client.post(f"/api/evaluations/{reference}/rating", json={"rating": 5})
    assert again.status_code == 409
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert [a for a in actions if a != "follow_up.view_contact"] == [
        "follow_up.callback",
        "follow_up.rectify",
        "follow_up.reply",
    ]
    assert "follow_up.view_contact" in actions


def test_rating_before_the_reply_is_refused(client, evaluate):
    reference = evaluate(level=1, reason="材料被弄丢了").json["reference"]
    answer = client.post(f"/api/evaluations/{reference}/rating", json={"rating": 5})
    assert answer.status_code == 409
    positive = evaluate(level=5, ticket="A100").json["reference"]
    assert client.post(f"/api/evaluations/{positive}/rating", json={"rating": 5}).status_code == 409
    bad = client.post(f"/api/evaluations/{reference}/rating", json={"rating": 9})
    assert bad.status_code == 422


def test_anonymous_negative_skips_the_call_back(app, client, staff, evaluate):
    evaluate(level=1, labels=["多次跑动"], item="business-licence")
    staff.create("m1", role="department", department="market")
    staff.login("m1")
    with app.app_context():
        follow_up_id = db.session.scalar(select(FollowUp.id))
    page = client.get(f"/staff/evaluations/follow-ups/{follow_up_id}")
    assert "匿名评价，无法回访" in page.text
    assert "已记录整改" in _step(client, follow_up_id, "rectify", "优化了一次告知清单。").text


def test_window_staff_never_see_the_evaluators_identity(
    app, client, staff, served_booking, evaluate
):
    served = served_booking(phone="13512345678")
    answer = evaluate(channel="booking", **served, level=1, labels=["服务态度差"])
    assert answer.status_code == 201
    staff.create("window1", windows="enterprise")
    staff.login("window1")
    listing = client.get("/staff/evaluations/")
    assert listing.status_code == 200 and "服务态度差" in listing.text
    export = client.get("/staff/evaluations/export.csv").get_data(as_text=True)
    for page in (listing.text, export):
        assert "5678" not in page and served["reference"] not in page
        assert answer.json["reference"] not in page
        assert "10:00" not in page  # the date only: the time would point at the booking
    with app.app_context():
        follow_up_id = db.session.scalar(select(FollowUp.id))
    assert client.get(f"/staff/evaluations/follow-ups/{follow_up_id}").status_code == 403
    assert client.get("/staff/evaluations/follow-ups").status_code == 403


def test_department_staff_see_only_their_follow_ups_and_overdue_is_highlighted(
    app, client, clock, staff, evaluate
):
    evaluate(level=2, labels=["办理时间过长"], item="health-permit", ticket="A001")
    evaluate(level=2, labels=["办理时间过长"], item="business-licence", ticket="A002")
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    page = client.get("/staff/evaluations/follow-ups")
    assert page.text.count("办理时间过长") == 1
    assert 'class="overdue"' not in page.text
    clock.set("2026-12-17T09:00:00+08:00")  # the day after the due date (16 Dec)
    staff.login("h1")  # a new working day, a new session
    late = client.get("/staff/evaluations/follow-ups?state=overdue")
    assert 'class="overdue"' in late.text and "已逾期" in late.text
    with app.app_context():
        assert db.session.scalar(select(Evaluation.id).where(Evaluation.department == "market"))


def test_admin_assigns_an_onsite_negative_without_item_to_a_department(
    app, client, staff, evaluate
):
    evaluate(level=1, labels=["服务态度差"])  # no item: the hall's admins hold it
    with app.app_context():
        follow_up_id = db.session.scalar(select(FollowUp.id))
        assert db.session.get(FollowUp, follow_up_id).department is None
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    assert client.get(f"/staff/evaluations/follow-ups/{follow_up_id}").status_code == 404
    staff.logout()
    staff.create("boss", role="admin")
    staff.login("boss")
    page = client.get(f"/staff/evaluations/follow-ups/{follow_up_id}")
    assert "大厅管理" in page.text
    token = csrf_token(page.text)
    url = f"/staff/evaluations/follow-ups/{follow_up_id}/assign"
    bad = client.post(
        url, data={"csrf_token": token, "department": "nowhere"}, follow_redirects=True
    )
    assert "没有部门“nowhere”" in bad.text
    done = client.post(
        url, data={"csrf_token": token, "department": "health"}, follow_redirects=True
    )
    assert "已改派责任部门" in done.text
    staff.logout()
    staff.login("h1")
    assert client.get(f"/staff/evaluations/follow-ups/{follow_up_id}").status_code == 200
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "follow_up.assign"))
        assert (entry.actor, entry.detail) == ("boss", "health")


def test_department_staff_cannot_reassign(app, client, staff, evaluate):
    evaluate(level=1, labels=["服务态度差"], item="health-permit")
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    with app.app_context():
        follow_up_id = db.session.scalar(select(FollowUp.id))
    page = client.get(f"/staff/evaluations/follow-ups/{follow_up_id}")
    assert "改派" not in page.text
    answer = client.post(
        f"/staff/evaluations/follow-ups/{follow_up_id}/assign",
        data={"csrf_token": csrf_token(page.text), "department": "market"},
    )
    assert answer.status_code == 403
