"""Rate limits on booking, lookup and cancel: in memory by default, shared through Redis."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from forms_backend import create_app
from forms_backend.extensions import db
from tests.backend.fixtures import CATALOG, ENCRYPTION_KEY, LOOKUP_KEY, csrf_token, person
from tests.backend.servers import REDIS_URL, gunicorn, unavailable


def _limited(backend_config, **extra):
    return create_app(
        {
            **backend_config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_ALLOW_MEMORY": True,
            "RATE_LIMIT_LOOKUP": "3 per minute",
            "RATE_LIMIT_BOOKING": "2 per minute",
            "RATE_LIMIT_CANCEL": "2 per minute",
            **extra,
        }
    )


def test_lookup_is_limited_in_memory_when_allowed(backend_config):
    app = _limited(backend_config)
    client = app.test_client()
    answers = [client.get("/api/bookings/ABCDEFGH?phone_last4=1234") for _ in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert answers[-1].json["message"].startswith("操作太频繁了")


def test_booking_limit_counts_html_and_api_together(backend_config):
    app = _limited(backend_config)
    client = app.test_client()
    assert client.post("/api/bookings", json={}).status_code == 422
    page = client.get("/bookings/new?item=business-licence")  # GET is not counted
    assert page.status_code == 200
    refused = client.post(
        "/bookings/new?item=business-licence", data={"csrf_token": csrf_token(page.text)}
    )
    assert refused.status_code == 422
    third = client.post(
        "/bookings/new?item=business-licence", data={"csrf_token": csrf_token(page.text)}
    )
    assert third.status_code == 429
    assert "操作太频繁了" in third.text


def test_cancel_is_limited(backend_config):
    app = _limited(backend_config)
    client = app.test_client()
    codes = [
        client.post("/api/bookings/ABCDEFGH/cancel", json={"phone_last4": "1234"}).status_code
        for _ in range(3)
    ]
    assert codes == [404, 404, 429]


@pytest.fixture
def redis_prefix():
    import redis

    prefix = f"banshi-test-{uuid.uuid4().hex[:10]}"
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        connection.ping()
    except redis.RedisError as error:
        unavailable("Redis at 127.0.0.1:6379", error)
    yield prefix, connection
    keys = list(connection.scan_iter(match=f"*{prefix}*"))
    if keys:
        connection.delete(*keys)
    connection.close()


def test_limits_are_shared_between_workers_through_redis(backend_config, tmp_path, redis_prefix):
    prefix, connection = redis_prefix
    extra = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    worker_a = _limited(backend_config, **extra).test_client()
    worker_b = _limited(
        {**backend_config, "INSTANCE_PATH": str(tmp_path / "b")}, **extra
    ).test_client()
    url = "/api/bookings/ABCDEFGH?phone_last4=1234"
    codes = [worker_a.get(url).status_code, worker_b.get(url).status_code]
    codes += [worker_a.get(url).status_code, worker_b.get(url).status_code]
    assert codes == [404, 404, 404, 429]
    assert list(connection.scan_iter(match=f"*{prefix}*")), "no rate-limit keys in Redis"


def test_unlimited_when_disabled(client, book):
    assert all(book(**person()).status_code in (201, 409) for _ in range(8))
    with client.application.app_context():
        db.session.remove()


def test_four_gunicorn_workers_share_one_limit_through_redis(tmp_path, redis_prefix):
    """The production set-up: 4 worker processes, counters in the real Redis. Each request
    opens a new connection, so the requests spread over the workers; the limit holds in total."""
    prefix, _connection = redis_prefix
    env = {
        "BANSHI_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'banshi.sqlite3'}",
        "BANSHI_SECRET_KEY": "ratelimit-test",
        "BANSHI_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "BANSHI_LOOKUP_KEY": LOOKUP_KEY,
        "BANSHI_CATALOG_PATH": str(CATALOG),
        "BANSHI_INSTANCE_PATH": str(tmp_path / "instance"),
        "BANSHI_RATELIMIT_STORAGE_URI": REDIS_URL,
        "BANSHI_RATELIMIT_KEY_PREFIX": prefix,
        "BANSHI_RATE_LIMIT_LOOKUP": "12 per hour",
        "BANSHI_RATE_LIMIT_SECOND_FACTOR": "1000 per hour",  # this test is about addresses
        "BANSHI_NOTIFY_CHANNEL": "none",
    }
    log = tmp_path / "access.log"
    options = ("--access-logfile", str(log), "--access-logformat", "%(p)s %(U)s %(s)s")
    with gunicorn(env, workers=4, options=options) as base:
        codes = [
            requests.get(
                f"{base}/api/bookings/ABCDEFGH?phone_last4=1234",
                headers={"Connection": "close"},
                timeout=30,
            ).status_code
            for _ in range(40)
        ]
    assert codes[:12] == [404] * 12
    assert set(codes[12:]) == {429}
    lookups = [line.split() for line in log.read_text().splitlines() if "/api/bookings/" in line]
    workers = {pid for pid, _path, _status in lookups}
    assert len(workers) >= 2, "all requests went to one worker: the test would prove nothing"


def test_wrong_digits_are_limited_per_reference_from_any_address(backend_config):
    """A guesser spreading the 10 000 combinations over many addresses still gets only a few
    tries per reference; then even the right digits wait, and other references are free."""
    app = _limited(
        backend_config, RATE_LIMIT_SECOND_FACTOR="3 per hour", RATE_LIMIT_LOOKUP="99/hour"
    )
    client = app.test_client()
    someone = person(phone="13912345678")
    body = {"item": "business-licence", "kind": "appointment", **someone}
    reference = client.post(
        "/api/bookings", json={**body, "slot": "2026-11-26T09:00:00+08:00"}
    ).json["reference"]
    other = client.post(
        "/api/bookings",
        json={
            **person(),
            **{k: body[k] for k in ("item", "kind")},
            "slot": "2026-11-26T09:30:00+08:00",
        },
    ).json["reference"]
    codes = []
    for n, address in enumerate(("10.0.0.1", "10.0.0.2", "10.0.0.3")):
        answer = client.post(
            "/api/evaluations",
            json={
                "channel": "booking",
                "reference": reference,
                "phone_last4": f"000{n}",
                "level": 5,
            },
            environ_base={"REMOTE_ADDR": address},
        )
        codes.append(answer.status_code)
    assert codes == [404, 404, 404]
    right = someone["phone"][-4:]
    blocked = client.get(
        f"/api/bookings/{reference}?phone_last4={right}", environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert blocked.status_code == 429
    assert client.get(f"/api/bookings/{other}?phone_last4=0000").status_code == 404


def test_status_pages_are_rate_limited(backend_config):
    app = _limited(backend_config, RATE_LIMIT_STATUS_PAGE="2 per minute")
    client = app.test_client()
    paths = ("/feedback/ABCDEFGH", "/evaluations/ABCDEFGH", "/feedback/ABCDEFGH")
    assert [client.get(path).status_code for path in paths] == [404, 404, 429]


def test_redis_limit_and_its_headers_take_one_round_trip(backend_config, redis_prefix, monkeypatch):
    """The X-RateLimit headers come from the hit's own answer: no GET and TTL after it."""
    from limits.storage import RedisStorage

    from forms_backend.extensions import OneTripFixedWindow, limiter

    prefix, _connection = redis_prefix
    app = _limited(
        backend_config,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        RATE_LIMIT_BOOKING="3 per minute",
    )
    assert isinstance(limiter.limiter, OneTripFixedWindow)

    def refused(*_args, **_kwargs):
        raise AssertionError("a second round trip to Redis")

    monkeypatch.setattr(RedisStorage, "get", refused)
    monkeypatch.setattr(RedisStorage, "get_expiry", refused)
    client = app.test_client()
    answers = [client.post("/api/bookings", json={}) for _ in range(4)]
    assert [a.status_code for a in answers] == [422, 422, 422, 429]
    assert [a.headers["X-RateLimit-Limit"] for a in answers] == ["3"] * 4
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    now = time.time()
    for answer in answers:
        assert now < int(answer.headers["X-RateLimit-Reset"]) <= now + 61
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60
