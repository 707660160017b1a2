"""Life-event themes (主题) that group items for citizens and businesses."""

from __future__ import annotations

from pydantic import Field

from .common import Audience, CatalogModel, ShortText, Slug, Text


class Theme(CatalogModel):
    id: Slug = Field(title="主题标识", description="主题的唯一标识，事项和一件事用它引用主题。")
    name: ShortText = Field(title="主题名称", description="例如 生育收养、开办企业。")
    audience: Audience = Field(title="面向对象", description="个人主题写 自然人，企业主题写 法人。")
    description: Text | None = Field(
        None, title="主题说明", description="一句话说明这个主题包含哪些事。"
    )
