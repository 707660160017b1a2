"""Hostile text on both databases: a NUL byte, an escape or a bidi override in any text field is
a 422 naming the field (never a 500 from PostgreSQL), on the page and in the API, with what the
citizen typed kept; an uploaded file's name loses such characters before it is stored."""

from __future__ import annotations

import pytest

from forms_backend.extensions import db
from tests.backend.fixtures import FIRST_SLOT, csrf_token, person
from tests.backend.submissions import HEALTH_RULES, pdf_bytes, shop_fields

NEW = "/bookings/new?item=business-licence&kind=appointment"
HOSTILE = ["\x00", "\u202e", "\u2066", "\x1b"]


@pytest.fixture
def backend_config(backend_config, database_url):
    """Every test here runs on the embedded SQLite file and on the real PostgreSQL server."""
    return {**backend_config, "SQLALCHEMY_DATABASE_URI": database_url}


@pytest.fixture(autouse=True)
def tables(app):
    with app.app_context():
        db.create_all()


@pytest.mark.parametrize("bad", HOSTILE)
def test_booking_notes_with_control_characters_are_refused_on_page_and_api(client, bad):
    api = client.post(
        "/api/bookings",
        json={
            "item": "business-licence",
            "slot": FIRST_SLOT,
            **person(),
            "notes": f"需要{bad}轮椅",
        },
    )
    assert api.status_code == 422, api.json
    assert "控制字符" in api.json["errors"]["notes"]
    page = client.get(NEW)
    form = {
        "csrf_token": csrf_token(page.text),
        "item": "business-licence",
        "kind": "appointment",
        "slot": FIRST_SLOT,
        **person(),
        "notes": f"需要{bad}轮椅",
    }
    answer = client.post(NEW, data=form)
    assert answer.status_code == 422
    assert "需要说明的情况" in answer.text and "控制字符" in answer.text
    assert "轮椅" in answer.text  # what the citizen typed is kept


@pytest.mark.parametrize("bad", HOSTILE)
def test_feedback_with_control_characters_is_refused_on_page_and_api(client, leave_feedback, bad):
    api = leave_feedback(content=f"大厅的空调{bad}太冷了，请调高一点。")
    assert api.status_code == 422, api.json
    assert "控制字符" in api.json["errors"]["content"]
    page = client.get("/feedback/")
    answer = client.post(
        "/feedback/",
        data={
            "csrf_token": csrf_token(page.text),
            "kind": "suggestion",
            "content": f"大厅的空调{bad}太冷了，请调高一点。",
        },
    )
    assert answer.status_code == 422
    assert "内容" in answer.text and "控制字符" in answer.text
    assert "太冷了，请调高一点" in answer.text


@pytest.mark.parametrize("bad", HOSTILE)
def test_evaluation_reason_with_control_characters_is_refused_on_page_and_api(
    client, evaluate, bad
):
    api = evaluate(level=2, reason=f"等了{bad}一个小时", labels=["办理时间过长"])
    assert api.status_code == 422, api.json
    assert "控制字符" in api.json["errors"]["reason"]
    page = client.get("/evaluations/new?channel=onsite")
    answer = client.post(
        "/evaluations/new",
        data={
            "csrf_token": csrf_token(page.text),
            "channel": "onsite",
            "window": "enterprise",
            "ticket": "A001",
            "level": "2",
            "reason": f"等了{bad}一个小时",
        },
    )
    assert answer.status_code == 422
    assert "具体意见" in answer.text and "控制字符" in answer.text
    assert "一个小时" in answer.text


@pytest.mark.parametrize("bad", HOSTILE)
def test_one_form_field_with_control_characters_is_refused(submit, bad):
    answer = submit(fields=shop_fields(**{"shop-name": f"小李{bad}便利店"}))
    assert answer.status_code == 422, answer.json
    assert "控制字符" in answer.json["errors"]["fields.shop-name"]


def test_newlines_stay_allowed_in_notes(client):
    answer = client.post(
        "/api/bookings",
        json={
            "item": "business-licence",
            "slot": FIRST_SLOT,
            **person(),
            "notes": "第一行\n第二行",
        },
    )
    assert answer.status_code == 201, answer.json


def test_an_uploaded_file_name_is_stored_without_bidi_overrides_or_controls(submit):
    # Shown raw, U+202E would make "卫生制度\u202efdp.exe" read as "卫生制度exe.pdf".
    answer = submit(files={HEALTH_RULES: (pdf_bytes(), "卫生\x00制度\u202efdp.exe\u2066.pdf")})
    assert answer.status_code == 201, answer.json
    (stored,) = answer.json["files"]
    assert stored["filename"] == "卫生制度fdp.exe.pdf"
