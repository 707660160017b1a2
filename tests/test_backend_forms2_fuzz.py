"""Never a 500: seeded random bodies and parameters against every endpoint of this part.

The app runs with TESTING on, so an unhandled exception fails the test instead of becoming a
500 page; every answer must be a 2xx or 4xx with a Chinese ``message`` (JSON) or page.
"""

from __future__ import annotations

import random

import pytest

from tests.backend.submissions import ANSWERS, shop_fields

VALUES = [
    None,
    True,
    False,
    0,
    -1,
    3.5,
    10**30,
    "",
    " ",
    "x" * 3000,
    "\x00",
    "😀",
    "<script>alert(1)</script>",
    "2026-02-30",
    "13800001111",
    "11010519491231002X",
    [],
    ["a", 1],
    {},
    {"a": {"b": []}},
    "booking",
    "case",
    "onsite",
    "enterprise",
    "health-permit",
    5,
    1,
]
SUBMISSION_KEYS = ["target", "answers", "fields", "idempotency_key", "extra"]
EVALUATION_KEYS = [
    "channel", "reference", "phone_last4", "item", "window", "ticket", "contact_phone",
    "level", "labels", "reason", "dimensions",
]  # fmt: skip
FEEDBACK_KEYS = ["kind", "content", "window", "item", "name", "contact_phone"]


def _body(rng: random.Random, keys: list[str], base: dict | None = None) -> dict:
    body = dict(base or {})
    for key in rng.sample(keys, rng.randint(1, len(keys))):
        body[key] = rng.choice(VALUES)
    return body


def _ok(answer) -> None:
    assert answer.status_code < 500, (answer.status_code, answer.text[:300])
    if answer.is_json and answer.status_code >= 400:
        assert answer.json["message"]


@pytest.mark.parametrize("seed", range(12))
def test_random_json_bodies_never_give_a_500(client, seed):
    rng = random.Random(seed)
    good_submission = {"target": "open-shop", "answers": ANSWERS, "fields": shop_fields()}
    for _ in range(15):
        _ok(client.post("/api/submissions", json=_body(rng, SUBMISSION_KEYS, good_submission)))
        fields = {k: rng.choice(VALUES) for k in rng.sample(list(shop_fields()), 3)}
        _ok(
            client.post(
                "/api/submissions", json={**good_submission, "fields": {**shop_fields(), **fields}}
            )
        )
        answers = {k: rng.choice(VALUES) for k in ANSWERS}
        _ok(client.post("/api/submissions", json={**good_submission, "answers": answers}))
        _ok(
            client.post("/api/evaluations", json=_body(rng, EVALUATION_KEYS, {"channel": "onsite"}))
        )
        _ok(client.post("/api/feedback", json=_body(rng, FEEDBACK_KEYS)))
        _ok(client.post("/api/evaluations/7KQ2M9XA/rating", json=_body(rng, ["rating", "comment"])))
        _ok(
            client.post(
                "/api/submissions/7KQ2M9XA/correction", json=_body(rng, ["phone_last4", "note"])
            )
        )
        _ok(client.post("/api/submissions", json=rng.choice(VALUES)))


@pytest.mark.parametrize(
    "url",
    [
        "/api/forms/open-shop?public-venue=%00",
        "/api/forms/open-shop?public-venue=yes&agent=no&staff-count=some&x=1",
        "/api/forms/..%2F..%2Fetc",
        "/api/submissions/%00%00?phone_last4=1234",
        "/api/submissions/7KQ2M9XA?phone_last4=%F0%9F%98%80",
        "/api/evaluations/%00",
        "/api/feedback/" + "A" * 500,
        "/api/stats/evaluations?from=9999-99&to=",
        "/apply/open-shop?s-public-venue=" + "x" * 2000,
        "/apply/status/%00",
        "/evaluations/new?channel=%00",
        "/evaluations/new?channel=case&reference=%00&item=" + "x" * 300,
        "/evaluations/" + "Z" * 100,
        "/feedback/?kind=%00&item=nope",
        "/feedback/%00",
        "/staff/submissions/cases/99999999999999999999",
    ],
)
def test_odd_urls_never_give_a_500(client, url):
    _ok(client.get(url))


def test_random_multipart_parts_never_give_a_500(client):
    import io

    rng = random.Random(7)
    for _ in range(20):
        data = {"payload": rng.choice(['{"target": "open-shop"}', "[]", "{", "null", "x" * 100])}
        for _ in range(rng.randint(0, 3)):
            key = rng.choice(
                ["material-82a3c826", "u-x", "payload2", "fields", "material-deadbeef"]
            )
            data[key] = (
                io.BytesIO(rng.randbytes(rng.randint(0, 300))),
                rng.choice(["a.pdf", "", "../../x.png"]),
            )
        _ok(client.post("/api/submissions", data=data, content_type="multipart/form-data"))


@pytest.mark.parametrize(
    "url",
    [
        "/staff/submissions/cases/99999999999999999999",
        "/staff/submissions/files/99999999999999999999",
        "/staff/evaluations/follow-ups/99999999999999999999",
        "/staff/feedback/99999999999999999999",
        "/staff/submissions/?status=%00&department=%00",
        "/staff/evaluations/follow-ups?state=%00",
        "/staff/audit/?actor=%00&subject=%25%25",
    ],
)
def test_odd_staff_urls_never_give_a_500(client, staff, url):
    staff.create("boss", role="admin")
    staff.login("boss")
    answer = client.get(url)
    assert answer.status_code in (200, 404), answer.status_code
