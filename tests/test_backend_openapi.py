"""The generated OpenAPI document, and the check every JSON answer in the tests goes through."""

from __future__ import annotations

import json

import pytest

from forms_backend.openapi import document
from tests.backend.fixtures import FIRST_SLOT, person
from tests.backend.openapi_check import AnswerDrift, CheckedClient, check_answer


def _check(app, method: str, path: str, status: int, body: dict) -> None:
    with app.app_context():
        doc = document(app)
    check_answer(
        doc, app.url_map, method, path, status, json.dumps(body).encode(), "application/json"
    )


def test_the_test_client_checks_every_answer(client):
    assert isinstance(client, CheckedClient)


def test_an_answer_with_a_field_its_model_lacks_fails(app, book):
    answer = book().json
    _check(app, "POST", "/api/bookings", 201, answer)  # as answered: fine
    with pytest.raises(AnswerDrift, match="Additional properties"):
        _check(app, "POST", "/api/bookings", 201, {**answer, "secret": "x"})


def test_an_answer_missing_a_required_field_fails(app, book):
    answer = book().json
    del answer["window"]
    with pytest.raises(AnswerDrift, match="'window' is a required property"):
        _check(app, "POST", "/api/bookings", 201, answer)


def test_a_status_the_document_does_not_list_fails(app):
    with pytest.raises(AnswerDrift, match="does not list"):
        _check(app, "GET", "/api/items", 418, {"message": "我是茶壶"})


def test_an_error_answer_must_be_a_problem(app):
    with pytest.raises(AnswerDrift, match="message"):
        _check(app, "POST", "/api/bookings", 422, {"error": "bad"})


def test_the_document_is_generated_from_the_models(client):
    doc = client.get("/api/openapi.json").json
    assert doc["openapi"] == "3.1.0"
    booking = doc["components"]["schemas"]["BookingRequest"]
    assert booking["additionalProperties"] is False
    assert set(booking["required"]) == {"item", "slot", "name", "id_number", "phone"}
    assert booking["properties"]["name"]["title"] == "姓名"
    post = doc["paths"]["/api/bookings"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BookingRequest"
    }
    assert set(post["responses"]) >= {"201", "400", "403", "409", "415", "422", "429"}


def test_a_valid_booking_body_is_valid_for_its_schema_and_the_server(app, client):
    from jsonschema import Draft202012Validator

    doc = client.get("/api/openapi.json").json
    body = {"item": "business-licence", "slot": FIRST_SLOT, **person()}
    schema = {"components": doc["components"], "$ref": "#/components/schemas/BookingRequest"}
    Draft202012Validator(schema).validate(body)
    assert client.post("/api/bookings", json=body).status_code == 201
    for wrong in ({"phone": "23812345678"}, {"phone_last4": "1"}, {"kind": "walk-in"}):
        assert not Draft202012Validator(schema).is_valid({**body, **wrong})
