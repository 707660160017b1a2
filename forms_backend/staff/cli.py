"""``flask users create|deactivate|reset-password``: staff accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from .. import audit, clock
from ..extensions import db
from . import sessions
from .auth import hash_password
from .models import StaffUser
from .passwords import password_problem

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
@click.password_option(help="Temporary password (prompted twice when omitted).")
@click.option(
    "--keep-password",
    is_flag=True,
    help="The person typed the password themself: no change required at first sign-in.",
)
def create(
    username: str,
    display_name: str | None,
    windows: str,
    role: str,
    department: str | None,
    password: str,
    keep_password: bool,
) -> None:
    """Create a staff account USERNAME (the password must be changed at first sign-in)."""
    if problem := password_problem(password, username, display_name or ""):
        raise click.ClickException(problem)
    if db.session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise click.ClickException(f"A staff account named {username!r} already exists.")
    from ..catalog_access import catalog

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
            must_change_password=not keep_password,
        )
    )
    db.session.commit()
    click.echo(f"Created staff account {username}.")


def _account(username: str) -> StaffUser:
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        raise click.ClickException(f"There is no staff account named {username!r}.")
    return user


@users.command("deactivate")
@click.argument("username")
def deactivate(username: str) -> None:
    """Lock USERNAME out: no sign-in, and every open session ends now."""
    user = _account(username)
    user.active = False
    ended = sessions.end_all(user.id)
    audit.record("cli", "staff.deactivate", "staff_user", username)
    db.session.commit()
    click.echo(f"Deactivated {username}; ended {ended} open session(s).")


@users.command("reset-password")
@click.argument("username")
@click.password_option(help="Temporary password (prompted twice when omitted).")
def reset_password(username: str, password: str) -> None:
    """Give USERNAME a temporary password, to be changed at the next sign-in; ends every
    open session and lifts a lockout. Reactivates a deactivated account."""
    user = _account(username)
    if problem := password_problem(password, username, user.display_name):
        raise click.ClickException(problem)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.active = True
    ended = sessions.end_all(user.id)
    audit.record("cli", "staff.reset-password", "staff_user", username)
    db.session.commit()
    click.echo(f"New temporary password set for {username}; ended {ended} open session(s).")
