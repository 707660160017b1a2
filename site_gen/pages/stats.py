"""The statistics page: the catalog's figures with build-time SVG charts and tables.

Written for citizens: no internal workflow states (未认领 / 已认领 / 已编制), only how many
items have a published guide."""

from __future__ import annotations

from catalog.reform import MEASURES, UNITS, ReformReport, share

from ..charts import bar_chart, data_table, percent
from ..html import dl, e, front_matter
from ..site import Site
from ..stats import compute


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _section(
    anchor: str,
    title: str,
    header: tuple[str, str],
    data: dict[str, int],
    total: int | None = None,
) -> list[str]:
    return [
        f"## {title} {{#{anchor}}}\n",
        f'<div class="banshi-figure">{bar_chart(f"chart-{anchor}", title, data)}'
        f"{data_table(title, header, data, total)}</div>",
    ]


def render_stats(site: Site, base_url: str) -> str:
    """Markdown source of ``stats/``."""
    s = compute(site.catalog)
    headline = [
        ("事项总数", f"{s.items:,} 项"),
        ("按类别", e("，".join(f"{k} {v:,}" for k, v in s.by_kind.items()))),
        ("有办事指南的事项", f"{s.published:,} 项"),
        (
            "一件事",
            f"{s.bundles:,} 件（已发布 {s.published_bundles:,} 件），含 {s.sub_items:,} 个子项",
        ),
        ("一业一证", f"{s.industry_licences:,} 件"),
        ("承诺时限比法定时限平均压缩", _pct(s.compression_percent) + "（依申请事项）"),
        ("最多跑一次", _pct(s.at_most_one_trip_percent)),
        ("即办件", _pct(s.immediate_percent)),
    ]
    parts = [
        front_matter(title="数据统计", hide=["navigation"]),
        "# 数据统计\n",
        f"<p>以下数字在每次生成网站时由事项目录重新计算。“最多跑一次”“即办件”和网办深度按依申请和公共服务事项（共 {s.applicant_items:,} 项）统计。"
        f'原始数据可以在<a href="{base_url}data/">开放数据</a>下载。</p>',
        dl(headline, "banshi-headline"),
    ]
    parts += _section("kind", "按事项类别", ("类别", "事项数"), s.by_kind)
    parts += _section("type", "按事项类型", ("类型", "事项数"), s.by_type)
    parts += _section("department", "按实施部门", ("部门", "事项数"), s.by_department)
    parts += _section(
        "depth", "网上办理深度", ("网办深度", "事项数"), s.depth_levels, s.applicant_items
    )
    parts += _section(
        "capability", "可在网上完成的环节", ("环节", "事项数"), s.capabilities, s.applicant_items
    )
    if site.reform is not None:
        parts += _reform(site.reform)
    if site.has_backend:
        parts.append(_queue(site))
        parts.append(_evaluations(site))
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def _reform(report: ReformReport) -> list[str]:
    """改革成效: the four reductions (四减) against the reform baseline, chart and table."""
    o = report.overall
    reductions = {
        name: value
        for measure, name in MEASURES.items()
        if (value := o.reduction(measure)) is not None
    }
    rows = "".join(
        f'<tr><th scope="row">{name}（{UNITS[m]}）</th>'
        f"<td>{getattr(o.before, m):,} → {getattr(o.after, m):,}</td>"
        f"<td>{_pct(o.reduction(m))}</td></tr>"
        for m, name in MEASURES.items()
    )
    for field, name in (("at_most_one_trip", "最多跑一次占比"), ("zero_trips", "零跑动占比")):
        before = share(getattr(o.before, field), o.before.items)
        after = share(getattr(o.after, field), o.after.items)
        rows += (
            f'<tr><th scope="row">{name}</th><td>{_pct(before)} → {_pct(after)}</td><td></td></tr>'
        )
    rows += (
        f'<tr><th scope="row">一件事（件）</th><td>{report.bundles[0]:,} → {report.bundles[1]:,}</td>'
        "<td></td></tr>"
    )
    apart = ""
    if report.added or report.removed:
        apart = (
            f"其间新发布 {len(report.added):,} 个事项、不再发布 {len(report.removed):,} 个事项，"
            "单独统计，不计入压缩比例。"
        )
    title = "四减：压缩比例"
    return [
        "## 改革成效 {#reform}\n",
        f"<p>与{e(report.base)}的事项目录相比，两个版本都已发布的 {o.after.items:,} 个事项：{apart}"
        "环节、材料、时限和跑动次数都由事项目录计算，口径见编辑指南。</p>",
        f'<div class="banshi-figure">{bar_chart("chart-reform", title, reductions, percent)}'
        f'<table><caption>{title}</caption><thead><tr><th scope="col">指标</th>'
        '<th scope="col">改革前 → 改革后</th><th scope="col">压缩</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></div>",
    ]


def _evaluations(site: Site) -> str:
    """好差评 figures from the forms backend, filled in by banshi.js; hidden when unreachable."""
    url = e(site.backend("/api/stats/evaluations"))
    return (
        f'<section class="banshi-evaluations" data-evaluation-stats="{url}" hidden>'
        '<h2 id="evaluations">好差评</h2>'
        '<p class="banshi-evaluations-summary"></p>'
        '<div class="banshi-evaluations-windows"></div>'
        "<p>数据来自政务服务好差评系统，实时更新。</p>"
        "</section>"
    )


def _queue(site: Site) -> str:
    """大厅排队 figures from the forms backend's public queue statistics, filled in by banshi.js
    when the page is viewed (they change all day; a build would freeze them); hidden when the
    backend is unreachable."""
    url = e(site.backend("/api/queue/stats"))
    return (
        f'<section class="banshi-queue" data-queue-stats="{url}" hidden>'
        '<h2 id="queue">大厅排队</h2>'
        '<p class="banshi-queue-summary"></p>'
        '<div class="banshi-queue-tables"></div>'
        f'<p>数据来自大厅取号叫号系统，实时更新（近 30 天）。<a href="{url}">下载原始数据（JSON）</a></p>'
        "</section>"
    )
