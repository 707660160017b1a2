"""Bar charts drawn at build time as inline SVG: no script, no external asset.

Each chart is an ``<svg role="img">`` with a title and description; the page shows the same
numbers as a table right below it, which is the text alternative screen readers use.
"""

from __future__ import annotations

from collections.abc import Callable

from .html import e

ROW = 26
LABEL_WIDTH = 150
BAR_WIDTH = 380
COLOUR = "#2b3a8c"


def count(value: float) -> str:
    return f"{value:,}"


def percent(value: float) -> str:
    return f"{value:.1f}%"


def bar_chart(
    chart_id: str,
    title: str,
    data: dict[str, int] | dict[str, float],
    label: Callable[[float], str] = count,
) -> str:
    """Horizontal bars, one per entry, labelled with the value (``label`` formats it)."""
    rows = [(name, value) for name, value in data.items()]
    top = max((v for _, v in rows), default=0) or 1
    height = ROW * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 70
    parts = [
        f'<svg class="banshi-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{e(title)}</title>',
        f'<desc id="{chart_id}-d">{e("；".join(f"{k} {label(v)}" for k, v in rows))}</desc>',
    ]
    for index, (name, value) in enumerate(rows):
        y = 4 + index * ROW
        bar = max(round(BAR_WIDTH * value / top), 0)  # a negative value (an increase) has no bar
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="#1a1a1a">{e(name)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(bar, 1)}" height="{ROW - 8}" fill="{COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + 17}" font-size="13" fill="#1a1a1a">{label(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def data_table(
    caption: str, header: tuple[str, str], data: dict[str, int], total: int | None = None
) -> str:
    """The chart's numbers as a table (also the text alternative); shares are of ``total``."""
    total = sum(data.values()) if total is None else total
    rows = "".join(
        f'<tr><th scope="row">{e(k)}</th><td>{v:,}</td><td>{(100 * v / total if total else 0):.1f}%</td></tr>'
        for k, v in data.items()
    )
    return (
        f'<table><caption>{e(caption)}</caption><thead><tr><th scope="col">{e(header[0])}</th>'
        f'<th scope="col">{e(header[1])}</th><th scope="col">占比</th></tr></thead><tbody>{rows}</tbody></table>'
    )
