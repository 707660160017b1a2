"""Keys: development keys, the production refusal, ``flask keys generate`` and ``flask keys rotate``.

Three keys, all required outside the embedded SQLite development default:

- ``SECRET_KEY`` signs sessions and CSRF tokens;
- ``ENCRYPTION_KEY`` (Fernet, comma-separated: the first encrypts, all decrypt) encrypts
  personal data in rows and uploaded files;
- ``LOOKUP_KEY`` keys the HMAC columns that find a person again (one booking per day,
  no-show blocking). It is separate from the encryption keys so rotating those never changes
  a lookup hash; it must never change once data exists.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from pathlib import Path

import click
from cryptography.fernet import Fernet
from flask import Flask
from flask.cli import AppGroup

KEY_NAMES = ("SECRET_KEY", "ENCRYPTION_KEY", "LOOKUP_KEY")


class UnsafeConfiguration(SystemExit):
    """Production settings that must not be used. The message, naming every problem, goes to
    standard error; the exit status is 4, which gunicorn reads as "the app failed to load" and
    stops the master instead of restarting workers forever (``flask`` and ``python`` exit 4)."""

    EXIT_STATUS = 4

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        self.message = (
            "banshi forms backend: refusing to start with unsafe production settings:\n"
            f"{lines}\n"
            'See docs/backend.md, section "Production settings".'
        )
        sys.stderr.write(self.message + "\n")
        sys.stderr.flush()
        super().__init__(self.EXIT_STATUS)

    def __str__(self) -> str:
        return self.message


def fresh_keys() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_hex(32),
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "LOOKUP_KEY": secrets.token_hex(32),
    }


def missing_key_problems(app: Flask) -> list[str]:
    """One sentence per missing key, naming the variable and how to create it."""
    return [
        f"BANSHI_{name} is not set. Create all three keys with "
        "`flask --app forms_backend keys generate` and keep them in your secret store."
        for name in KEY_NAMES
        if not app.config.get(name)
    ]


def use_development_keys(app: Flask) -> None:
    """Fill missing keys from ``instance/dev-keys.json`` (created once, mode 0600)."""
    missing = [name for name in KEY_NAMES if not app.config.get(name)]
    if not missing:
        return
    path = Path(app.instance_path) / "dev-keys.json"
    fresh = fresh_keys()
    try:  # O_EXCL: several gunicorn workers starting together agree on one file
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(fresh, handle)
        keys = fresh
    except FileExistsError:
        keys = _read_keys(path) or fresh
    for name in missing:
        app.config[name] = keys.get(name) or _legacy_lookup_key(keys)
    app.logger.warning(
        "No %s configured: using development keys from %s (embedded SQLite only; "
        "production refuses to start without keys, see docs/backend.md).",
        " and ".join(missing),
        path,
    )


def _legacy_lookup_key(keys: dict[str, str]) -> str:
    """A development key file written before LOOKUP_KEY existed: the key its data was hashed
    with was derived from the first encryption key, so keep deriving it (hex-encoded)."""
    import base64
    import hmac

    first = keys["ENCRYPTION_KEY"].split(",")[0].strip()
    return "hex:" + hmac.digest(base64.urlsafe_b64decode(first), b"banshi-lookup", "sha256").hex()


def _read_keys(path: Path) -> dict[str, str] | None:
    for _ in range(50):  # another worker may be writing it right now
        try:
            keys = json.loads(path.read_text())
            if {"SECRET_KEY", "ENCRYPTION_KEY"} <= keys.keys():
                return keys
        except (OSError, ValueError):
            pass
        time.sleep(0.02)
    return None


def generating_keys() -> bool:
    """True inside ``flask … keys generate``, which must work before any key exists."""
    argv = sys.argv
    if not argv or "flask" not in (Path(argv[0]).name, Path(argv[0]).parent.name):
        return False
    return any(a == "keys" and b == "generate" for a, b in zip(argv, argv[1:], strict=False))


keys = AppGroup("keys", help="Create and rotate the secret keys.")


@keys.command("generate")
def generate() -> None:
    """Print new SECRET_KEY, ENCRYPTION_KEY and LOOKUP_KEY as shell exports."""
    for name, value in fresh_keys().items():
        click.echo(f"export BANSHI_{name}={value}")


@keys.command("rotate")
def rotate() -> None:
    """Re-encrypt every encrypted column and uploaded file with the first ENCRYPTION_KEY.

    Put the new key first (``BANSHI_ENCRYPTION_KEY=new,old``), run this, then drop the old key.
    LOOKUP_KEY stays as it is.
    """
    from .rotation import rotate_files, rotate_rows

    rows = rotate_rows()
    files = rotate_files()
    click.echo(f"Re-encrypted {rows} value(s) in the database and {files} uploaded file(s).")
