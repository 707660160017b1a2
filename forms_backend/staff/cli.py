"""``flask users create``: staff accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from .. import clock
from ..extensions import db
from .auth import hash_password
from .models import StaffUser

users = AppGroup("users", help="Manage staff accounts.")


@users.command("create")
@click.argument("username")
@click.option("--name", "display_name", help="Display name, e.g. 王芳 (default: username).")
@click.option("--windows", default="", help="Comma-separated window ids (default: all windows).")
@click.option(
    "--role",
    type=click.Choice(["hall", "department", "admin"]),
    default="hall",
    show_default=True,
    help="hall: window staff; department: a department's cases; admin: everything.",
)
@click.option("--department", default=None, help="Department id (required for --role department).")
@click.password_option(help="Password (prompted twice when omitted).")
def create(
    username: str,
    display_name: str | None,
    windows: str,
    role: str,
    department: str | None,
    password: str,
) -> None:
    """Create a staff account USERNAME."""
    if len(password) < 10:
        raise click.ClickException("The password must have at least 10 characters.")
    if db.session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise click.ClickException(f"A staff account named {username!r} already exists.")
    from ..availability import catalog

    unknown = [w for w in windows.split(",") if w and w not in catalog().windows]
    if unknown:
        known = ", ".join(catalog().windows)
        raise click.ClickException(f"Unknown window id(s) {', '.join(unknown)}; known: {known}.")
    if role == "department" and department not in catalog().departments:
        known = ", ".join(catalog().departments)
        raise click.ClickException(
            f"--role department needs --department with a department id; known: {known}."
        )
    db.session.add(
        StaffUser(
            username=username,
            display_name=display_name or username,
            password_hash=hash_password(password),
            role=role,
            windows=windows,
            department=department if role == "department" else None,
            created_at=clock.now(),
        )
    )
    db.session.commit()
    click.echo(f"Created staff account {username}.")
