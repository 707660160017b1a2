"""``flask queue counters``: list and create the hall's counters (柜台)."""

from __future__ import annotations

import re
import secrets

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..catalog_access import catalog
from ..extensions import db
from .models import Counter


@click.group("queue", help="取号叫号：柜台管理。")
def queue() -> None:
    pass


def new_counter(hall: str, number: int, windows: list[str]) -> Counter:
    counter = Counter(
        hall=hall,
        number=number,
        windows=",".join(windows),
        device_token=secrets.token_urlsafe(24),
        active=True,
    )
    db.session.add(counter)
    return counter


@queue.command("add-counter", help="新增柜台：大厅、柜台号、窗口类别（逗号分隔，第一个为主）。")
@click.argument("number", type=int)
@click.argument("windows")
@with_appcontext
def add_counter(number: int, windows: str) -> None:
    ids = [w.strip() for w in windows.split(",") if w.strip()]
    unknown = [w for w in ids if w not in catalog().windows]
    if not ids or unknown:
        raise click.BadParameter(
            f"没有窗口 {'、'.join(unknown) or '（空）'}。可选：{'、'.join(catalog().windows)}。",
            param_hint="WINDOWS",
        )
    halls = {catalog().windows[w].hall for w in ids}
    if len(halls) > 1:
        raise click.BadParameter("一个柜台的窗口类别必须在同一个大厅。", param_hint="WINDOWS")
    hall = halls.pop()
    if db.session.scalar(select(Counter).where(Counter.hall == hall, Counter.number == number)):
        raise click.BadParameter(f"{hall} 已经有 {number} 号柜台了。", param_hint="NUMBER")
    counter = new_counter(hall, number, ids)
    db.session.commit()
    click.echo(f"已新增 {hall} {number} 号柜台（{counter.windows}）。")


_RANGE = re.compile(r"(\d+)\s*[–-]\s*(\d+)\s*号")


@queue.command("seed-counters", help="按目录的窗口数量和位置（如 1–6 号窗口）生成柜台。")
@with_appcontext
def seed_counters() -> None:
    made = 0
    for window in catalog().windows.values():
        match = _RANGE.search(window.location)
        first = int(match.group(1)) if match else None
        if not match or int(match.group(2)) - first + 1 != window.counters:
            first = None
        for offset in range(window.counters):
            taken = set(
                db.session.scalars(select(Counter.number).where(Counter.hall == window.hall))
            )
            number = first + offset if first else max(taken, default=0) + 1
            if number in taken:
                continue
            new_counter(window.hall, number, [window.id])
            db.session.flush()
            made += 1
    db.session.commit()
    click.echo(f"已生成 {made} 个柜台。")


@queue.command("counters", help="列出柜台和各自评价器的网址。")
@with_appcontext
def list_counters() -> None:
    for counter in db.session.scalars(select(Counter).order_by(Counter.hall, Counter.number)):
        click.echo(
            f"{counter.hall}\t{counter.number}\t{counter.windows}\t/queue/device/{counter.device_token}"
        )
