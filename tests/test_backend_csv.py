"""The one CSV export helper: BOM, header, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from forms_backend.csv_export import cell, csv_response


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://evil.example","点我")', '\'=HYPERLINK("http://evil.example","点我")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("排队太久了 =1", "排队太久了 =1"),  # only the first character starts a formula
        ("2026-11-26", "2026-11-26"),
        (None, ""),
        (3, "3"),
    ],
)
def test_a_cell_that_would_be_a_formula_is_shown_as_text(value, shown):
    assert cell(value) == shown


def test_the_download_has_a_bom_the_header_and_neutralised_rows(app):
    with app.test_request_context():
        response = csv_response("x.csv", ["内容", "=标题"], [["=1+1", "好"], ["普通", None]])
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.csv"'
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["内容", "'=标题"], ["'=1+1", "好"], ["普通", ""]]


def test_feedback_typed_as_a_formula_is_exported_as_text(client, staff, leave_feedback):
    assert (
        leave_feedback(kind="complaint", content='=HYPERLINK("http://x.example","点")').status_code
        == 201
    )
    staff.create("window1")
    staff.login("window1")
    export = client.get("/staff/feedback/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(export.removeprefix("\ufeff"))))
    assert rows[1][3] == '\'=HYPERLINK("http://x.example","点")'


# Every staff export and the test below that types a formula into one of its free-text cells.
EXPORT_TESTS = {
    "/staff/bookings/export.csv": "test_every_booking_export_cell_goes_through_the_one_helper",
    "/staff/feedback/export.csv": "test_feedback_typed_as_a_formula_is_exported_as_text",
    "/staff/evaluations/export.csv": "test_an_evaluation_reason_typed_as_a_formula_is_exported_as_text",
    "/staff/submissions/export.csv": "test_a_return_reason_typed_as_a_formula_is_exported_as_text",
}


def test_every_csv_export_has_a_formula_test(app):
    exports = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".csv")}
    assert exports == set(EXPORT_TESTS), "a new CSV export needs a formula test here"
    for name in EXPORT_TESTS.values():
        assert callable(globals().get(name)), name


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def test_an_evaluation_reason_typed_as_a_formula_is_exported_as_text(client, staff, evaluate):
    formula = '=HYPERLINK("http://x.example","点")'
    assert evaluate(level=2, reason=formula, labels=["办理时间过长"]).status_code == 201
    staff.create("window1")
    staff.login("window1")
    rows = _rows(client.get("/staff/evaluations/export.csv"))
    assert rows[1][rows[0].index("具体意见")] == "'" + formula


def test_a_return_reason_typed_as_a_formula_is_exported_as_text(app, client, staff, submit):
    from tests.test_backend_submission_staff import _act, _case_id

    reference = submit().json["reference"]
    staff.create("boss", role="admin")
    staff.login("boss")
    formula = "=cmd|' /C calc'!A0 请补充消毒记录表。"
    _act(client, _case_id(app, reference, "health-permit"), "return", formula)
    rows = _rows(client.get("/staff/submissions/export.csv"))
    reasons = [row[rows[0].index("退回原因")] for row in rows[1:]]
    assert "'" + formula in reasons and formula not in reasons


def test_every_booking_export_cell_goes_through_the_one_helper(client, staff, book, monkeypatch):
    """The day list's cells are not free text today (names and numbers are masked, the rest
    comes from the catalog); this guards that every cell still passes through ``cell``."""
    import forms_backend.csv_export as csv_export

    seen: list[object] = []
    original = csv_export.cell

    def spy(value):
        seen.append(value)
        return original(value)

    monkeypatch.setattr(csv_export, "cell", spy)
    assert book().status_code == 201
    staff.create("window1", windows="enterprise")
    staff.login("window1")
    rows = _rows(client.get("/staff/bookings/export.csv?window=enterprise&date=2026-11-26"))
    assert len(rows) == 2
    assert len(seen) == len(rows[0]) + len(rows[1])
