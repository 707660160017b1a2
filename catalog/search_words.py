"""The editors' search vocabulary (``search.yml``): everyday words that mean the same as the
catalog's words, words a search may ignore, and the items offered when a search finds nothing.

The file is optional; without it the site searches the catalog's own words only.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from .common import CatalogModel, Slug
from .problems import Problem

FILE_NAME = "search.yml"

WORD_PATTERN = r"^[^\s,，、;；。.!！?？:：\"“”'‘’()（）\[\]【】]+$"
"""A word or phrase: no whitespace, no punctuation (a list written with 、 or ， is one bad word)."""

Word = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=WORD_PATTERN),
    Field(
        title="词语",
        description="一个词或短语，最多 20 个字，不含空格和标点，例如 饭店。",
    ),
]


def _no_repeats(words: list[str], what: str) -> list[str]:
    repeated = [w for w, n in Counter(words).items() if n > 1]
    if repeated:
        raise ValueError(f"{what}里“{'、'.join(repeated)}”写了不止一次，请只保留一个")
    return words


class SearchWords(CatalogModel):
    """Everything the site search learns from the editors."""

    synonyms: list[Annotated[list[Word], Field(min_length=2)]] = Field(
        default_factory=list,
        title="同义词",
        description="每组是意思相同、搜索时可以互换的说法，例如 [饭店, 餐馆, 餐饮]，每个词最多 20 个字，"
        "不含空格和标点。市民搜其中任何一个词，也会找到写着组里其他词的事项。",
    )
    ignore: list[Word] = Field(
        default_factory=list,
        title="忽略的口头语",
        description="搜索时去掉的客套话和疑问词，例如 [我想, 请问, 怎么, 办理]，每个词不含空格和标点。",
    )
    weak: list[Word] = Field(
        default_factory=list,
        title="常见动词",
        description="几乎每个事项都会用到的动词，例如 [办, 开, 领, 申请]，每个词不含空格和标点。"
        "它们参与匹配，但分量很轻。",
    )
    popular: list[Slug] = Field(
        default_factory=list,
        title="热门事项",
        description="搜索没有结果时推荐的事项或一件事的标识，按推荐顺序排列，例如 id-card。",
    )

    @field_validator("synonyms")
    @classmethod
    def _groups_differ(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            _no_repeats(group, f"同义词组 [{'、'.join(group)}] ")
        seen = Counter(frozenset(g) for g in groups)
        twice = [g for g, n in seen.items() if n > 1]
        if twice:
            raise ValueError(f"同义词组 [{'、'.join(sorted(twice[0]))}] 写了两遍，请删掉一组")
        return groups

    @field_validator("ignore")
    @classmethod
    def _ignore_once(cls, words: list[str]) -> list[str]:
        return _no_repeats(words, "忽略的口头语（ignore）")

    @field_validator("weak")
    @classmethod
    def _weak_once(cls, words: list[str]) -> list[str]:
        return _no_repeats(words, "常见动词（weak）")

    @field_validator("popular")
    @classmethod
    def _popular_once(cls, ids: list[str]) -> list[str]:
        return _no_repeats(ids, "热门事项（popular）")


def check_search_words(
    path: Path, words: SearchWords, items: dict[str, bool], bundles: dict[str, bool]
) -> list[Problem]:
    """Rules across the file and the catalog. ``items``/``bundles``: id → published."""
    problems: list[Problem] = []
    synonyms = {w for group in words.synonyms for w in group}
    for index, word in enumerate(words.ignore):
        if word in synonyms:
            problems.append(
                Problem(
                    path,
                    ("ignore", index),
                    f"“{word}”既写在忽略的口头语（ignore）里，又写在同义词（synonyms）里。"
                    "搜索会把它去掉，同义词就不起作用了。请从其中一处删掉它。",
                )
            )
        if word in words.weak:
            problems.append(
                Problem(
                    path,
                    ("ignore", index),
                    f"“{word}”既写在忽略的口头语（ignore）里，又写在常见动词（weak）里。"
                    "请只保留一处：要去掉就留在 ignore，要参与匹配就留在 weak。",
                )
            )
    for index, entry in enumerate(words.popular):
        published = items.get(entry, bundles.get(entry))
        if published is None:
            problems.append(
                Problem(
                    path,
                    ("popular", index),
                    f"热门事项（popular）中的“{entry}”既不是事项也不是一件事的标识。"
                    "请写 items/ 或 bundles/ 中某个文件的标识（文件名去掉 .yml），例如 id-card。",
                )
            )
        elif not published:
            problems.append(
                Problem(
                    path,
                    ("popular", index),
                    f"热门事项（popular）中的“{entry}”还没有发布，网站上没有它的页面。"
                    "请换一个已发布的事项，或等它发布后再加进来。",
                    warning=True,
                )
            )
    return problems
