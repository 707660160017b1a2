"""The bundle page (一件事一次办): the five answers, the merged materials with 情形引导 (which
also narrows the sub-items), the sub-items, then the savings before → after."""

from __future__ import annotations

from catalog import Bundle
from catalog.bundling import Change, merged_materials, merged_situations, savings

from .. import facts, guide, urls
from ..html import UNINDEXED, dl, e, front_matter, link
from ..jsonld import bundle_service
from ..search_words import alias_meta, synonym_keys
from ..site import Site
from ..summary import materials_answer, summary_box, when_answer, where_answer
from .printout import print_footer

SAVINGS = (
    ("减环节", "steps", "个环节"),
    ("减材料", "materials", "份材料"),
    ("减时限", "days", "个工作日"),
    ("减跑动", "trips", "次"),
)


def render_bundle(site: Site, bundle: Bundle, base_url: str) -> str:
    """Markdown source of a bundle's page at ``bundles/<id>/``."""
    parts = [
        front_matter(
            title=bundle.name,
            description=bundle.summary,
            pagefind=True,
            guide=bool(merged_situations(site.catalog, bundle)) or None,
        ),
        f"# {e(bundle.name)}\n",
        "",  # the search data, once the page's words are known (below)
        _summary(site, bundle, base_url),
        _actions(site, bundle),
        "## 申请材料 {#materials}\n",
        _materials(site, bundle, base_url),
        print_footer(
            site,
            site.catalog.windows[bundle.window],
            site.catalog.departments[bundle.lead_department].phone,
            None,
        ),
        "## 包含的事项 {#sub-items}\n",
        _sub_items(site, bundle, base_url),
        "## 办一件事，省多少 {#savings}\n",
        _savings(site, bundle),
        "## 办理流程 {#process}\n",
        "<ol>" + "".join(f"<li>{e(step.name)}</li>" for step in bundle.process) + "</ol>",
        "## 办理地点和时间 {#where}\n",
        _where(site, bundle, base_url),
        bundle_service(site, bundle),
    ]
    names = [bundle.name, *bundle.aliases]
    parts[2] = _search_data(site, bundle, synonym_keys(site, names, "".join(parts)))
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def _search_data(site: Site, bundle: Bundle, keys: str) -> str:
    """Pagefind filters and metadata in attributes, and the page's synonym keys (hidden)."""
    catalog = site.catalog
    filters = [
        ("栏目", "一件事一次办"),
        ("服务对象", facts.AUDIENCE_NAMES[bundle.audience.value]),
        ("部门", catalog.departments[bundle.lead_department].short_name),
    ]
    filters += [("主题", catalog.themes[t].name) for t in bundle.themes if t in catalog.themes]
    spans = "".join(
        f'<span data-pagefind-filter="{e(name)}:{e(value)}"></span>' for name, value in filters
    )
    return f'<div class="banshi-search-data" hidden>{spans}{alias_meta(bundle.aliases)}{keys}</div>'


def _summary(site: Site, bundle: Bundle, base_url: str) -> str:
    catalog = site.catalog
    window = catalog.windows[bundle.window]
    computed = savings(catalog, bundle)
    materials = [m.material for m in merged_materials(catalog, bundle)]
    situations = merged_situations(catalog, bundle)
    days = computed.days.after
    answers = [
        ("要带什么", materials_answer(materials, len(situations), "多个事项共用的只交一次")),
        ("去哪里办", where_answer(site, window, base_url)),
        ("什么时间", when_answer(site, window)),
        ("多久办好", e("当场办结" if days == 0 else f"各部门同时办理，{days} 个工作日内全部办结")),
        (
            "跑几次",
            e(
                "零跑动，不用到现场"
                if computed.trips.after == 0
                else f"最多跑 {computed.trips.after} 次"
            ),
        ),
    ]
    more = [("办几件事", e(f"{len(bundle.sub_items)} 个事项（按您的情况，有的不用办）"))]
    if bundle.aliases:
        more.insert(0, ("也叫", e("、".join(bundle.aliases))))
    if bundle.industry_licence:
        more.append(
            (
                "一业一证",
                f"多张许可证合并为一张 <strong>{e(bundle.licence_name)}</strong>，一次受理、一次审批、一次发证",
            )
        )
    return summary_box(bundle.summary, answers, more)


def _actions(site: Site, bundle: Bundle) -> str:
    if not site.has_backend:
        phone = site.catalog.departments[bundle.lead_department].phone
        return (
            f'<p class="banshi-actions-offline"{UNINDEXED}>网上一表申报暂未开通，请拨打咨询电话 '
            f'<a href="tel:{e(phone)}">{e(phone)}</a>，或直接到窗口办理。</p>'
        )
    return (
        f'<div class="banshi-actions"{UNINDEXED}><a class="md-button md-button--primary" '
        f'href="{e(site.backend(f"/apply/{bundle.id}"))}">一表申报</a></div>'
    )


