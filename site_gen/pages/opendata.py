"""Open data: the published catalog as JSON and CSV downloads, and the page describing them."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

from catalog import Item
from catalog.bundling import savings

from .. import facts
from ..html import front_matter
from ..site import Site
from ..stats import compute

CSV_COLUMNS = (
    ("id", "标识"),
    ("name", "事项名称"),
    ("aliases", "日常用语"),
    ("kind", "事项类别"),
    ("type", "事项类型"),
    ("department", "实施部门"),
    ("basic_code", "基本编码"),
    ("implementation_code", "实施编码"),
    ("service_object", "服务对象"),
    ("legal_days", "法定办结时限（工作日）"),
    ("promised_days", "承诺办结时限（工作日）"),
    ("case_type", "办件类型"),
    ("visits", "到现场次数"),
    ("online_depth", "网上办理深度"),
    ("fees_yuan", "收费（元）"),
    ("materials", "材料数"),
    ("window", "办理窗口"),
    ("verified", "核验日期"),
    ("url", "办事指南"),
)


def _row(site: Site, item: Item) -> dict[str, object]:
    catalog = site.catalog
    window = catalog.window_of(item)
    return {
        "id": item.id,
        "name": item.name,
        "aliases": "、".join(item.aliases),
        "kind": item.kind.value,
        "type": item.type.value,
        "department": catalog.departments[item.department].name,
        "basic_code": item.basic_code,
        "implementation_code": item.implementation_code,
        "service_object": "、".join(a.value for a in item.service_object),
        "legal_days": item.time_limit.legal_days,
        "promised_days": item.time_limit.promised_days,
        "case_type": item.time_limit.case_type.value,
        "visits": item.visits,
        "online_depth": "、".join(c.value for c in item.online_depth),
        "fees_yuan": str(sum((f.amount_yuan for f in item.fees), start=0)),
        "materials": len(item.materials),
        "window": window.name if window else "",
        "verified": item.verified.isoformat(),
        "url": f"items/{item.id}/",
    }


def items_csv(site: Site) -> str:
    """One row per published item; UTF-8 with BOM so spreadsheet programs read the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title for _, title in CSV_COLUMNS])
    for item in site.items():
        row = _row(site, item)
        writer.writerow([row[key] for key, _ in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()


def items_json(site: Site) -> str:
    """Every published item's full guide, as in the catalog, plus its page URL: one item a
    line (json's C encoder writes no indentation; indenting 5,654 items took seconds)."""
    items = (
        json.dumps(
            {**item.model_dump(mode="json"), "online_depth_level": facts.online_depth_label(item)},
            ensure_ascii=False,
        )
        for item in site.items()
    )
    district = json.dumps(site.catalog.settings.district, ensure_ascii=False)
    return f'{{"district": {district}, "items": [\n' + ",\n".join(items) + "\n]}\n"


def bundles_json(site: Site) -> str:
    """Every published bundle with its computed savings (before → after)."""
    bundles = []
    for bundle in site.bundles():
        computed = savings(site.catalog, bundle)
        bundles.append(
            {
                **bundle.model_dump(mode="json"),
                "savings": {
                    name: {"before": change.before, "after": change.after}
                    for name, change in vars(computed).items()
                },
            }
        )
    return json.dumps({"bundles": bundles}, ensure_ascii=False, indent=1)


def stats_json(site: Site) -> str:
    """The statistics page's figures, and the reform report when a baseline is set."""
    payload = {
        "district": site.catalog.settings.district,
        "catalog": dataclasses.asdict(compute(site.catalog)),
        "reform": site.reform.as_dict() if site.reform else None,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


DOWNLOADS = (
    ("data/items.json", items_json),
    ("data/items.csv", items_csv),
    ("data/bundles.json", bundles_json),
    ("data/stats.json", stats_json),
)
"""Open data files: site path → renderer."""


def render_opendata(site: Site, base_url: str) -> str:
    """Markdown source of ``data/``."""
    count = len(site.item_ids)
    return (
        front_matter(title="开放数据")
        + "# 开放数据\n\n"
        + f"<p>本站已发布的办事指南（{count:,} 个事项、{len(site.bundle_ids):,} 件一件事）可以免费下载、再利用。"
        "数据每次生成网站时更新。</p>\n\n"
        + '<ul class="banshi-list">'
        + f'<li><a href="{base_url}data/items.csv" download>事项一览表（CSV，UTF-8）</a>'
        '<span class="banshi-note">每个事项一行：名称、类别、类型、部门、编码、时限、跑动次数、网办深度、收费等。</span></li>'
        + f'<li><a href="{base_url}data/items.json" download>事项完整办事指南（JSON）</a>'
        '<span class="banshi-note">材料、情形、流程、设定依据、常见问题等全部字段。</span></li>'
        + f'<li><a href="{base_url}data/bundles.json" download>一件事（JSON）</a>'
        '<span class="banshi-note">子项、情形和计算出的减环节、减材料、减时限、减跑动。</span></li>'
        + f'<li><a href="{base_url}data/stats.json" download>数据统计（JSON）</a>'
        '<span class="banshi-note">数据统计页的全部数字，包括改革成效（四减）。</span></li>'
        + "</ul>\n"
    )
