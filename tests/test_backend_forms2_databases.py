"""Submissions, evaluations and feedback on the real PostgreSQL, and concurrent retries with one
idempotency key through gunicorn (2 workers) on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, select

from forms_backend import create_app
from forms_backend.extensions import db
from forms_backend.submissions.models import Case, Submission
from tests.backend.fixtures import CATALOG, ENCRYPTION_KEY, LOOKUP_KEY, Clock
from tests.backend.servers import gunicorn
from tests.backend.submissions import ANSWERS, HEALTH_RULES, pdf_bytes, shop_fields


@pytest.fixture
def migrated_app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "forms2-test",
            "ENCRYPTION_KEY": ENCRYPTION_KEY,
            "LOOKUP_KEY": LOOKUP_KEY,
            "CATALOG_PATH": str(CATALOG),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "AUTO_CREATE_TABLES": False,
            "RATELIMIT_ENABLED": False,
            "NOTIFY_CHANNEL": "none",
            "NOW": Clock(),
        }
    )
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_migrations_match_the_models_and_the_features_work(migrated_app):
    """Every table of this part built by the committed migrations, then used for real."""
    with migrated_app.app_context():
        with db.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    client = migrated_app.test_client()
    fields = shop_fields(**{"applicant-phone": "13911112222"})
    data = {
        "payload": json.dumps({"target": "open-shop", "answers": ANSWERS, "fields": fields}),
        HEALTH_RULES: (io.BytesIO(pdf_bytes()), "rules.pdf"),
    }
    created = client.post("/api/submissions", data=data, content_type="multipart/form-data")
    assert created.status_code == 201, created.json
    reference = created.json["reference"]
    assert (
        client.get(f"/api/submissions/{reference}?phone_last4=2222").json["reference"] == reference
    )
    for ticket, level in (("A001", 5), ("A002", 4), ("A003", 1)):
        answer = client.post(
            "/api/evaluations",
            json={
                "channel": "onsite",
                "window": "enterprise",
                "ticket": ticket,
                "level": level,
                "labels": ["多次跑动"] if level < 3 else [],
                "item": "health-permit",
                "dimensions": {"process": level},
            },
        )
        assert answer.status_code == 201, answer.json
    duplicate = client.post(
        "/api/evaluations",
        json={"channel": "onsite", "window": "enterprise", "ticket": "A001", "level": 5},
    )
    assert duplicate.status_code == 409
    stats = client.get("/api/stats/evaluations").json
    assert (stats["total"], stats["positive"], stats["positive_rate"]) == (3, 2, 0.6667)
    assert stats["windows"][0]["dimensions"]["业务流程"] == round(10 / 3, 2)
    assert stats["follow_ups"]["open"] == 1
    feedback = client.post(
        "/api/feedback", json={"kind": "praise", "content": "服务很周到，谢谢。"}
    )
    assert feedback.status_code == 201


def test_concurrent_retries_with_one_key_create_one_submission(
    database_url, migrated_app, tmp_path
):
    env = {
        "BANSHI_SQLALCHEMY_DATABASE_URI": database_url,
        "BANSHI_SECRET_KEY": "forms2-test",
        "BANSHI_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "BANSHI_LOOKUP_KEY": LOOKUP_KEY,
        "BANSHI_CATALOG_PATH": str(CATALOG),
        "BANSHI_INSTANCE_PATH": str(tmp_path / "instance"),
        "BANSHI_AUTO_CREATE_TABLES": "false",
        "BANSHI_RATELIMIT_ENABLED": "false",
        "BANSHI_NOTIFY_CHANNEL": "none",
        "BANSHI_NOW": "2026-11-25T10:00:00+08:00",
    }
    payload = json.dumps({"target": "open-shop", "answers": ANSWERS, "fields": shop_fields()})
    content = pdf_bytes()

    def post(base: str) -> requests.Response:
        return requests.post(
            f"{base}/api/submissions",
            data={"payload": payload},
            files={HEALTH_RULES: ("rules.pdf", content, "application/pdf")},
            headers={"Idempotency-Key": "same-retry-key-123"},
            timeout=30,
        )

    with gunicorn(env, workers=2) as base, ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: post(base), range(8)))
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["reference"] for a in answers}) == 1
    with migrated_app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 1
        assert db.session.scalar(select(func.count(Case.id))) == 3
    stored = [p for p in (tmp_path / "instance" / "uploads").rglob("*") if p.is_file()]
    assert len(stored) == 1  # the losers' staged copies were deleted


def test_longest_values_fit_their_columns(migrated_app):
    """PostgreSQL enforces VARCHAR lengths (SQLite does not): the longest inputs must fit."""
    from forms_backend import audit

    client = migrated_app.test_client()
    labels = ["办理时间过长", "其他问题"] * 60
    answer = client.post(
        "/api/evaluations",
        json={
            "channel": "onsite",
            "window": "enterprise",
            "ticket": "A9999",
            "level": 1,
            "labels": labels,
        },
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["labels"] == ["办理时间过长", "其他问题"]
    with migrated_app.app_context():
        audit.record("x" * 80, "case.accept", "case", "ABCDEFGH/" + "i" * 80, "说" * 3000)
        db.session.commit()
    feedback = client.post(
        "/api/feedback",
        json={
            "kind": "complaint",
            "content": "长" * 1000,
            "name": "欧" * 30,
            "contact_phone": "13912345678",
        },
    )
    assert feedback.status_code == 201, feedback.json
