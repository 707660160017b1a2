"""The item guide (办事指南), in GOV.UK start-page order: summary and actions first."""

from __future__ import annotations

from catalog import Item

from .. import facts, guide, urls
from ..html import UNINDEXED, dl, e, front_matter, link, ul
from ..jsonld import government_service
from ..search_words import alias_meta, synonym_keys
from ..site import Site
from ..summary import materials_answer, summary_box, when_answer, where_answer
from .printout import print_footer


def render_item(site: Site, item: Item, base_url: str) -> str:
    """Markdown source of an item's page at ``items/<id>/``."""
    catalog = site.catalog
    department = catalog.departments[item.department]
    parts = [
        front_matter(
            title=item.name,
            description=item.summary or item.name,
            pagefind=True,
            guide=bool(item.situations) or None,
        ),
        f"# {e(item.name)}\n",
        "",  # the search data, once the page's words are known (below)
        _summary(site, item, base_url),
        _actions(site, item),
        "## 申请材料 {#materials}\n",
        _materials(site, item, base_url),
        print_footer(site, catalog.window_of(item), catalog.consult_phone(item), item.verified),
    ]
    if item.conditions:
        parts += ["## 受理条件 {#conditions}\n", ul(e(c) for c in item.conditions)]
    parts += ["## 办理流程 {#process}\n", _process(item)]
    if item.result:
        delivery = "、".join(item.result.delivery)
        parts.append(f"<p>办理结果：{e(item.result.name)}（{e(delivery)}）</p>")
    parts += ["## 设定依据 {#legal-basis}\n", _legal_basis(item)]
    parts += ["## 办理地点和时间 {#where}\n", _where(site, item, base_url)]
    parts += [
        "## 咨询和投诉 {#phones}\n",
        dl(
            [
                ("咨询电话", e(catalog.consult_phone(item))),
                ("投诉电话", e(catalog.complaint_phone(item))),
                ("实施部门", link(urls.department(site, base_url, department.id), department.name)),
            ],
            indexed=False,
        ),
    ]
    if item.faq:
        parts += ["## 常见问题 {#faq}\n", _faq(item)]
    bundles = [b for b in site.bundles_of_item(item.id) if b.id in site.bundle_ids]
    if bundles:
        parts += [
            "## 一件事一次办 {#bundles}\n",
            "<p>本事项可以和其他事项一起办：</p>"
            + ul(link(urls.bundle(site, base_url, b.id), b.name) for b in bundles),
        ]
    parts.append(
        f'<p class="banshi-verified">本指南最后核验日期：{item.verified.isoformat()}。'
        f"基本编码 {e(item.basic_code)}，实施编码 {e(item.implementation_code)}。</p>"
    )
    parts.append(government_service(site, item))
    parts[2] = _search_data(
        site, item, synonym_keys(site, [item.name, *item.aliases], "".join(parts))
    )
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def _search_data(site: Site, item: Item, keys: str) -> str:
    """Pagefind filters and metadata, given in attributes so they never show up in excerpts
    (aliases and codes are indexed from the visible summary and footer), and the page's
    synonym keys (hidden text)."""
    catalog = site.catalog
    department = catalog.departments[item.department]
    filters = [
        ("栏目", "办事事项"),
        ("事项类别", item.kind.value),
        ("部门", department.short_name),
        ("事项类型", item.type.value),
        ("网办深度", facts.online_depth_label(item)),
    ]
    filters += [("服务对象", facts.AUDIENCE_NAMES[a.value]) for a in item.service_object]
    filters += [("主题", catalog.themes[t].name) for t in item.themes if t in catalog.themes]
    spans = "".join(
        f'<span data-pagefind-filter="{e(name)}:{e(value)}"></span>' for name, value in filters
    )
    return (
        f'<div class="banshi-search-data" hidden>{spans}'
        f'<span data-pagefind-meta="部门:{e(department.short_name)}"></span>'
        f"{alias_meta(item.aliases)}{keys}</div>"
    )


