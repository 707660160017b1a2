"""Live updates for call displays, my-ticket pages and evaluation devices.

One channel per hall (``QUEUE_CHANNEL_PREFIX`` + hall id). A change is published once, after
its commit, by the worker that made it: through Redis pub/sub when ``QUEUE_REDIS_URL`` is set
(every worker on every host hears it; a sender thread per worker publishes, so requests never
wait for Redis), otherwise in-process (development, one worker).

Each worker process keeps ONE Redis subscription (a daemon thread started on the first
Server-Sent Events client) and hands every message to the local clients' queues, so 200
displays cost one Redis connection per worker and no database query at all. A message carries
what the pages need: the call, and the waiting numbers of the window type in call order.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Iterator

from flask import Flask, current_app

from .. import clock
from ..catalog_access import catalog

log = logging.getLogger(__name__)
KEEPALIVE_SECONDS = 15


class Hub:
    """Fan-out of one process: subscribers per hall, fed by Redis or by local publishes."""

    def __init__(self, redis_url: str | None, prefix: str) -> None:
        self.redis_url = redis_url
        self.prefix = prefix
        self._clients: dict[str, set[queue.SimpleQueue]] = {}
        self._lock = threading.Lock()
        self._listener: threading.Thread | None = None
        self._publisher = None
        self._outgoing: queue.SimpleQueue = queue.SimpleQueue()
        self._sender: threading.Thread | None = None
        self._ready = threading.Event()

    # publishing ---------------------------------------------------------------------------
    def publish(self, hall: str, message: dict) -> None:
        """Hand ``message`` to this worker's sender thread; the request does not wait for Redis.

        One sender per process keeps the order of messages; whatever queued up while it sent
        goes out in one pipeline (one round trip for a burst of calls).
        """
        data = json.dumps(message, ensure_ascii=False)
        if not self.redis_url:
            self._deliver(hall, data)
            return
        self._outgoing.put((hall, data))
        if self._sender is None or not self._sender.is_alive():
            with self._lock:
                if self._sender is None or not self._sender.is_alive():
                    self._sender = threading.Thread(
                        target=self._send, name="queue-publisher", daemon=True
                    )
                    self._sender.start()

    def _send(self) -> None:
        while True:
            batch = [self._outgoing.get()]
            while True:
                try:
                    batch.append(self._outgoing.get_nowait())
                except queue.Empty:
                    break
            try:
                pipe = self._redis().pipeline(transaction=False)
                for hall, data in batch:
                    pipe.publish(self.prefix + hall, data)
                pipe.execute()
            except Exception:  # the change is committed; displays resync when they reconnect
                log.exception("could not publish %d queue events to Redis", len(batch))

    def _redis(self):
        if self._publisher is None:
            import redis

            self._publisher = redis.Redis.from_url(self.redis_url, socket_timeout=5)
        return self._publisher

    # subscribing --------------------------------------------------------------------------
    def subscribe(self, hall: str) -> queue.SimpleQueue:
        client: queue.SimpleQueue = queue.SimpleQueue()
        with self._lock:
            self._clients.setdefault(hall, set()).add(client)
            if self.redis_url and (self._listener is None or not self._listener.is_alive()):
                self._listener = threading.Thread(
                    target=self._listen, name="queue-hub", daemon=True
                )
                self._listener.start()
        if self.redis_url:
            self._ready.wait(5)  # the subscription is active before the client's first read
        return client

    def unsubscribe(self, hall: str, client: queue.SimpleQueue) -> None:
        with self._lock:
            self._clients.get(hall, set()).discard(client)

    def clients(self) -> int:
        with self._lock:
            return sum(len(c) for c in self._clients.values())

    def _deliver(self, hall: str, data: str) -> None:
        with self._lock:
            targets = list(self._clients.get(hall, ()))
        for client in targets:
            client.put(data)

    def _listen(self) -> None:
        import redis

        while True:
            try:
                connection = redis.Redis.from_url(self.redis_url, health_check_interval=30)
                pubsub = connection.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(self.prefix + "*")
                pubsub.get_message(timeout=5)  # the psubscribe confirmation
                self._ready.set()
                self._broadcast_all({"type": "resync"})  # anything missed while reconnecting
                for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    hall = message["channel"].decode()[len(self.prefix) :]
                    self._deliver(hall, message["data"].decode())
            except Exception:
                log.exception("queue hub lost its Redis subscription; reconnecting")
                self._ready.clear()
                threading.Event().wait(1)

    def _broadcast_all(self, message: dict) -> None:
        data = json.dumps(message)
        with self._lock:
            halls = list(self._clients)
        for hall in halls:
            self._deliver(hall, data)


def init_app(app: Flask) -> None:
    app.extensions["banshi_queue_hub"] = Hub(
        app.config["QUEUE_REDIS_URL"], app.config["QUEUE_CHANNEL_PREFIX"]
    )


def hub() -> Hub:
    return current_app.extensions["banshi_queue_hub"]


def stream(hall: str) -> Iterator[str]:
    """Server-Sent Events for one hall: every message, and a comment line as keep-alive."""
    fanout = hub()  # the response streams after the request context is gone
    client = fanout.subscribe(hall)

    def events() -> Iterator[str]:
        try:
            yield "retry: 3000\n\n"
            while True:
                try:
                    data = client.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    yield ": keep-alive\n\n"
                    continue
                yield f"data: {data}\n\n"
        finally:
            fanout.unsubscribe(hall, client)

    return events()


# messages -----------------------------------------------------------------------------------
def _waiting(hall: str, window: str, connection, listed=None) -> dict:
    """The first waiting numbers of ``window`` in call order, and how many wait in all."""
    from .order import waiting_now

    labels, count = listed if listed is not None else waiting_now(hall, window, connection)
    return {"waiting": labels, "waiting_count": count}


def publish_change(
    hall: str,
    window: str,
    *,
    ticket=None,
    kind=None,
    waiting: bool = True,
    listed: tuple[list[str], int] | None = None,
    connection=None,
) -> None:
    """A window type's queue changed (issue, transfer), or a called ticket left it (skip,
    finish: ``waiting=False``, the waiting list is unchanged and not sent). ``listed``: the
    (numbers, count) of the list when the caller has read them already."""
    message = {"type": "change", "window": window}
    if waiting:
        message.update(_waiting(hall, window, connection, listed))
    if ticket is not None:
        message.update(
            kind=kind.value,
            ticket=ticket.label,
            status=ticket.status,
            counter=ticket.counter.number if ticket.counter else None,
            counter_id=ticket.counter_id,
        )
    hub().publish(hall, message)


def announcement(label: str, counter_number: int) -> str:
    return f"请 {label} 号到 {counter_number} 号窗口办理"


def publish_call(ticket, counter, kind, connection=None) -> None:
    window = catalog().windows[ticket.window]
    hub().publish(
        ticket.hall,
        {
            "type": "call",
            "kind": kind.value,
            "ticket": ticket.label,
            "counter": counter.number,
            "counter_id": counter.id,
            "window": ticket.window,
            "window_name": window.name,
            "text": announcement(ticket.label, counter.number),
            "at": clock.now().isoformat(),
            **_waiting(ticket.hall, ticket.window, connection),
        },
    )
