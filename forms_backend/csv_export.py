"""The one CSV export: UTF-8 with a BOM (Excel opens it), and no cell a spreadsheet runs.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, WPS and LibreOffice (CSV injection, OWASP); such cells get a leading apostrophe, which
the spreadsheet shows as plain text. Citizens type names, reasons and feedback that end up in
these files, so every cell goes through ``cell``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """``value`` as a cell's text, neutralised when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_response(
    filename: str, header: Iterable[str], rows: Iterable[Iterable[object]]
) -> Response:
    """A CSV download named ``filename`` (ASCII) with ``header`` and ``rows``."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([cell(title) for title in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
