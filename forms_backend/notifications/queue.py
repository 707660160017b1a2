"""The job engine: Huey. One set of tasks, three storages.

* ``memory`` (the embedded default): a Huey consumer runs inside each web process (threads);
  the outbox table is the durable record, so a restart loses nothing (the poller finds it).
* ``redis://…`` (production): RedisHuey; run ``flask notifications worker`` as its own process.
* ``sqlite:///path`` : SqliteHuey, a separate worker without Redis.

Tasks: ``send`` (one message the outbox ``Poller`` claimed: the one way a message reaches a
delivery thread, new or retried), and periodic ``reminders`` (every 10 minutes: the
day-before and home-visit reminders, idempotent), ``purge`` (hourly: the retention period) and ``staging`` (every 10
minutes: upload files a killed request left in ``.staging``; at most once per
``UPLOAD_STAGING_CLEAN_EVERY_SECONDS`` across all processes).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

log = logging.getLogger(__name__)


class EmbeddedConsumer(Consumer):
    """A Huey consumer started from a web process: no signal handlers (not the main thread)."""

    def _set_signal_handlers(self) -> None:  # pragma: no cover - trivial
        pass


class Poller(threading.Thread):
    """Finds new messages in the outbox: every ``NOTIFY_POLL_SECONDS`` one indexed read, and when
    something is due, one claim of a batch whose rows go to the consumer's delivery threads.
    So the request that wrote a message does nothing more than write its row."""

    def __init__(self, app: Flask, stop: threading.Event) -> None:
        super().__init__(name="banshi-outbox-poller", daemon=True)
        self.app = app
        self.stop = stop

    def run(self) -> None:  # pragma: no cover - exercised by the worker tests and benchmark
        from .delivery import claim_due

        interval = float(self.app.config["NOTIFY_POLL_SECONDS"])
        send = self.app.extensions["banshi_tasks"]["send"]
        while not self.stop.wait(interval):
            try:
                with self.app.app_context():
                    for message in claim_due():
                        send(message)
            except Exception:  # the database or the queue is down: try again next time
                log.exception("outbox poll failed; retrying in %s s", interval)


def _storage(app: Flask):
    url = str(app.config["NOTIFY_QUEUE"])
    name = f"{app.config['RATELIMIT_KEY_PREFIX']}-notifications"
    if url == "memory":
        return MemoryHuey(name)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, blocking=True)  # BRPOP: a new message is picked at once
    if url.startswith("sqlite:///"):
        return SqliteHuey(name, filename=url[len("sqlite:///") :])
    raise RuntimeError(
        f"NOTIFY_QUEUE={url!r} is not a queue: use memory, redis://host:port/db or sqlite:///path."
    )


def init_queue(app: Flask) -> None:
    """Create this app's Huey and register the tasks (each runs inside an app context)."""
    from .. import uploads
    from . import delivery, reminders, retention
    from .channels import channel_of

    huey = _storage(app)

    def in_app(function):
        def run(*args):
            with app.app_context():
                return function(*args)

        run.__name__ = function.__name__
        return run

    tasks = {
        "send": huey.task(name="send")(in_app(delivery.send_claimed)),
        "reminders": huey.periodic_task(crontab(minute="*/10"), name="reminders")(
            in_app(reminders.enqueue_due)
        ),
        "purge": huey.periodic_task(crontab(minute="17"), name="purge")(in_app(retention.purge)),
        "staging": huey.periodic_task(crontab(minute="*/10"), name="staging")(
            in_app(uploads.clean_staging_when_due)
        ),
    }

    def startup() -> None:
        channel_of(app)  # the SMS SDK's imports take most of a second: not in the first send

    huey.on_startup(name="startup-channel")(in_app(startup))
    app.extensions["banshi_huey"] = huey
    app.extensions["banshi_tasks"] = tasks
    app.extensions["banshi_consumer_lock"] = threading.Lock()


def huey_of(app: Flask | None = None):
    return (app or current_app).extensions["banshi_huey"]


def embedded(app: Flask) -> bool:
    setting = app.config["NOTIFY_IN_PROCESS_WORKER"]
    if setting is None:
        return app.config["NOTIFY_QUEUE"] == "memory" and not app.testing
    return bool(setting)


def start_embedded(app: Flask) -> None:
    """Start the in-process consumer and its outbox poller (first request of a web process)."""
    if not embedded(app) or "banshi_consumer" in app.extensions:
        return
    with app.extensions["banshi_consumer_lock"]:
        if "banshi_consumer" in app.extensions:
            return
        consumer = EmbeddedConsumer(
            huey_of(app),
            workers=int(app.config["NOTIFY_WORKERS"]),
            worker_type="thread",
            initial_delay=0.05,
            max_delay=0.25,  # an idle in-memory queue is polled at least 4 times a second
        )
        consumer.start()
        Poller(app, consumer.stop_flag).start()
        app.extensions["banshi_consumer"] = consumer


def run_worker(app: Flask, workers: int) -> None:
    """``flask notifications worker``: a Huey consumer in this process (until SIGTERM/SIGINT)."""
    if app.config["NOTIFY_QUEUE"] == "memory":
        raise RuntimeError(
            "NOTIFY_QUEUE=memory runs the worker inside the web processes; a separate worker "
            "needs NOTIFY_QUEUE=redis://… or sqlite:///…"
        )
    consumer = Consumer(
        huey_of(app), workers=workers, worker_type="thread", initial_delay=0.05, max_delay=0.5
    )
    Poller(app, consumer.stop_flag).start()
    consumer.run()
