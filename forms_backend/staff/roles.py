"""Staff roles: hall window staff, department staff (approval back office) and administrators.

- ``hall``: bookings at their windows, on-site evaluations and 悉心听 feedback.
- ``department``: the submission cases and 差评 follow-ups of their own department.
- ``admin``: everything.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

HALL = "hall"
DEPARTMENT = "department"
ADMIN = "admin"
ROLE_LABELS = {HALL: "大厅窗口人员", DEPARTMENT: "部门审批人员", ADMIN: "管理员"}


def has_role(user, *roles: str) -> bool:
    return user.is_authenticated and (user.role == ADMIN or user.role in roles)


def roles_required(*roles: str) -> Callable:
    """Sign-in required; then 403 unless the user has one of ``roles`` (admins always pass)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def department_scope(user) -> str | None:
    """The one department a department user works for; None means every department (admin)."""
    if user.role == ADMIN:
        return None
    return user.department or "-"
