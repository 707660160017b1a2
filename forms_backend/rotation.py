"""Key rotation: re-encrypt every ``*_cipher`` column and every stored upload with the first
encryption key (``MultiFernet.rotate``). Lookup hashes are keyed separately and stay as they are.
"""

from __future__ import annotations

import os

from sqlalchemy import select, update

from .extensions import db
from .privacy import vault
from .uploads import upload_root

BATCH = 500


def encrypted_columns() -> list[tuple[object, list[str]]]:
    """Every table with columns named ``*_cipher``, as (table, column names)."""
    found = []
    for table in db.metadata.sorted_tables:
        names = [c.name for c in table.columns if c.name.endswith("_cipher")]
        if names:
            found.append((table, names))
    return found


def rotate_rows() -> int:
    """Re-encrypt every encrypted value in the database; one transaction per batch."""
    keys = vault()
    changed = 0
    for table, names in encrypted_columns():
        key = table.primary_key.columns.values()[0]
        last = None
        while True:
            query = select(key, *(table.c[n] for n in names)).order_by(key).limit(BATCH)
            if last is not None:
                query = query.where(key > last)
            rows = db.session.execute(query).all()
            if not rows:
                break
            for row in rows:
                values = {n: keys.rotate(v) for n, v in zip(names, row[1:], strict=True) if v}
                if values:
                    db.session.execute(update(table).where(key == row[0]).values(**values))
                    changed += len(values)
            db.session.commit()
            last = rows[-1][0]
    return changed


def rotate_files() -> int:
    """Re-encrypt every stored upload in place (write aside, then an atomic rename)."""
    keys = vault()
    root = upload_root()
    count = 0
    if not root.is_dir():
        return 0
    for shard in root.iterdir():
        if not shard.is_dir() or shard.name.startswith("."):
            continue  # .staging holds files of requests in flight
        for path in shard.iterdir():
            if not path.is_file() or path.name.endswith(".rotating"):
                continue
            aside = path.with_name(path.name + ".rotating")
            fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(keys.rotate_bytes(path.read_bytes()))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(aside, path)
            count += 1
    return count
