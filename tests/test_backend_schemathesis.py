"""Schemathesis (v4) against the live app: every operation of the generated OpenAPI document,
valid and invalid inputs, through gunicorn over HTTP. No answer may be a server error or
differ from what the document says. Bounded: ``EXAMPLES`` cases per operation."""

from __future__ import annotations

import schemathesis
from flask_migrate import upgrade
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from forms_backend import create_app
from forms_backend.extensions import db
from tests.backend.fixtures import CATALOG, ENCRYPTION_KEY, LOOKUP_KEY
from tests.backend.servers import gunicorn

EXAMPLES = 25


def test_every_api_operation_answers_per_its_schema_and_never_500(tmp_path):
    database = f"sqlite:///{tmp_path / 'banshi.sqlite3'}"
    config = {
        "SQLALCHEMY_DATABASE_URI": database,
        "SECRET_KEY": "schemathesis",
        "ENCRYPTION_KEY": ENCRYPTION_KEY,
        "LOOKUP_KEY": LOOKUP_KEY,
        "CATALOG_PATH": str(CATALOG),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "AUTO_CREATE_TABLES": False,
        "RATELIMIT_ENABLED": False,
        "NOTIFY_CHANNEL": "none",
    }
    app = create_app(config)
    with app.app_context():
        upgrade()  # the committed migrations, as in production
        db.engine.dispose()
    env = {f"BANSHI_{key}": str(value) for key, value in config.items()}
    env["BANSHI_AUTO_CREATE_TABLES"] = env["BANSHI_RATELIMIT_ENABLED"] = "false"
    env["BANSHI_NOW"] = "2026-11-25T10:00:00+08:00"
    failures: list[str] = []
    operations = 0
    with gunicorn(env, workers=2) as base:
        schema = schemathesis.openapi.from_url(f"{base}/api/openapi.json")
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def check(case, label=operation.label) -> None:
                try:
                    case.call_and_validate(
                        base_url=base,
                        checks=[not_a_server_error, response_schema_conformance],
                        timeout=60,
                    )
                except Exception as error:  # collect every operation's first failure
                    failures.append(f"{label}: {str(error)[:800]}")
                    raise

            try:
                check()
            except Exception:  # noqa: S110  (recorded in failures above)
                pass
    assert operations >= 15, "the OpenAPI document lost its operations"
    assert not failures, "\n\n".join(dict.fromkeys(failures))
