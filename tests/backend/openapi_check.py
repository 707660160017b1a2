"""Every JSON answer a test sees is checked against the generated OpenAPI document.

The Flask test client of every app (``Flask.test_client_class``) and every ``requests`` call to
a live server (gunicorn in the concurrency tests) go through ``check_answer``: the answer's
status must be documented for its route and method, and a JSON body must validate against the
documented schema (JSON Schema 2020-12, formats checked). So a field added to an answer but not
to its response model, or a status the document does not list, fails the test that met it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map

PROBLEM = "#/components/schemas/Problem"


class AnswerDrift(AssertionError):
    """An answer the OpenAPI document does not describe."""


def check_answer(
    document: dict,
    url_map: Map,
    method: str,
    path: str,
    status: int,
    body: bytes | None,
    mimetype: str,
) -> None:
    """Fail when this answer is not what ``document`` says ``method path`` answers."""
    if not path.startswith("/api/") or path == "/api/openapi.json":
        return
    try:
        rule, _args = url_map.bind("localhost").match(path, method, return_rule=True)
    except (NotFound, MethodNotAllowed):
        rule = None
    if rule is None:  # no such route: the error handler's Problem
        _validate(document, PROBLEM, body, mimetype, f"{method} {path} → {status}")
        return
    template = rule.rule.replace("<", "{").replace(">", "}")
    for converter in ("{path:", "{int:", "{string:"):
        template = template.replace(converter, "{")
    operation = document["paths"].get(template, {}).get(method.lower())
    if operation is None:
        raise AnswerDrift(f"{method} {template} is not in the OpenAPI document")
    answer = operation["responses"].get(str(status))
    if answer is None:
        if method == "HEAD" or status in (405, 500):
            return
        raise AnswerDrift(
            f"{method} {template} answered {status}, which the OpenAPI document does not list "
            f"(listed: {', '.join(operation['responses'])})"
        )
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return
    ref = schema.get("$ref")
    _validate(document, ref, body, mimetype, f"{method} {template} → {status}", schema)


def _validate(document, ref, body, mimetype, where, schema=None) -> None:
    if mimetype != "application/json":
        raise AnswerDrift(f"{where}: documented as JSON, answered {mimetype or 'no body'}")
    data = json.loads(body or b"null")
    validator = _validator(json.dumps(document["components"]), ref or json.dumps(schema))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        details = "; ".join(
            f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}"
            for e in errors[:5]
        )
        raise AnswerDrift(f"{where} does not match its OpenAPI schema: {details}")


@cache
def _validator(components: str, target: str) -> Draft202012Validator:
    root: dict = {"components": json.loads(components)}
    if target.startswith("#/"):
        root["$ref"] = target
    else:
        root.update(json.loads(target))
    return Draft202012Validator(root, format_checker=FormatChecker())


def _document(app: Flask) -> dict | None:
    if "openapi" not in app.view_functions:
        return None
    with app.app_context():
        from forms_backend.openapi import document

        return document(app)


class CheckedClient(FlaskClient):
    """The test client: each answer of the banshi app is checked against its OpenAPI document."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        document = _document(self.application)
        if document is not None:
            for answer in (*response.history, response):
                request = answer.request
                check_answer(
                    document,
                    self.application.url_map,
                    request.method,
                    request.path,
                    answer.status_code,
                    answer.get_data(),
                    answer.mimetype,
                )
        return response


_live_documents: dict[str, tuple[dict, Map]] = {}


def _live(origin: str, send) -> tuple[dict, Map] | None:
    """The OpenAPI document a live server serves, and a URL map of its paths."""
    if origin not in _live_documents:
        from werkzeug.routing import Rule

        answer = send(requests.Request("GET", f"{origin}/api/openapi.json").prepare())
        if answer.status_code != 200:
            return None
        document = answer.json()
        rules = []
        for path, operations in document["paths"].items():
            methods = [m.upper() for m in operations]
            rules.append(Rule(path.replace("{", "<").replace("}", ">"), methods=methods))
        _live_documents[origin] = (document, Map(rules))
    return _live_documents[origin]


@pytest.fixture(autouse=True, scope="session")
def every_json_answer_matches_the_openapi_document() -> Iterator[None]:
    """Install the checks for the whole test session (test client and ``requests``)."""
    previous = Flask.test_client_class
    Flask.test_client_class = CheckedClient
    original_send = requests.Session.send

    def send(session, prepared, **kwargs):
        response = original_send(session, prepared, **kwargs)
        parts = urlsplit(prepared.url)
        if parts.path.startswith("/api/") and parts.path != "/api/openapi.json":
            live = _live(f"{parts.scheme}://{parts.netloc}", lambda p: original_send(session, p))
            if live is not None:
                document, url_map = live
                mimetype = response.headers.get("Content-Type", "").split(";")[0].strip()
                check_answer(
                    document,
                    url_map,
                    prepared.method or "GET",
                    parts.path,
                    response.status_code,
                    response.content,
                    mimetype,
                )
        return response

    requests.Session.send = send  # type: ignore[method-assign]
    yield
    requests.Session.send = original_send  # type: ignore[method-assign]
    Flask.test_client_class = previous