def _summary(site: Site, item: Item, base_url: str) -> str:
    catalog = site.catalog
    window = catalog.window_of(item)
    department = catalog.departments[item.department]
    if window is None:
        ask = f"本事项不在窗口受理，请向{department.name}咨询（电话 {catalog.consult_phone(item)}）"
        where = when = e(ask)
    else:
        where = where_answer(site, window, base_url)
        when = when_answer(site, window)
    trips = e(facts.visits(item))
    if item.visits and item.visits_reason:
        trips += f'<span class="banshi-note">为什么要到现场：{e(item.visits_reason)}</span>'
    answers = [
        ("要带什么", materials_answer(item.materials, len(item.situations))),
        ("去哪里办", where),
        ("什么时间", when),
        ("多久办好", e(facts.time_limit(item))),
        ("跑几次", trips),
    ]
    more = [
        ("适用对象", e(facts.audience(item))),
        ("办理费用", e(facts.fees(item))),
        ("网上办理", e(facts.online_depth(item))),
        ("预约服务", e(facts.booking(item))),
    ]
    if item.aliases:
        more.insert(0, ("也叫", e("、".join(item.aliases))))
    return summary_box(item.summary or "", answers, more)


def _actions(site: Site, item: Item) -> str:
    """Buttons into the forms backend with the item preselected; without a backend, a phone."""
    buttons = []
    if item.online_apply:
        buttons.append(
            f'<a class="md-button md-button--primary" href="{e(site.backend(f"/apply/{item.id}"))}">在线申报</a>'
        )
    booking = site.backend(f"/bookings/new?item={item.id}")
    if item.booking.appointment:
        buttons.append(
            f'<a class="md-button" href="{e(booking)}&amp;kind=appointment">预约办理</a>'
        )
    if item.booking.after_hours:
        buttons.append(
            f'<a class="md-button" href="{e(booking)}&amp;kind=after_hours">延时服务</a>'
        )
    if item.booking.assisted:
        buttons.append(f'<a class="md-button" href="{e(booking)}&amp;kind=assisted">帮办代办</a>')
    if not buttons:
        return ""
    if not site.has_backend:
        phone = site.catalog.consult_phone(item)
        return (
            f'<p class="banshi-actions-offline"{UNINDEXED}>网上申报和预约暂未开通，请拨打咨询电话 '
            f'<a href="tel:{e(phone)}">{e(phone)}</a>，或直接到窗口办理。</p>'
        )
    slot = ""
    if item.booking.appointment:
        slot = (
            f'<p class="banshi-next-slot" data-next-slot="{e(site.backend(f"/api/items/{item.id}/next-slot"))}"'
            ' aria-live="polite" hidden></p>'
        )
    return f'<div class="banshi-actions"{UNINDEXED}>{"".join(buttons)}</div>{slot}'


def _materials(site: Site, item: Item, base_url: str) -> str:
    if not item.materials:
        return "<p>本事项不需要提交申请材料。</p>"
    rows = []
    for material in item.materials:
        when_text = guide.condition_text(material.when, item.situations)
        rows.append(
            f"<tr{guide.row_attrs([material.when])}>{guide.TICK}"
            f"<td>{guide.material_name(material, when_text, site, base_url)}</td>"
            f"{guide.material_cells(material)}</tr>"
        )
    table = (
        f'<table data-table="materials"><thead><tr>{guide.HEAD}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    questions = guide.questions(item.situations, "回答下面的问题，只看您需要准备的材料：")
    return f'<div class="banshi-checklist">{questions}{table}</div>'


def _process(item: Item) -> str:
    steps = [
        f"<strong>{e(s.name)}</strong>" + (f"：{e(s.description)}" if s.description else "")
        for s in item.process
    ]
    return "<ol>" + "".join(f"<li>{s}</li>" for s in steps) + "</ol>"


def _legal_basis(item: Item) -> str:
    entries = []
    for basis in item.legal_basis:
        text = basis.law + (f" {basis.article}" if basis.article else "")
        text += f"（{basis.doc_number}）" if basis.doc_number else ""
        entries.append(e(text))
    return ul(entries)


def _where(site: Site, item: Item, base_url: str) -> str:
    catalog = site.catalog
    window = catalog.window_of(item)
    if window is None:
        return "<p>本事项不在窗口受理，请向实施部门咨询。</p>"
    hall = catalog.hall_of(window)
    rows = [
        ("窗口", link(urls.window(site, base_url, window.id), window.name)),
        ("地点", e(f"{hall.name} {window.location}")),
        ("地址", e(hall.address)),
    ]
    rows += [(label, e(text)) for label, text in facts.window_hours(window)]
    if item.postal_delivery:
        rows.append(("邮寄", "材料和办理结果可以邮寄"))
    if item.visits and item.visits_reason:
        rows.append(("为什么要到现场", e(item.visits_reason)))
    return dl(rows, indexed={"为什么要到现场"})


def _faq(item: Item) -> str:
    return "".join(
        f'<details class="question"><summary>{e(q.q)}</summary><p>{e(q.a)}</p></details>'
        for q in item.faq
    )