def _change(change: Change, unit: str) -> str:
    percent = f"，减少 {change.percent}%" if change.saved > 0 else ""
    return f"{change.before} {unit} → {change.after} {unit}{percent}"


def savings_rows(site: Site, bundle: Bundle) -> list[tuple[str, str]]:
    """(label, "before → after") for 减环节 / 减材料 / 减时限 / 减跑动 and departments."""
    computed = savings(site.catalog, bundle)
    rows = [(label, _change(getattr(computed, name), unit)) for label, name, unit in SAVINGS]
    rows.append(("减部门", _change(computed.departments, "个部门")))
    return rows


def _savings(site: Site, bundle: Bundle) -> str:
    rows = "".join(
        f'<tr><th scope="row">{e(label)}</th><td>{e(text)}</td></tr>'
        for label, text in savings_rows(site, bundle)
    )
    return (
        f'<table data-table="savings"{UNINDEXED}><caption>分别办理 → 一件事一次办</caption>'
        f'<thead><tr><th scope="col">项目</th><th scope="col">前 → 后</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _sub_items(site: Site, bundle: Bundle, base_url: str) -> str:
    catalog = site.catalog
    situations = merged_situations(catalog, bundle)
    rows = []
    for sub in bundle.sub_items:
        item = catalog.items[sub.item]
        department = catalog.departments[item.department]
        when = guide.condition_text(sub.when, situations).replace("需要", "办理")
        rows.append(
            f"<tr{guide.row_attrs([sub.when])}><td>{link(urls.item(site, base_url, item.id), item.name)}"
            + (f'<span class="banshi-note">{e(when)}</span>' if when else "")
            + f'</td><td data-label="实施部门"{UNINDEXED}>{link(urls.department(site, base_url, department.id), department.short_name)}</td>'
            f'<td data-label="办结时限"{UNINDEXED}>{e(facts.time_limit(item))}</td></tr>'
        )
    return (
        f'<table data-table="sub-items"><thead{UNINDEXED}><tr><th scope="col">事项</th><th scope="col">实施部门</th>'
        f'<th scope="col">办结时限</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _materials(site: Site, bundle: Bundle, base_url: str) -> str:
    catalog = site.catalog
    situations = merged_situations(catalog, bundle)
    sub_when = {s.item: s.when for s in bundle.sub_items}
    rows = []
    for merged in merged_materials(catalog, bundle):
        conditions = []
        for item_id in merged.item_ids:
            own = next(
                (
                    m.when
                    for m in catalog.items[item_id].materials
                    if m.name == merged.material.name
                ),
                merged.material.when,
            )
            conditions.append(guide.merge_conditions(sub_when.get(item_id), own))
        when_text = (
            ""
            if any(c is None for c in conditions)
            else guide.condition_text(conditions[0], situations)
        )
        used_by = "、".join(catalog.items[i].name for i in merged.item_ids)
        rows.append(
            f"<tr{guide.row_attrs(conditions)}>{guide.TICK}"
            f"<td>{guide.material_name(merged.material, when_text, site, base_url)}</td>"
            f'{guide.material_cells(merged.material)}<td data-label="用于"{UNINDEXED}>{e(used_by)}</td></tr>'
        )
    table = (
        f'<table data-table="materials"><thead><tr>{guide.HEAD}<th scope="col"{UNINDEXED}>用于</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    intro = "回答下面的问题，只看您需要办理的事项和需要准备的材料："
    note = "<p>多个事项共用的材料只需提交一次。</p>"
    questions = guide.questions(situations, intro, _needed_when(site, bundle))
    return f'<div class="banshi-checklist">{questions}{note}{table}</div>'


def _needed_when(site: Site, bundle: Bundle) -> dict[str, list[guide.Condition]]:
    """A sub-item's question matters only when a sub-item asking it applies: situation id →
    those sub-items' conditions (left out when one of them always applies, or for the
    bundle's own questions)."""
    own = {s.id for s in bundle.situations}
    needed: dict[str, list[guide.Condition] | None] = {}
    for sub in bundle.sub_items:
        for situation in site.catalog.items[sub.item].situations:
            if situation.id in own:
                continue
            if sub.when is None or needed.get(situation.id, []) is None:
                needed[situation.id] = None
            else:
                needed.setdefault(situation.id, []).append(sub.when)
    return {sid: conditions for sid, conditions in needed.items() if conditions}


def _where(site: Site, bundle: Bundle, base_url: str) -> str:
    catalog = site.catalog
    window = catalog.windows[bundle.window]
    hall = catalog.hall_of(window)
    lead = catalog.departments[bundle.lead_department]
    rows = [
        ("受理窗口", link(urls.window(site, base_url, window.id), window.name)),
        ("地点", e(f"{hall.name} {window.location}")),
        ("牵头部门", link(urls.department(site, base_url, lead.id), lead.name)),
    ]
    rows += [(label, e(text)) for label, text in facts.window_hours(window)]
    return dl(rows, indexed=False)
