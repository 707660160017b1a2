"""悉心听: anonymous or with contact, a reference, the staff reply the citizen reads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forms_backend.audit import AuditEntry
from forms_backend.extensions import db
from forms_backend.feedback.models import Feedback
from tests.backend.fixtures import csrf_token, scripts_needed


def test_anonymous_feedback_gets_a_reference(client, leave_feedback):
    answer = leave_feedback()
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert body["kind_label"] == "咨询建议" and body["status_label"] == "待答复"
    assert body["reply"] is None
    assert client.get(f"/api/feedback/{body['reference']}").json["content"] == (
        "建议在大厅多设几个自助填表机。"
    )


def test_complaint_about_an_item_goes_to_its_department(app, leave_feedback):
    answer = leave_feedback(
        kind="complaint",
        content="窗口说要补充材料，但没说清楚要什么。",
        item="health-permit",
        name="王五",
        contact_phone="136 0000 5678",
    )
    assert answer.status_code == 201
    with app.app_context():
        row = db.session.scalar(select(Feedback))
        assert (row.department, row.window) == ("health", "enterprise")
        assert row.contact_masked == "136****5678" and row.name_masked == "王*"
        raw = str(dict(db.session.execute(select(Feedback.__table__)).mappings().one()))
        assert "13600005678" not in raw and "王五" not in raw


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"kind": "rant"}, "kind", "类别只能是"),
        ({"kind": ""}, "kind", "请选择类别"),
        ({"content": "好"}, "content", "内容应为 5 到 1000 个字"),
        ({"content": "好" * 1001}, "content", "内容应为 5 到 1000 个字"),
        ({"contact_phone": "110"}, "contact_phone", "手机号应为 11 位数字"),
        ({"kind": "butler"}, "contact_phone", "管家服务需要联系您"),
        ({"item": "no-such-item"}, "item", "没有找到事项"),
        ({"window": "nowhere"}, "window", "没有窗口"),
        ({"name": "<b>"}, "name", "称呼应为 2 到 30 个汉字或字母"),
        ({"content": 5}, "content", "应为文字"),
        ({"mood": "angry"}, "mood", "不认识的字段"),
    ],
)
def test_bad_feedback_is_422_with_a_chinese_message(leave_feedback, body, field, fragment):
    answer = leave_feedback(**body)
    assert answer.status_code == 422, answer.json
    assert fragment in answer.json["errors"][field]


def test_staff_reply_is_read_with_the_reference(app, client, staff, leave_feedback):
    reference = leave_feedback(kind="praise", content="3 号窗口的小李非常耐心，谢谢！").json[
        "reference"
    ]
    staff.create("window1")
    staff.login("window1")
    inbox = client.get("/staff/feedback/?status=new")
    assert reference in inbox.text
    with app.app_context():
        feedback_id = db.session.scalar(select(Feedback.id))
    page = client.get(f"/staff/feedback/{feedback_id}")
    empty = client.post(
        f"/staff/feedback/{feedback_id}", data={"csrf_token": csrf_token(page.text), "reply": ""}
    )
    assert empty.status_code == 422 and "请填写答复内容" in empty.text
    done = client.post(
        f"/staff/feedback/{feedback_id}",
        data={"csrf_token": csrf_token(page.text), "reply": "感谢您的表扬，已转告本人。"},
        follow_redirects=True,
    )
    assert "已答复留言" in done.text
    seen = client.get(f"/api/feedback/{reference}").json
    assert (seen["status"], seen["reply"]) == ("replied", "感谢您的表扬，已转告本人。")
    html = app.test_client().get(f"/feedback/{reference}")
    assert "感谢您的表扬，已转告本人。" in html.text
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry))
        assert (entry.actor, entry.action, entry.subject_ref) == (
            "window1",
            "feedback.reply",
            reference,
        )


def test_department_staff_see_only_feedback_on_their_items(app, client, staff, leave_feedback):
    leave_feedback(content="卫生许可要等多久？", item="health-permit")
    leave_feedback(content="营业执照能邮寄吗？", item="business-licence")
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    inbox = client.get("/staff/feedback/")
    assert "卫生许可要等多久" in inbox.text and "营业执照能邮寄吗" not in inbox.text
    with app.app_context():
        other = db.session.scalar(select(Feedback.id).where(Feedback.item == "business-licence"))
    assert client.get(f"/staff/feedback/{other}").status_code == 404


def test_feedback_export_is_masked(client, staff, leave_feedback):
    leave_feedback(
        kind="complaint",
        content="排队太久了，等了一上午。",
        name="赵六",
        contact_phone="13912345678",
    )
    staff.create("window1")
    staff.login("window1")
    export = client.get("/staff/feedback/export.csv").get_data(as_text=True)
    assert "赵*" in export and "139****5678" in export
    assert "赵六" not in export and "13912345678" not in export


def test_complainants_phone_is_masked_until_an_audited_reveal(app, client, staff, leave_feedback):
    leave_feedback(
        kind="complaint", content="排队太久了，等了一上午。", contact_phone="13912345678"
    )
    staff.create("window1")
    staff.login("window1")
    with app.app_context():
        row = db.session.scalar(select(Feedback))
    page = client.get(f"/staff/feedback/{row.id}")
    assert "139****5678" in page.text and "13912345678" not in page.text
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.id)) is None
    shown = client.post(
        f"/staff/feedback/{row.id}/contact", data={"csrf_token": csrf_token(page.text)}
    )
    assert shown.status_code == 200 and "13912345678" in shown.text
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry))
        assert (entry.actor, entry.action, entry.subject_ref) == (
            "window1",
            "feedback.view_contact",
            row.reference,
        )
    assert "13912345678" not in client.get(f"/staff/feedback/{row.id}").text


def test_anonymous_users_cannot_open_the_inbox(client):
    assert client.get("/staff/feedback/").status_code == 302


def test_feedback_page_works_without_javascript(client):
    page = client.get("/feedback/")
    assert page.status_code == 200 and scripts_needed(page.text) == []
    answer = client.post(
        "/feedback/",
        data={
            "csrf_token": csrf_token(page.text),
            "kind": "suggestion",
            "content": "周六能多开一个窗口吗？",
        },
    )
    assert answer.status_code == 303
    assert "周六能多开一个窗口吗" in client.get(answer.headers["Location"]).text


def test_the_inbox_is_paged_with_links_instead_of_cut(client, staff, leave_feedback):
    for n in range(53):
        assert leave_feedback(content=f"第 {n:02d} 条建议：多设几个自助机。").status_code == 201
    staff.create("window1")
    staff.login("window1")
    first = client.get("/staff/feedback/").get_data(as_text=True)
    assert first.count("多设几个自助机") == 50
    assert "共 53 条，第 1 / 2 页" in first
    assert 'href="/staff/feedback/?page=2" rel="next"' in first
    second = client.get("/staff/feedback/?page=2").get_data(as_text=True)
    assert second.count("多设几个自助机") == 3
    assert "第 00 条" in second  # the oldest last
    assert client.get("/staff/feedback/?page=9").status_code == 200
