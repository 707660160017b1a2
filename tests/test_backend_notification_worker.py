"""The real worker process (``flask notifications worker``, Huey on Redis): killed with SIGKILL
while the provider holds its request, the message is neither lost nor left behind — the next
worker delivers it, under the same idempotency key."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from forms_backend import create_app
from forms_backend.extensions import db
from forms_backend.notifications.models import OutboxMessage
from tests.backend.fixtures import CATALOG, ENCRYPTION_KEY, FIRST_SLOT, LOOKUP_KEY, person
from tests.backend.providers import sms_config
from tests.backend.servers import REDIS_URL, notification_worker, unavailable

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_prefix():
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        connection.ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
    prefix = f"t13-{uuid.uuid4().hex[:10]}"
    yield prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def _status(app, message_id: int) -> OutboxMessage:
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        db.session.refresh(message)
        db.session.expunge(message)
        return message


def _wait_for_status(app, message_id: int, status: str, timeout: float = 60) -> OutboxMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = _status(app, message_id)
        if message.status == status:
            return message
        time.sleep(0.1)
    raise AssertionError(f"message {message_id} is {message.status}, expected {status}")


def test_a_worker_killed_mid_delivery_loses_nothing(
    backend_config, provider, redis_prefix, tmp_path
):
    provider.hold = threading.Event()
    server, endpoint = provider.start()
    config = {
        **sms_config(backend_config, endpoint),
        "NOTIFY_QUEUE": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "NOTIFY_LEASE_SECONDS": 3,
    }
    app = create_app(config)
    answer = app.test_client().post(
        "/api/bookings",
        json={"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT, **person()},
    )
    assert answer.status_code == 201  # its message is now in the outbox (the worker polls)
    with app.app_context():
        (message,) = db.session.scalars(select(OutboxMessage)).all()
    env = {
        **os.environ,
        "BANSHI_INSTANCE_PATH": config["INSTANCE_PATH"],
        "BANSHI_SQLALCHEMY_DATABASE_URI": config["SQLALCHEMY_DATABASE_URI"],
        "BANSHI_SECRET_KEY": "test-secret",
        "BANSHI_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "BANSHI_LOOKUP_KEY": LOOKUP_KEY,
        "BANSHI_RATELIMIT_ENABLED": "false",
        "BANSHI_CATALOG_PATH": str(CATALOG),
        "BANSHI_RATELIMIT_KEY_PREFIX": redis_prefix,
        "BANSHI_NOTIFY_QUEUE": REDIS_URL,
        "BANSHI_NOTIFY_CHANNEL": "sms",
        "BANSHI_NOTIFY_LEASE_SECONDS": "3",
        "BANSHI_SMS_ACCESS_KEY_ID": config["SMS_ACCESS_KEY_ID"],
        "BANSHI_SMS_ACCESS_KEY_SECRET": config["SMS_ACCESS_KEY_SECRET"],
        "BANSHI_SMS_ENDPOINT": endpoint,
        "BANSHI_SMS_PROTOCOL": "http",
    }
    log = tmp_path / "worker.log"
    first = notification_worker(env, log)
    try:
        if not provider.hold.wait(60):
            first.kill()
            raise AssertionError(
                f"the worker never reached the provider: {log.read_text()[-2000:]}"
            )
        assert _status(app, message.id).status == "sending"
        os.kill(first.pid, signal.SIGKILL)  # killed mid-delivery
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    provider.release.set()
    second = notification_worker(env, log)
    try:
        delivered = _wait_for_status(app, message.id, "sent")
    finally:
        second.send_signal(signal.SIGINT)
        try:
            second.wait(20)
        except subprocess.TimeoutExpired:
            second.kill()
        server.shutdown()
    requests = provider.received
    assert len(requests) == 2  # the killed attempt's outcome was unknown, so it was retried …
    assert {r["OutId"] for r in requests} == {message.key}  # … under the same idempotency key
    assert delivered.attempts == 2 and delivered.phone_cipher is None
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 1
