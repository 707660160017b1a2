"""The material dictionary (materials.yml): one canonical name per material, with its aliases.

Items are written by different departments, so the same paper is called 居民身份证 in one
item and 申请人居民身份证 or 本人居民身份证 in another. A bundle hands each material in once;
the dictionary tells the merge which names are the same material. ``check`` warns about
names in one bundle that look like the same material but are not in the dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from .common import CatalogModel, ShortText
from .problems import Problem


class MaterialName(CatalogModel):
    """One material and the other names items use for it."""

    name: ShortText = Field(
        title="规范名称",
        description="合并材料清单时显示的名称，例如 居民身份证。",
    )
    aliases: list[ShortText] = Field(
        min_length=1,
        title="其他写法",
        description="各事项中指同一份材料的其他名称，例如 申请人居民身份证、本人居民身份证。",
    )


class MaterialsFile(CatalogModel):
    """materials.yml: the material dictionary (optional; without it, only equal names merge)."""

    materials: list[MaterialName] = Field(
        default_factory=list,
        title="材料词典",
        description="同一份材料的规范名称和其他写法；一件事合并材料时，写法不同的同一材料只算一份。",
    )


def check_dictionary(path: Path, file: MaterialsFile) -> list[Problem]:
    """Each name belongs to one material only (the same name twice would merge two materials)."""
    problems = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(file.materials):
        names = [(("materials", index, "name"), entry.name)]
        names += [(("materials", index, "aliases", i), a) for i, a in enumerate(entry.aliases)]
        for loc, name in names:
            key = normalized(name)
            if key in seen:
                problems.append(
                    Problem(
                        path,
                        loc,
                        f"材料名称“{name}”在材料词典中出现了两次（另一次在“{seen[key]}”中）。每个名称只能属于一种材料，请删除其中一处。",
                    )
                )
            seen.setdefault(key, entry.name)
    return problems


def normalized(name: str) -> str:
    """A material name with spaces removed: ``居民 身份证`` and ``居民身份证`` are one name."""
    return "".join(name.split())


APPLICANT_WORDS = ("申请人", "申请者", "本人", "经营者")
"""Words that usually only say whose the material is, the applicant's own (申请人居民身份证,
本人居民身份证, 经营者居民身份证): names differing only by them are probably one material."""


def core(name: str) -> str:
    """The name without a leading word for the applicant (and a following 的)."""
    key = normalized(name)
    for word in APPLICANT_WORDS:
        if key.startswith(word) and len(key) > len(word) + 1:
            return key[len(word) :].removeprefix("的")
    return key


@dataclass(frozen=True)
class MaterialDictionary:
    """Normalized name → canonical name, for every alias in materials.yml."""

    canonical: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, file: MaterialsFile | None) -> MaterialDictionary:
        found: dict[str, str] = {}
        for entry in file.materials if file else ():
            for name in (entry.name, *entry.aliases):
                found[normalized(name)] = entry.name
        return cls(found)

    def key(self, name: str) -> str:
        """The name materials are merged by: the canonical name, or the name itself."""
        key = normalized(name)
        return normalized(self.canonical.get(key, key))

    def knows(self, name: str) -> bool:
        return normalized(name) in self.canonical
