"""一表申报: the form built from the catalog, field checks, fan-out, idempotency, status lookup."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forms_backend.extensions import db
from forms_backend.submissions.models import Case, Submission
from tests.backend.fixtures import id_number, scripts_needed
from tests.backend.submissions import ANSWERS, BUNDLE, HEALTH_RULES, pdf_bytes, shop_fields


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_submission_fans_out_one_case_per_applicable_item(submit):
    answer = submit()
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert [(c["item"], c["department"]) for c in body["cases"]] == [
        ("business-licence", "market"),
        ("food-licence", "market"),
        ("health-permit", "health"),
    ]
    assert body["status_label"] == "已提交，等待受理"
    assert answer.headers["Location"] == f"/api/submissions/{body['reference']}"


def test_answers_narrow_the_cases_and_the_fields(client, submit):
    answers = {**ANSWERS, "public-venue": "no"}
    form = client.get("/api/forms/open-shop", query_string=answers).json["form"]
    keys = [f["key"] for f in form["fields"]]
    assert "venue-area" not in keys and "opening-date" not in keys
    assert HEALTH_RULES not in [u["key"] for u in form["uploads"]]
    fields = shop_fields(**{"venue-area": None, "opening-date": None})
    answer = submit(answers=answers, fields=fields, files={})
    assert answer.status_code == 201, answer.json
    assert [c["item"] for c in answer.json["cases"]] == ["business-licence", "food-licence"]


def test_a_field_of_a_sub_item_that_does_not_apply_is_rejected(submit):
    answer = submit(answers={**ANSWERS, "public-venue": "no"}, files={})
    assert answer.status_code == 422
    assert "不需要填写或不存在" in answer.json["errors"]["fields.venue-area"]


def test_bundle_form_asks_each_field_once(client):
    page = client.get("/apply/open-shop", query_string={f"s-{k}": v for k, v in ANSWERS.items()})
    assert page.status_code == 200
    for key in ("applicant-name", "applicant-id", "applicant-phone"):
        assert page.text.count(f'name="f-{key}"') == 1, key
    assert 'name="u-material-82a3c826"' in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_first_step_asks_the_situations_without_javascript(client):
    page = client.get("/apply/open-shop")
    assert page.status_code == 200
    assert 'type="radio" name="s-public-venue" value="yes"' in page.text
    assert 'name="f-' not in page.text
    assert scripts_needed(page.text) == []


def test_unanswered_or_unknown_situation_answers_are_422(client, submit):
    page = client.get("/apply/open-shop?s-public-venue=maybe")
    assert page.status_code == 422
    assert "不是可选项" in page.text
    answer = submit(answers={"public-venue": "yes"})
    assert answer.status_code == 422
    assert answer.json["errors"]["answers.agent"] == "请回答：是否委托他人代办？"
    answer = submit(answers={**ANSWERS, "colour": "red"})
    assert "没有情形“colour”" in answer.json["errors"]["answers.colour"]


def test_an_item_without_online_application_is_404(client):
    assert client.get("/apply/no-such-item").status_code == 404
    answer = client.get("/api/forms/no-such-item")
    assert answer.status_code == 404 and answer.json["message"]


BAD_FIELDS = [
    ("applicant-name", "", "请填写“经营者姓名”。"),
    ("applicant-name", "张" * 31, "“经营者姓名”最多 30 个字"),
    ("applicant-id", "15020419850615001", "身份证号应为 18 位"),
    ("applicant-id", id_number()[:17] + ("0" if id_number()[17] != "0" else "1"), "校验位不对"),
    ("applicant-id", "150204198502300011", "出生日期不是有效日期"),
    ("applicant-phone", "1381234567", "手机号应为 11 位数字"),
    ("applicant-phone", "", "请填写“联系电话”。"),
    ("opening-date", "2026/12/01", "应是日期，写作 年-月-日"),
    ("opening-date", "2026-02-30", "应是日期，写作 年-月-日"),
    ("opening-date", "0999-01-01", "年份不合理"),
    ("venue-area", "三十平", "应填写数字"),
    ("venue-area", "1e5", "应填写数字"),
    ("venue-area", "9" * 14, "数值太大"),
    ("business-scope", "洗车", "只能选 餐饮服务、食品销售、零售、其他 中的一项"),
    ("business-scope", "", "请选择“经营范围”。"),
    ("venue-description", "很" * 301, "最多 300 个字"),
    ("shop-name", "店\x01名", "控制字符"),
]


@pytest.mark.parametrize(("key", "value", "message"), BAD_FIELDS)
def test_bad_field_value_is_422_with_a_chinese_message(submit, key, value, message):
    answer = submit(fields=shop_fields(**{key: value}))
    assert answer.status_code == 422, answer.json
    assert message in answer.json["errors"][f"fields.{key}"]
    assert list(answer.json["errors"]) == [f"fields.{key}"]


def test_field_values_are_normalised_and_stored_encrypted(app, submit):
    number = "11010519491231002X"
    answer = submit(fields=shop_fields(**{"applicant-id": "110105 19491231 002x"}))
    assert answer.status_code == 201
    with app.app_context():
        raw = db.session.execute(select(Submission.__table__)).mappings().one()
        assert number not in str(dict(raw)) and "李四" not in str(dict(raw))
        from forms_backend.submissions.actions import values_of

        stored = values_of(db.session.scalar(select(Submission)))
        assert stored["applicant-id"] == number


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"target": BUNDLE, "colour": "red"}, 422, "不认识的字段“colour”"),
        ({"target": "no-such-thing"}, 422, "没有找到可以网上申报"),
        ({"target": BUNDLE, "fields": ["a"]}, 422, "应为 JSON 对象"),
        ({"target": BUNDLE, "fields": {"shop-name": ["x"]}}, 422, "应为文字或数字"),
        ({"target": 5}, 422, "请用 target 指定"),
    ],
)
def test_malformed_json_bodies_are_4xx(client, body, status, fragment):
    answer = client.post("/api/submissions", json=body)
    assert answer.status_code == status
    assert fragment in str(answer.json)


def test_non_json_bodies_are_rejected(client):
    assert (
        client.post("/api/submissions", data="{", content_type="application/json").status_code
        == 400
    )
    assert client.post("/api/submissions", data="x", content_type="text/plain").status_code == 415
    answer = client.post(
        "/api/submissions", data={"target": BUNDLE}, content_type="multipart/form-data"
    )
    assert answer.status_code == 400 and "payload" in answer.json["message"]


def test_json_submission_without_required_upload_is_422(client):
    answer = client.post(
        "/api/submissions", json={"target": BUNDLE, "answers": ANSWERS, "fields": shop_fields()}
    )
    assert answer.status_code == 422
    assert (
        answer.json["errors"][f"files.{HEALTH_RULES}"]
        == "请上传“卫生管理制度”（PDF、JPG 或 PNG 格式）。"
    )


def test_same_idempotency_key_creates_one_submission(app, submit):
    fields = shop_fields()
    first = submit(fields=fields, key="retry-key-0001")
    again = submit(fields=fields, key="retry-key-0001")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json["reference"] == first.json["reference"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(app, Submission) == 1
    assert _count(app, Case) == 3


def test_idempotency_key_reused_for_different_content_is_409(submit):
    assert submit(key="retry-key-0002").status_code == 201
    other = submit(key="retry-key-0002", fields=shop_fields(**{"shop-name": "另一家店"}))
    assert other.status_code == 409
    assert "另一份内容不同的申报" in other.json["message"]


def test_bad_idempotency_key_is_422(submit):
    answer = submit(key="短")
    assert answer.status_code == 422 and "idempotency_key" in answer.json["errors"]


def test_status_lookup_needs_the_phone_digits(client, submit):
    fields = shop_fields(**{"applicant-phone": "13900001234"})
    reference = submit(fields=fields).json["reference"]
    ok = client.get(f"/api/submissions/{reference}?phone_last4=1234")
    assert ok.status_code == 200 and ok.json["reference"] == reference
    assert ok.json["phone"] == "139****1234"
    assert client.get(f"/api/submissions/{reference}?phone_last4=9999").status_code == 404
    bad = client.get(f"/api/submissions/{reference}?phone_last4=12")
    assert bad.status_code == 422 and "phone_last4" in bad.json["errors"]
    assert client.get("/api/submissions/IO01?phone_last4=1234").status_code == 422


def test_item_without_phone_field_gets_a_contact_phone(client):
    form = client.get("/api/forms/food-licence").json["form"]
    assert form["phone_field"] == "contact-phone"
    assert form["fields"][-1]["label"] == "联系手机号"


def test_html_double_submit_creates_one_submission(app, client):
    from tests.backend.fixtures import csrf_token

    query = {f"s-{k}": v for k, v in ANSWERS.items()}
    page = client.get("/apply/open-shop", query_string=query)
    import re

    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page.text).group(1)
    data = {
        "csrf_token": csrf_token(page.text),
        "idempotency_key": key,
        **query,
        **{f"f-{k}": v for k, v in shop_fields().items()},
    }
    answers = []
    for _ in range(2):
        import io

        body = {**data, f"u-{HEALTH_RULES}": (io.BytesIO(pdf_bytes()), "rules.pdf")}
        answers.append(
            client.post("/apply/open-shop", data=body, content_type="multipart/form-data")
        )
    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert _count(app, Submission) == 1
    status = client.get(answers[0].headers["Location"])
    assert status.status_code == 200 and "申报已提交" in status.text


def test_html_form_rejects_undeclared_fields_and_keeps_values(client):
    from tests.backend.fixtures import csrf_token

    query = {f"s-{k}": v for k, v in ANSWERS.items()}
    page = client.get("/apply/open-shop", query_string=query)
    data = {
        "csrf_token": csrf_token(page.text),
        **query,
        **{f"f-{k}": v for k, v in shop_fields(**{"applicant-phone": "123"}).items()},
        "f-salary": "100",
    }
    answer = client.post("/apply/open-shop", data=data, content_type="multipart/form-data")
    assert answer.status_code == 422
    assert "没有字段“salary”" in answer.text
    assert "手机号应为 11 位数字" in answer.text
    assert 'value="小李便利店"' in answer.text


def test_status_page_needs_lookup_in_a_new_browser(app, submit):
    reference = submit(fields=shop_fields(**{"applicant-phone": "13900004321"})).json["reference"]
    other = app.test_client()
    answer = other.get(f"/apply/status/{reference}")
    assert answer.status_code == 302 and "/apply/lookup" in answer.headers["Location"]


def test_submissions_are_rate_limited_separately_from_evaluations(backend_config):
    from forms_backend import create_app

    app = create_app(
        {
            **backend_config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_ALLOW_MEMORY": True,  # one process: per-process counting is exact here
            "RATE_LIMIT_SUBMISSION": "2 per hour",
            "RATE_LIMIT_EVALUATION": "5 per hour",
        }
    )
    client = app.test_client()
    bodies = [{"target": BUNDLE, "answers": ANSWERS, "fields": {}} for _ in range(3)]
    statuses = [client.post("/api/submissions", json=b).status_code for b in bodies]
    assert statuses == [422, 422, 429]
    refused = client.post("/api/submissions", json=bodies[0])
    assert "操作太频繁了" in refused.json["message"]
    evaluation = {"channel": "onsite", "window": "enterprise", "ticket": "A001", "level": 5}
    assert client.post("/api/evaluations", json=evaluation).status_code == 201
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_single_item_can_be_applied_for_with_a_file_field(client, submit):
    from tests.backend.submissions import image_bytes

    form = client.get("/api/forms/health-permit?staff-count=none").json["form"]
    assert [i["id"] for i in form["items"]] == ["health-permit"]
    uploads = {u["key"]: u for u in form["uploads"]}
    assert uploads["venue-photo"]["label"] == "门头照片" and not uploads["venue-photo"]["required"]
    assert "venue-photo" not in [f["key"] for f in form["fields"]]
    fields = {
        "applicant-name": "王五",
        "applicant-phone": "13712345678",
        "venue-area": "120",
        "opening-date": "2026-12-20",
    }
    answer = submit(
        target="health-permit",
        answers={"staff-count": "none"},
        fields=fields,
        files={
            HEALTH_RULES: (pdf_bytes(), "制度.pdf"),
            "venue-photo": (image_bytes("JPEG"), "门头.jpg"),
        },
    )
    assert answer.status_code == 201, answer.json
    assert [(c["item"], c["department"]) for c in answer.json["cases"]] == [
        ("health-permit", "health")
    ]
    assert sorted(f["key"] for f in answer.json["files"]) == [HEALTH_RULES, "venue-photo"]


def test_situations_are_asked_only_when_they_matter(client, submit):
    first = client.get("/apply/open-shop")
    assert 'name="s-public-venue"' in first.text and 'name="s-agent"' not in first.text
    second = client.get("/apply/open-shop?s-public-venue=no")
    assert second.status_code == 200 and 'class="summary"' not in second.text
    assert 'name="s-agent"' in second.text and 'name="s-staff-count"' not in second.text
    form = client.get("/apply/open-shop?s-public-venue=no&s-agent=no")
    assert 'name="f-applicant-name"' in form.text
    api = client.get("/api/forms/open-shop").json
    assert ([s["id"] for s in api["situations"]], api["missing"]) == (
        ["public-venue"],
        ["public-venue"],
    )
    api = client.get("/api/forms/open-shop?public-venue=yes").json
    assert api["missing"] == ["agent", "staff-count"] and api["form"] is None
    fields = shop_fields(**{"venue-area": None, "opening-date": None})
    answer = submit(answers={"public-venue": "no", "agent": "no"}, fields=fields, files={})
    assert answer.status_code == 201, answer.json


def test_each_round_of_questions_has_its_own_step_number(client):
    first = client.get("/apply/open-shop")
    assert "第 1 步：请先回答" in first.text and "共 2 步" not in first.text
    second = client.get("/apply/open-shop?s-public-venue=no")
    assert "第 2 步：根据您刚才的回答" in second.text
    form = client.get("/apply/open-shop?s-public-venue=no&s-agent=no&s-staff-count=none")
    assert "第 3 步（最后一步）" in form.text
