"""Factories for 好差评 tests: a served booking, a concluded case, and ``evaluate``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from forms_backend.bookings.models import Booking
from forms_backend.extensions import db
from forms_backend.submissions.models import Case, Submission
from tests.backend.fixtures import person
from tests.backend.submissions import shop_fields


@pytest.fixture
def served_booking(app, book) -> Callable[..., dict]:
    """A booking marked served (as the window would after 办结); returns reference and phone."""

    def served_booking(**overrides) -> dict:
        someone = person(**overrides)
        reference = book(**someone).json["reference"]
        with app.app_context():
            db.session.execute(
                update(Booking).where(Booking.reference == reference).values(status="served")
            )
            db.session.commit()
        return {"reference": reference, "phone_last4": someone["phone"][-4:]}

    return served_booking


@pytest.fixture
def concluded_case(app, submit) -> Callable[..., dict]:
    """A submission whose cases are all concluded; returns reference, phone digits and items."""

    def concluded_case(phone: str = "13700001111") -> dict:
        answer = submit(fields=shop_fields(**{"applicant-phone": phone}))
        reference = answer.json["reference"]
        with app.app_context():
            submission_id = db.session.scalar(
                select(Submission.id).where(Submission.reference == reference)
            )
            db.session.execute(
                update(Case).where(Case.submission_id == submission_id).values(status="concluded")
            )
            db.session.commit()
        return {"reference": reference, "phone_last4": phone[-4:]}

    return concluded_case


@pytest.fixture
def evaluate(client) -> Callable[..., object]:
    """POST /api/evaluations; an on-site 非常满意 unless overridden."""

    def evaluate(**body):
        body.setdefault("channel", "onsite")
        if body["channel"] == "onsite":
            body.setdefault("window", "enterprise")
            body.setdefault("ticket", "A001")
        body.setdefault("level", 5)
        return client.post("/api/evaluations", json=body)

    return evaluate


@pytest.fixture
def leave_feedback(client) -> Callable[..., object]:
    """POST /api/feedback; an anonymous suggestion unless overridden."""

    def leave_feedback(**body):
        body.setdefault("kind", "suggestion")
        body.setdefault("content", "建议在大厅多设几个自助填表机。")
        return client.post("/api/feedback", json=body)

    return leave_feedback
