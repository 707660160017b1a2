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
