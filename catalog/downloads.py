"""Blank forms and filled-in samples (空白表格、示例样表) that the guide offers for download.

A material names its file (``blank_form: 申请书.docx``); the file itself lives in the catalog's
``files/`` folder, ``build.py check`` reports a name without a file, and the site copies each
file that a published page links to into ``files/``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .item import Item

FOLDER = "files"
"""The catalog's folder for downloadable files, and the site's."""

TYPES = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".odt", ".ods", ".jpg", ".png")
"""File types a citizen can open on a phone or a hall computer."""


def names(items: Iterable[Item]) -> list[str]:
    """Every blank form and sample the items name, each once, in order of appearance."""
    found: dict[str, None] = {}
    for item in items:
        for material in item.materials:
            for name in (material.blank_form, material.sample):
                if name:
                    found.setdefault(name, None)
    return list(found)


def path(root: Path, name: str) -> Path:
    return Path(root) / FOLDER / name


def placeholder(name: str) -> bytes:
    """A small valid document for a synthetic catalog: a one-page PDF or a one-line .docx."""
    if name.lower().endswith(".docx"):
        return _docx(Path(name).stem)
    return _PDF


def _docx(title: str) -> bytes:
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{_xml(title)}</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in parts.items():
            # A fixed timestamp: the same catalog gives byte-identical files.
            info = zipfile.ZipInfo(part, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_PDF = _pdf()
