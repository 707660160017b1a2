"""Factories for the one-form tests: files of each kind (good and bad) and submissions."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from itertools import count

import pytest
from PIL import Image

from tests.backend.fixtures import id_number

BUNDLE = "open-shop"
ANSWERS = {"public-venue": "yes", "agent": "no", "staff-count": "some"}
HEALTH_RULES = "material-82a3c826"
"""Upload key of 卫生管理制度 (required, electronic) in the test catalog."""
SITE_PLAN = "material-121507d0"


def pdf_bytes(pages: int = 1) -> bytes:
    body = b"%PDF-1.4\n" + b"1 0 obj\n<< /Type /Catalog >>\nendobj\n" * pages
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = (
    b"MZ\x90\x00"
    + b"\x00" * 56
    + b"\x80\x00\x00\x00"
    + b"\x00" * 64
    + b"PE\x00\x00"
    + b"\x00" * 200
)

_people = count(1)


def shop_fields(**overrides) -> dict[str, str]:
    n = next(_people)
    values = {
        "applicant-name": "李四",
        "applicant-id": id_number(serial=100 + n),
        "applicant-phone": f"139{n:08d}",
        "business-address": "青山区幸福路 8 号",
        "business-scope": "零售",
        "food-category": "预包装食品销售",
        "venue-area": "35.5",
        "opening-date": "2026-12-01",
        "shop-name": "小李便利店",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.fixture
def submit(client) -> Callable[..., object]:
    """POST /api/submissions as multipart with a valid open-shop application unless overridden.

    ``files`` maps upload keys to (bytes, filename); by default the one required PDF.
    """

    def submit(
        target: str = BUNDLE,
        answers: dict | None = None,
        fields: dict | None = None,
        files: dict | None = None,
        key: str | None = None,
        **body,
    ):
        payload = {
            "target": target,
            "answers": ANSWERS if answers is None else answers,
            "fields": shop_fields() if fields is None else fields,
            **body,
        }
        chosen = {HEALTH_RULES: (pdf_bytes(), "卫生管理制度.pdf")} if files is None else files
        data = {"payload": json.dumps(payload, ensure_ascii=False)}
        for upload_key, (content, name) in chosen.items():
            data[upload_key] = (io.BytesIO(content), name)
        headers = {"Idempotency-Key": key} if key else {}
        return client.post(
            "/api/submissions", data=data, content_type="multipart/form-data", headers=headers
        )

    return submit


def noisy_jpeg(at_least: int) -> bytes:
    """A phone-photo-sized JPEG: random noise hardly compresses, so it is at least ``at_least``."""
    import os

    side = 400
    while True:
        image = Image.frombytes("RGB", (side * 4 // 3, side), os.urandom(side * 4 // 3 * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=92)
        if buffer.tell() >= at_least:
            return buffer.getvalue()
        side = int(side * 1.25)


def padded_pdf(size: int) -> bytes:
    """A valid one-page PDF of exactly ``size`` bytes (an ASCIIHex-encoded stream fills it)."""
    head = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    head += b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    head += b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    opening = b"4 0 obj\n<< /Filter /ASCIIHexDecode /Length 0000000000 >>\nstream\n"
    room = size - len(head) - len(opening) - len(tail)
    filler = (b"0123456789abcdef" * (room // 16 + 1))[:room]
    opening = opening.replace(b"0000000000", b"%010d" % room)
    data = head + opening + filler + tail
    assert len(data) == size
    return data


def status_page(client, reference: str, phone_last4: str) -> str:
    """The applicant's status page, reached through the lookup form (reference + last 4)."""
    from tests.backend.fixtures import csrf_token

    page = client.get(f"/apply/lookup?reference={reference}")
    answer = client.post(
        "/apply/lookup",
        data={
            "csrf_token": csrf_token(page.text),
            "reference": reference,
            "phone_last4": phone_last4,
        },
        follow_redirects=True,
    )
    assert answer.status_code == 200, answer.status_code
    return answer.text
