"""The home page: search first, then themes, high-frequency items, bundles, services, hotlines."""

from __future__ import annotations

from catalog import Audience

from ..html import e, front_matter
from ..listing import bundle_list, item_list
from ..services import service_cards
from ..site import Site
from .theme import theme_cards


def search_form(base_url: str, input_id: str, label: str) -> str:
    """A plain GET form to the search page: works without JavaScript."""
    return (
        f'<form class="banshi-search-form" role="search" action="{base_url}search/" method="get">'
        f'<label for="{input_id}">{e(label)}</label>'
        f'<input id="{input_id}" type="search" name="q" placeholder="例如：营业执照、社会保险、居民身份证" autocomplete="off">'
        '<button type="submit" class="md-button md-button--primary">搜索</button></form>'
    )


def render_home(site: Site, base_url: str = "") -> str:
    """Markdown source of the site's ``index``."""
    catalog = site.catalog
    settings = catalog.settings
    high = [i for i in catalog.items.values() if i.high_frequency]
    parts = [
        front_matter(title=settings.site_name, hide=["navigation", "toc"]),
        f"# {e(settings.site_name)}\n",
    ]
    if settings.description:
        parts.append(f'<p class="banshi-lead">{e(settings.description)}</p>')
    parts.append(search_form(base_url, "home-search", "搜索事项、一件事、材料或常用说法"))
    services = service_cards(site)
    if services:
        parts += ["## 网上办事 {#services-online}\n", services]
    parts += [
        "## 个人办事 {#person}\n",
        theme_cards(site, base_url, Audience.PERSON),
        "## 企业办事 {#business}\n",
        theme_cards(site, base_url, Audience.ORGANISATION),
        "## 高频事项 {#high-frequency}\n",
        item_list(site, high, base_url),
        "## 一件事一次办 {#bundles}\n",
        "<p>几件相关的事一起办：一次告知、一表申报、一口受理、一窗发证。</p>",
        bundle_list(site, site.bundles(), base_url),
        "## 延时服务和帮办代办 {#services}\n",
        "<p>上班时间没空？部分窗口提供<strong>早晚弹性办</strong>和<strong>双休日不打烊</strong>服务；"
        "老年人、残疾人等可以申请<strong>帮办代办</strong>，工作人员帮您填表、代您办理。"
        + (
            "在事项页面点击“延时服务”或“帮办代办”即可预约。"
            if site.has_backend
            else "请拨打下面的热线预约。"
        )
        + f'<a href="{base_url}windows/">查看各窗口的办公时间</a>。</p>',
        "## 服务热线 {#hotlines}\n",
        '<ul class="banshi-list">'
        + "".join(
            f'<li>{e(h.name)}：<a href="tel:{e(h.phone)}">{e(h.phone)}</a></li>'
            for h in settings.hotlines
        )
        + f'<li>投诉电话：<a href="tel:{e(settings.complaint_phone)}">{e(settings.complaint_phone)}</a></li></ul>',
    ]
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def render_bundle_index(site: Site, base_url: str) -> str:
    """Markdown source of ``bundles/``."""
    return (
        front_matter(title="一件事一次办")
        + "# 一件事一次办\n\n"
        + "<p>几件相关的事一起办：一次告知、一表申报、一口受理、一窗发证，少跑腿、少交材料。</p>\n\n"
        + bundle_list(site, site.bundles(), base_url)
        + "\n"
    )
