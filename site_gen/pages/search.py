"""The search page: a plain GET form (``?q=``), filters (栏目, 部门, 服务对象, 主题, 事项类别,
事项类型, 网办深度) and the ranked results; ``search.js`` fills them in."""

from __future__ import annotations

from ..html import front_matter
from ..site import Site


def render_search(site: Site, base_url: str) -> str:
    """Markdown source of ``search/``."""
    return (
        front_matter(title="搜索", hide=["navigation", "toc"])
        + "# 搜索办事指南\n\n"
        + '<div id="banshi-search" class="banshi-search">'
        '<form class="banshi-search__form" role="search" method="get" action="./">'
        '<label for="banshi-search-q">想办什么事？用平常的话说就行，例如“办居住证”“开饭店”“老人去世”。</label>'
        '<input id="banshi-search-q" type="search" name="q" autocomplete="off" enterkeyhint="search">'
        '<button type="submit" class="md-button md-button--primary">搜索</button>'
        "</form>"
        '<details class="banshi-search__filters" hidden><summary>筛选结果（栏目、部门、服务对象等）</summary>'
        '<div class="banshi-search__grid"></div></details>'
        '<p class="banshi-search__status" role="status" aria-live="polite"></p>'
        '<ol class="banshi-search__results"></ol>'
        '<button type="button" class="md-button banshi-search__more" hidden>再显示 10 个结果</button>'
        "<noscript><p>搜索需要启用浏览器的 JavaScript。您也可以"
        f'<a href="{base_url}themes/">按主题</a>或<a href="{base_url}departments/">按部门</a>查找。</p></noscript>'
        "</div>\n"
    )
