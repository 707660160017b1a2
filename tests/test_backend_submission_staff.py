"""Staff handling of submission cases: department scope, 受理 / 退回补正 / 办结, audit, export."""

from __future__ import annotations

import re

from sqlalchemy import select

from forms_backend.audit import AuditEntry
from forms_backend.extensions import db
from forms_backend.submissions.models import Case, SubmissionFile
from tests.backend.fixtures import csrf_token
from tests.backend.submissions import shop_fields


def _case_id(app, reference: str, item: str) -> int:
    with app.app_context():
        from forms_backend.submissions.models import Submission

        return db.session.scalar(
            select(Case.id)
            .join(Submission)
            .where(Submission.reference == reference, Case.item == item)
        )


def _act(client, case_id: int, action: str, reason: str = ""):
    page = client.get(f"/staff/submissions/cases/{case_id}")
    assert page.status_code == 200, page.status_code
    return client.post(
        f"/staff/submissions/cases/{case_id}/{action}",
        data={"csrf_token": csrf_token(page.text), "reason": reason},
        follow_redirects=True,
    )


def test_department_staff_see_only_their_department(app, client, staff, submit):
    reference = submit().json["reference"]
    staff.create("health1", role="department", department="health")
    staff.login("health1")
    listing = client.get("/staff/submissions/")
    assert listing.status_code == 200
    assert "公共场所卫生许可" in listing.text and "个体工商户设立登记" not in listing.text
    market_case = _case_id(app, reference, "business-licence")
    assert client.get(f"/staff/submissions/cases/{market_case}").status_code == 404


def test_hall_staff_and_anonymous_users_are_refused(client, staff, submit):
    submit()
    assert client.get("/staff/submissions/").status_code == 302
    staff.create("window1")
    staff.login("window1")
    assert client.get("/staff/submissions/").status_code == 403
    assert client.get("/staff/submissions/export.csv").status_code == 403


def test_accept_return_and_conclude_with_audit(app, client, staff, submit):
    reference = submit(fields=shop_fields(**{"applicant-phone": "13900002468"})).json["reference"]
    staff.create("boss", role="admin")
    staff.login("boss")
    health = _case_id(app, reference, "health-permit")
    answer = _act(client, health, "return", "卫生管理制度缺少消毒记录表，请补充后重新提交。")
    assert "已退回补正" in answer.text
    status = client.get(f"/api/submissions/{reference}?phone_last4=2468").json
    assert status["status"] == "returned"
    returned = [c for c in status["cases"] if c["item"] == "health-permit"][0]
    assert returned["return_reason"] == "卫生管理制度缺少消毒记录表，请补充后重新提交。"
    assert "已受理" in _act(client, health, "accept").text
    # 5 working days after Wed 25 Nov 2026 is Wed 2 Dec.
    status = client.get(f"/api/submissions/{reference}?phone_last4=2468").json
    assert [c["due"] for c in status["cases"] if c["item"] == "health-permit"] == ["2026-12-02"]
    for item in ("business-licence", "food-licence", "health-permit"):
        case = _case_id(app, reference, item)
        if item != "health-permit":
            _act(client, case, "accept")
        assert "已办结" in _act(client, case, "conclude").text
    status = client.get(f"/api/submissions/{reference}?phone_last4=2468").json
    assert status["status"] == "concluded" and status["concluded_at"]
    with app.app_context():
        actions = [
            (e.actor, e.action)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert actions[:2] == [("boss", "case.return"), ("boss", "case.accept")]
    assert len(actions) == 7


def test_return_needs_a_reason_and_wrong_transitions_are_refused(app, client, staff, submit):
    reference = submit().json["reference"]
    staff.create("boss", role="admin")
    staff.login("boss")
    case = _case_id(app, reference, "food-licence")
    assert "必须写明原因" in _act(client, case, "return").text
    assert "不能办结" in _act(client, case, "conclude").text
    with app.app_context():
        assert db.session.get(Case, case).status == "submitted"
        assert db.session.scalars(select(AuditEntry)).first() is None


def test_case_page_masks_id_and_phone_and_export_is_masked(app, client, staff, submit):
    fields = shop_fields(**{"applicant-id": "11010519491231002X", "applicant-phone": "13812345678"})
    reference = submit(fields=fields).json["reference"]
    staff.create("m1", role="department", department="market")
    staff.login("m1")
    page = client.get(f"/staff/submissions/cases/{_case_id(app, reference, 'business-licence')}")
    assert "1101**********002X" in page.text and "11010519491231002X" not in page.text
    assert "138****5678" in page.text
    export = client.get("/staff/submissions/export.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    text = export.get_data(as_text=True)
    assert reference in text and "李*" in text and "138****5678" in text
    assert "13812345678" not in text and "李四" not in text
    assert len(re.findall(reference, text)) == 2  # market's two cases, not health's


def test_department_staff_download_files_of_their_cases(app, client, staff, submit):
    submit()
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    from forms_backend.submissions.models import SubmissionFile

    with app.app_context():
        file_id = db.session.scalar(select(SubmissionFile.id))
    answer = client.get(f"/staff/submissions/files/{file_id}")
    from tests.backend.submissions import pdf_bytes

    assert answer.status_code == 200 and answer.data == pdf_bytes()
    assert "attachment" in answer.headers["Content-Disposition"]


def test_files_go_only_to_the_departments_whose_items_need_them(app, client, staff, submit):
    """卫生管理制度 is a material of the health permit: the market department, which handles
    the other two cases of the same submission, neither sees nor downloads it."""
    submit()
    staff.create("m1", role="department", department="market")
    staff.login("m1")
    from forms_backend.submissions.models import SubmissionFile

    with app.app_context():
        file_id = db.session.scalar(select(SubmissionFile.id))
        case_id = db.session.scalar(select(Case.id).where(Case.department == "market"))
    assert client.get(f"/staff/submissions/files/{file_id}").status_code == 404
    page = client.get(f"/staff/submissions/cases/{case_id}")
    assert page.status_code == 200 and "卫生管理制度" not in page.text
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    assert client.get(f"/staff/submissions/files/{file_id}").status_code == 200
    with app.app_context():
        audited = db.session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "file.download")
        )
        assert list(audited) == ["h1"]


