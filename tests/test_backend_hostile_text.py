"""Hostile text on the production database: a NUL byte or a bidi override in a text field is a
422 naming the field (never a 500 from PostgreSQL), on the page and in the API."""

from __future__ import annotations

import pytest

from forms_backend import create_app
from forms_backend.extensions import db
from tests.backend.fixtures import FIRST_SLOT, csrf_token, person

NEW = "/bookings/new?item=business-licence&kind=appointment"


@pytest.fixture
def production_client(backend_config, database_url):
    app = create_app({**backend_config, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
    yield app.test_client()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\u2066", "\x1b"])
def test_booking_notes_with_control_characters_are_refused_on_page_and_api(production_client, bad):
    client = production_client
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


def test_newlines_stay_allowed_in_notes(production_client):
    answer = production_client.post(
        "/api/bookings",
        json={
            "item": "business-licence",
            "slot": FIRST_SLOT,
            **person(),
            "notes": "第一行\n第二行",
        },
    )
    assert answer.status_code == 201, answer.json
