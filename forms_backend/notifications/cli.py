"""``flask notifications worker | send-due | reminders | purge``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

notifications = AppGroup("notifications", help="Outbox delivery, reminders and retention.")


@notifications.command("worker")
@click.option("--workers", default=2, show_default=True, help="Delivery threads.")
def worker(workers: int) -> None:
    """Run the Huey consumer (the outbox poller, deliveries and retries, periodic reminders and purge)."""
    from .queue import run_worker

    run_worker(current_app._get_current_object(), workers)  # type: ignore[attr-defined]


@notifications.command("send-due")
def send_due() -> None:
    """Deliver every message that is due now, in this process."""
    from .delivery import drain

    outcomes = drain()
    click.echo(f"{len(outcomes)} messages: {sorted(set(outcomes.values()))}")


@notifications.command("reminders")
def reminders() -> None:
    """Write the reminders that are due now (what the periodic task does)."""
    from .reminders import enqueue_due

    click.echo(f"{len(enqueue_due())} reminders written")


@notifications.command("purge")
def purge() -> None:
    """Delete messages older than NOTIFY_RETENTION_DAYS (default 180)."""
    from .retention import purge as run

    removed = run()
    days = current_app.config["NOTIFY_RETENTION_DAYS"]
    click.echo(f"{removed} messages older than {days} days deleted")