def test_applicant_corrects_a_returned_case_online(app, client, staff, submit):
    from tests.backend.submissions import HEALTH_RULES, pdf_bytes

    fields = shop_fields(**{"applicant-phone": "13900003333"})
    reference = submit(fields=fields).json["reference"]
    applicant = app.test_client()
    page = applicant.get(f"/apply/lookup?reference={reference}")
    applicant.post(
        "/apply/lookup",
        data={"csrf_token": csrf_token(page.text), "reference": reference, "phone_last4": "3333"},
    )
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    health = _case_id(app, reference, "health-permit")
    _act(client, health, "return", "卫生管理制度缺少消毒记录表，请补充后重新提交。")
    status = applicant.get(f"/apply/status/{reference}")
    assert "网上补正" in status.text and "卫生管理制度缺少消毒记录表" in status.text
    import io

    empty = applicant.post(
        f"/apply/status/{reference}/correction",
        data={"csrf_token": csrf_token(status.text), "note": ""},
        content_type="multipart/form-data",
    )
    assert empty.status_code == 422 and "至少一项" in empty.text
    from tests.backend.submissions import ELF

    bad = applicant.post(
        f"/apply/status/{reference}/correction",
        data={
            "csrf_token": csrf_token(status.text),
            "note": "已补充",
            f"u-{HEALTH_RULES}": (io.BytesIO(ELF), "制度.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "可执行程序" in bad.text
    done = applicant.post(
        f"/apply/status/{reference}/correction",
        data={
            "csrf_token": csrf_token(status.text),
            "note": "已补充消毒记录表。",
            f"u-{HEALTH_RULES}": (io.BytesIO(pdf_bytes()), "制度（补正）.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 303
    assert (
        client.get(f"/api/submissions/{reference}?phone_last4=3333").json["status"] == "submitted"
    )
    page = client.get(f"/staff/submissions/cases/{health}")
    assert "申请人补正" in page.text and "已补充消毒记录表。" in page.text
    assert "补正：卫生管理制度" in page.text
    again = applicant.post(
        f"/apply/status/{reference}/correction",
        data={"csrf_token": csrf_token(status.text), "note": "再补一次"},
        content_type="multipart/form-data",
    )
    assert again.status_code == 422 and "不需要补正" in again.text


def test_correction_through_the_api(app, client, staff, submit):
    reference = submit(fields=shop_fields(**{"applicant-phone": "13900004444"})).json["reference"]
    url = f"/api/submissions/{reference}/correction"
    assert client.post(url, json={"phone_last4": "4444", "note": "补充"}).status_code == 409
    staff.create("boss", role="admin")
    staff.login("boss")
    _act(client, _case_id(app, reference, "food-licence"), "return", "请补充食品安全管理制度。")
    assert client.post(url, json={"phone_last4": "0000", "note": "补充"}).status_code == 404
    assert client.post(url, json={"phone_last4": "4444"}).status_code == 422
    assert client.post(url, json={"phone_last4": "4444", "x": 1}).status_code == 422
    done = client.post(url, json={"phone_last4": "4444", "note": "已补充管理制度。"})
    assert done.status_code == 200, done.json
    assert [c["status"] for c in done.json["cases"]] == ["submitted"] * 3


def test_cases_past_their_promised_date_are_highlighted(app, client, clock, staff, submit):
    reference = submit().json["reference"]
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    _act(client, _case_id(app, reference, "health-permit"), "accept")  # due Wed 2 Dec
    assert 'class="overdue"' not in client.get("/staff/submissions/").text
    clock.set("2026-12-03T09:00:00+08:00")
    staff.login("h1")  # a new working day, a new session
    late = client.get("/staff/submissions/")
    assert 'class="overdue"' in late.text and "已超期" in late.text


def _returned_health_case(app, client, staff, submit):
    """A submission whose health-permit case was returned; the applicant's browser and status."""
    fields = shop_fields(**{"applicant-phone": "13900004444"})
    reference = submit(fields=fields).json["reference"]
    applicant = app.test_client()
    page = applicant.get(f"/apply/lookup?reference={reference}")
    applicant.post(
        "/apply/lookup",
        data={"csrf_token": csrf_token(page.text), "reference": reference, "phone_last4": "4444"},
    )
    staff.create("h1", role="department", department="health")
    staff.login("h1")
    _act(client, _case_id(app, reference, "health-permit"), "return", "请补充消毒记录表。")
    return reference, applicant, applicant.get(f"/apply/status/{reference}")


def test_correction_form_offers_only_the_returned_cases_materials(app, client, staff, submit):
    _reference, _applicant, status = _returned_health_case(app, client, staff, submit)
    offered = set(re.findall(r'name="u-([^"]+)"', status.text))
    assert "material-82a3c826" in offered  # 卫生管理制度: the health permit's
    assert "material-d0de9666" not in offered  # 个体工商户登记申请书: the market's, not returned
    assert "venue-photo" in offered  # the bundle's own file field is every item's


def test_correction_keeps_the_note_and_accepted_files_after_an_over_limit_file(
    app, client, staff, submit
):
    import io

    from tests.backend.submissions import HEALTH_RULES, SITE_PLAN, padded_pdf, pdf_bytes

    reference, applicant, status = _returned_health_case(app, client, staff, submit)
    bad = applicant.post(
        f"/apply/status/{reference}/correction",
        data={
            "csrf_token": csrf_token(status.text),
            "note": "已补充消毒记录表。",
            f"u-{HEALTH_RULES}": (io.BytesIO(pdf_bytes()), "制度.pdf"),
            f"u-{SITE_PLAN}": (io.BytesIO(padded_pdf(6 * 1024 * 1024)), "平面图.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "文件“平面图.pdf”有 6 MB，超过了每个文件 5 MB 的上限" in bad.text
    assert "已补充消毒记录表。" in bad.text
    assert "已接收：<strong>制度.pdf</strong>" in bad.text
    token = re.search(rf'name="k-{HEALTH_RULES}" value="([0-9a-f]{{32}})"', bad.text).group(1)
    done = applicant.post(
        f"/apply/status/{reference}/correction",
        data={
            "csrf_token": csrf_token(status.text),
            "note": "已补充消毒记录表。",
            f"k-{HEALTH_RULES}": token,
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 303
    with app.app_context():
        names = [f.filename for f in db.session.scalars(select(SubmissionFile))]
    assert "制度.pdf" in names and "平面图.pdf" not in names
