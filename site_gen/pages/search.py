"""The search page: Pagefind's full UI with filters (栏目, 部门, 服务对象, 事项类别,
事项类型, 主题, 网办深度)."""

from __future__ import annotations

from ..html import front_matter
from ..site import Site


def render_search(site: Site, base_url: str) -> str:
    """Markdown source of ``search/``; ``banshi.js`` mounts Pagefind and reads ``?q=``."""
    return (
        front_matter(title="搜索", hide=["navigation", "toc"])
        + "# 搜索办事指南\n\n"
        + f'<div id="banshi-search" class="banshi-search" data-bundle="{base_url}pagefind/">'
        "<noscript><p>搜索需要启用浏览器的 JavaScript。您也可以"
        f'<a href="{base_url}themes/">按主题</a>或<a href="{base_url}departments/">按部门</a>查找。</p></noscript>'
        "</div>\n"
    )
