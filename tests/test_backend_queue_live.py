"""Live call display: a call made on one server reaches a display streaming from another
within 1 s, through the real Redis pub/sub (two gunicorn servers on one PostgreSQL database)."""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid

import pytest
import redis
import requests
from flask_migrate import upgrade

from forms_backend import create_app
from tests.backend.fixtures import server_settings
from tests.backend.queue import create_admin, make_counters, signed_in
from tests.backend.servers import REDIS_URL, gunicorn, postgres_database, unavailable
from tests.test_backend_queue_concurrency import SERVER_OPTIONS


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError as error:
        unavailable("Redis at 127.0.0.1:6379", error)
    return REDIS_URL


@pytest.fixture
def two_hosts(redis_url, tmp_path):
    """Two independent gunicorn servers ("hosts") sharing PostgreSQL and Redis."""
    with postgres_database() as database_url:
        config, env = server_settings(database_url, tmp_path, "queue-live")
        app = create_app(config)
        with app.app_context():
            upgrade()
        counter = make_counters(app, [5])[0]
        create_admin(app)
        env.update(
            BANSHI_HTTPS="false",  # plain HTTP on 127.0.0.1: the staff session cookie must come back
            BANSHI_QUEUE_REDIS_URL=redis_url,
            BANSHI_QUEUE_CHANNEL_PREFIX=f"test-{uuid.uuid4().hex[:8]}:queue:",
        )
        with (
            gunicorn(env, workers=1, options=SERVER_OPTIONS) as display_host,
            gunicorn(env, workers=1, options=SERVER_OPTIONS) as counter_host,
        ):
            yield display_host, counter_host, counter


class Display:
    """An SSE client in a thread: every ``data:`` line lands in ``messages``."""

    def __init__(self, url: str) -> None:
        self.messages: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        self.response = requests.get(url, stream=True, timeout=30)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line.startswith("retry:"):
                    self.connected.set()  # the server subscribed before sending this
                elif line.startswith("data:"):
                    self.messages.put((time.monotonic(), json.loads(line[5:])))
        except Exception:  # noqa: BLE001  (the test closed the stream under the reader)
            pass

    def next_call(self, timeout: float = 10) -> tuple[float, dict]:
        deadline = time.monotonic() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            if message["type"] == "call":
                return at, message

    def close(self) -> None:
        self.response.close()
        self.thread.join(timeout=10)


def test_a_call_on_one_host_reaches_a_display_on_another_within_one_second(two_hosts):
    display_host, counter_host, counter = two_hosts
    display = Display(f"{display_host}/queue/citizen-hall/events")
    try:
        assert display.response.headers["Content-Type"].startswith("text/event-stream")
        assert display.connected.wait(10)
        taken = requests.post(
            f"{counter_host}/api/queue/tickets", json={"window": "enterprise"}, timeout=30
        )
        assert taken.status_code == 201
        staff = signed_in(counter_host)
        started = time.monotonic()
        called = staff.post(
            f"{counter_host}/api/queue/counters/{counter}/call", json={}, timeout=30
        )
        assert called.status_code == 200
        arrived, message = display.next_call()
        assert message["text"] == "请 A001 号到 5 号窗口办理"
        assert message["ticket"] == "A001" and message["counter"] == 5
        assert message["waiting"] == []
        assert arrived - started < 1.0, f"the call took {arrived - started:.3f} s to arrive"
    finally:
        display.close()


def test_the_display_stream_is_refused_for_an_unknown_hall(two_hosts):
    display_host, _counter_host, _counter = two_hosts
    answer = requests.get(f"{display_host}/queue/nowhere/events", timeout=30)
    assert answer.status_code == 404
