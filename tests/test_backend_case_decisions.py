"""Staff decisions beyond 办结: 不予受理 and 不予许可 with a reason the applicant reads (and an
SMS through the outbox), 改派 by administrators, and the audit log in Chinese names."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from forms_backend.audit import AuditEntry
from forms_backend.errors import ActionError
from forms_backend.extensions import db
from forms_backend.notifications.delivery import drain
from forms_backend.notifications.models import OutboxMessage
from forms_backend.notifications.texts import compose
from forms_backend.submissions.models import Case
from tests.backend.fixtures import csrf_token
from tests.backend.submissions import shop_fields, status_page
from tests.test_backend_submission_staff import _act, _case_id

REASON = "经营场所位于居民楼内，不符合《食品经营许可和备案管理办法》第十三条的要求，本局不予受理。"


def _status(client, reference: str, last4: str = "2468") -> dict:
    answer = client.get(f"/api/submissions/{reference}?phone_last4={last4}")
    assert answer.status_code == 200, answer.json
    return answer.json


def _shop(submit) -> str:
    return submit(fields=shop_fields(**{"applicant-phone": "13900002468"})).json["reference"]


def test_not_accepted_needs_a_reason_the_applicant_reads_and_sends_a_message(
    app, client, staff, submit
):
    reference = _shop(submit)
    staff.create("boss", role="admin")
    staff.login("boss")
    food = _case_id(app, reference, "food-licence")
    refused = _act(client, food, "reject")
    assert "不予受理时必须写明理由和依据" in refused.text
    with app.app_context():
        assert db.session.get(Case, food).status == "submitted"
    assert "已不予受理" in _act(client, food, "reject", REASON).text
    case = [c for c in _status(client, reference)["cases"] if c["item"] == "food-licence"][0]
    assert (case["status"], case["status_label"], case["refusal_reason"]) == (
        "not_accepted",
        "不予受理",
        REASON,
    )
    page = status_page(client, reference, "2468")
    assert f"不予受理的理由：</strong>{REASON}" in page
    assert "食品经营许可申请书" not in page  # no paper to bring for a closed case
    with app.app_context():
        drain()
        (message,) = [
            m for m in db.session.scalars(select(OutboxMessage)) if m.event == "case_not_accepted"
        ]
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case.reject"))
        assert [e.detail for e in entry] == [REASON]
    assert message.subject == reference
    assert "不予受理" in message.text and reference in message.text
    # A closed case takes no further action.
    assert "不能受理" in _act(client, food, "accept").text


def test_refused_after_review_and_the_submission_is_closed_when_every_case_is(
    app, client, staff, submit
):
    reference = _shop(submit)
    staff.create("boss", role="admin")
    staff.login("boss")
    cases = {
        i: _case_id(app, reference, i)
        for i in ("business-licence", "food-licence", "health-permit")
    }
    assert (
        "不能不予许可" in _act(client, cases["food-licence"], "refuse", REASON).text
    )  # not accepted yet
    for item, case in cases.items():
        _act(client, case, "accept")
        if item != "food-licence":
            _act(client, case, "conclude")
    assert _status(client, reference)["status"] == "in_progress"
    assert "已不予许可" in _act(client, cases["food-licence"], "refuse", "现场核查不合格。").text
    status = _status(client, reference)
    assert status["status"] == "closed" and status["concluded_at"]
    assert "有办件不予受理或不予许可" in status["status_label"]
    page = status_page(client, reference, "2468")
    assert "不予许可的理由：</strong>现场核查不合格。" in page
    with app.app_context():
        events = [m.event for m in db.session.scalars(select(OutboxMessage))]
    assert events.count("case_refused") == 1 and events.count("case_concluded") == 2


def _reroute(client, case_id: int, department: str, reason: str = ""):
    page = client.get(f"/staff/submissions/cases/{case_id}")
    return client.post(
        f"/staff/submissions/cases/{case_id}/reroute",
        data={"csrf_token": csrf_token(page.text), "department": department, "reason": reason},
        follow_redirects=True,
    )


def test_admins_reroute_a_case_the_new_department_sees_it_and_so_does_the_applicant(
    app, client, staff, submit
):
    reference = _shop(submit)
    health_case = _case_id(app, reference, "health-permit")
    staff.create("market1", role="department", department="market")
    staff.create("health1", role="department", department="health")
    staff.login("health1")
    page = client.get(f"/staff/submissions/cases/{health_case}")
    assert "改派到" not in page.text  # department staff do not reroute
    assert (
        client.post(
            f"/staff/submissions/cases/{health_case}/reroute",
            data={"csrf_token": csrf_token(page.text), "department": "market"},
        ).status_code
        == 403
    )
    staff.logout()
    staff.create("boss", role="admin")
    staff.login("boss")
    assert "请从列表中选择要改派到的部门" in _reroute(client, health_case, "nowhere").text
    assert "已经由包头市青山区卫生健康委员会办理" in _reroute(client, health_case, "health").text
    done = _reroute(client, health_case, "market", "本店卫生许可并入食品经营许可审查。")
    assert "已改派到包头市青山区市场监督管理局" in done.text
    case = [c for c in _status(client, reference)["cases"] if c["item"] == "health-permit"][0]
    assert case["department"] == "market"
    assert "包头市青山区市场监督管理局" == case["department_name"]
    with app.app_context():  # the applicant is told which department has the case now
        (told,) = [
            m for m in db.session.scalars(select(OutboxMessage)) if m.event == "case_rerouted"
        ]
        *_, text = compose(told)
    assert text == f"您申报的公共场所卫生许可已改由区市场监管局办理，申报编号{reference}。"
    staff.logout()
    staff.login("market1")
    assert client.get(f"/staff/submissions/cases/{health_case}").status_code == 200
    assert "公共场所卫生许可" in client.get("/staff/submissions/").text
    staff.logout()
    staff.login("health1")
    assert client.get(f"/staff/submissions/cases/{health_case}").status_code == 404
    assert "公共场所卫生许可" not in client.get("/staff/submissions/").text
    staff.logout()
    staff.login("boss")
    log = client.get("/staff/audit/").text
    assert "改派办件" in log
    assert (
        "从包头市青山区卫生健康委员会改派到包头市青山区市场监督管理局：本店卫生许可并入食品经营许可审查。"
        in log
    )
    assert f"办件 {reference} · 公共场所卫生许可" in log
    assert "case.reroute" not in log and "health-permit" not in log


def test_a_closed_case_cannot_be_rerouted(app, client, staff, submit):
    reference = _shop(submit)
    case = _case_id(app, reference, "food-licence")
    staff.create("boss", role="admin")
    staff.login("boss")
    _act(client, case, "reject", REASON)
    assert "已经不能改派" in _reroute(client, case, "health").text
    with app.app_context():
        assert db.session.get(Case, case).department == "market"


def test_audit_log_names_actions_subjects_and_departments_in_chinese(app, client, staff, submit):
    reference = _shop(submit)
    staff.create("boss", role="admin")
    staff.login("boss")
    case = _case_id(app, reference, "business-licence")
    _act(client, case, "accept")
    with app.app_context():
        from forms_backend import audit

        audit.record("boss", "follow_up.assign", "evaluation", "EV123456", "civil-affairs")
        audit.record("cli", "staff.deactivate", "staff_user", "window1")
        db.session.commit()
    log = client.get("/staff/audit/").text
    for shown in ("受理", f"办件 {reference} · 个体工商户设立登记", "差评改派", "停用工作人员账号"):
        assert shown in log, shown
    assert "系统命令行" in log
    for code in (
        "case.accept",
        "business-licence",
        "follow_up.assign",
        "staff.deactivate",
        ">cli<",
    ):
        assert code not in log, code
    history = client.get(f"/staff/submissions/cases/{case}").text
    assert '<td>个体工商户设立登记</td><td>boss</td><td class="nowrap">受理</td>' in history


def _audited_actions() -> tuple[set[str], set[str]]:
    """Every literal action of an ``audit.record`` call in the backend, and the prefixes of the
    f-string ones (``booking.{action}``)."""
    literal: set[str] = set()
    prefixes: set[str] = set()
    for path in Path("forms_backend").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                continue
            action = node.args[1]
            if isinstance(action, ast.Constant):
                literal.add(action.value)
            else:
                assert isinstance(action, ast.JoinedStr), f"{path}:{node.lineno}"
                prefixes.add(action.values[0].value)
    return literal, prefixes


def test_every_audited_action_in_the_code_has_a_chinese_name() -> None:
    from forms_backend.audit_log import ACTION_NAMES
    from forms_backend.bookings.actions import STAFF_ACTIONS
    from forms_backend.evaluations.actions import STEPS
    from forms_backend.hall_queue.models import EventKind
    from forms_backend.submissions.actions import ACTIONS

    expansions = {
        "case.": ACTIONS,
        "booking.": STAFF_ACTIONS,
        "ticket.": [k.value for k in EventKind],
        "follow_up.": STEPS,
    }
    literal, prefixes = _audited_actions()
    assert prefixes <= expansions.keys(), f"an f-string action without its list: {prefixes}"
    wanted = literal | {prefix + name for prefix in prefixes for name in expansions[prefix]}
    assert len(wanted) > 25
    missing = wanted - ACTION_NAMES.keys()
    assert not missing, f"add their Chinese names to audit_log.ACTION_NAMES: {sorted(missing)}"


def test_refusal_and_reroute_on_the_migrated_sqlite_and_postgresql_schema(database_url, tmp_path):
    """The conditional updates of 不予受理 / 不予许可 / 改派 on the committed migrations."""
    from flask_migrate import upgrade

    from forms_backend import create_app
    from forms_backend.catalog_access import catalog
    from forms_backend.submissions.actions import change_case, reroute_case
    from forms_backend.submissions.models import Submission
    from tests.backend.fixtures import Clock, server_settings
    from tests.backend.submissions import ANSWERS, HEALTH_RULES, pdf_bytes

    config, _environment = server_settings(database_url, tmp_path, "decisions-test")
    app = create_app({**config, "TESTING": True, "NOTIFY_CHANNEL": "none", "NOW": Clock()})
    with app.app_context():
        upgrade()
    payload = {"target": "open-shop", "answers": ANSWERS, "fields": shop_fields()}
    data = {
        "payload": json.dumps(payload, ensure_ascii=False),
        HEALTH_RULES: (io.BytesIO(pdf_bytes()), "rules.pdf"),
    }
    answer = app.test_client().post(
        "/api/submissions", data=data, content_type="multipart/form-data"
    )
    assert answer.status_code == 201, answer.json
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        cases = {c.item: c for c in submission.cases}
        change_case(cases["food-licence"], "reject", "boss", REASON, 5)
        change_case(cases["health-permit"], "accept", "boss", None, 5)
        change_case(
            db.session.get(Case, cases["health-permit"].id), "refuse", "boss", "不合格。", 5
        )
        reroute_case(cases["business-licence"], "health", "boss", None, catalog().departments)
        with pytest.raises(ActionError, match="已经不能改派"):
            reroute_case(
                db.session.get(Case, cases["food-licence"].id),
                "health",
                "boss",
                None,
                catalog().departments,
            )
        stored = {
            c.item: (c.status, c.department, c.refusal_reason)
            for c in db.session.scalars(select(Case))
        }
        db.session.remove()
        db.engine.dispose()
    assert stored == {
        "business-licence": ("submitted", "health", None),
        "food-licence": ("not_accepted", "market", REASON),
        "health-permit": ("refused", "health", "不合格。"),
    }


def test_a_refused_case_can_be_rated_like_a_concluded_one(app, client, staff, submit, evaluate):
    reference = _shop(submit)
    staff.create("boss", role="admin")
    staff.login("boss")
    food = _case_id(app, reference, "food-licence")
    health = _case_id(app, reference, "health-permit")
    _act(client, food, "accept")
    _act(client, food, "refuse", "现场核查不合格。")
    page = status_page(client, reference, "2468")
    assert page.count("评价这个办件") == 1  # the refused case; the open ones are not yet rated
    assert "item=food-licence" in page
    digits = {"reference": reference, "phone_last4": "2468"}
    rated = evaluate(
        channel="case", item="food-licence", **digits, level=1, labels=["办事流程繁琐"]
    )
    assert rated.status_code == 201, rated.json
    open_case = evaluate(channel="case", item="health-permit", **digits)
    assert open_case.status_code == 404 and "办理完毕" in open_case.json["message"]
    _act(client, health, "reject", "不属于本部门受理范围，请向市级部门申请。")
    assert evaluate(channel="case", item="health-permit", **digits).status_code == 201
