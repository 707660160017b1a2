"""A bundle (一件事一次办): several items done together with one form and one window."""

from __future__ import annotations

from pydantic import Field, model_validator

from .common import Audience, CatalogModel, ShortText, Slug, Text
from .item import Condition, FormField, Situation, Step


class SubItem(CatalogModel):
    item: Slug = Field(title="子项事项", description="子项对应的事项标识，见 items/ 目录。")
    when: Condition | None = Field(
        None,
        title="适用情形",
        description="只在这些情形下办理本子项，写作 情形标识: [选项标识, ...]。不写表示总是办理。",
    )


DEFAULT_STEPS = ("一次告知", "一表申报", "一口受理", "一窗发证")


class Bundle(CatalogModel):
    """A bundle of items. Its savings are computed from the sub-items, never typed."""

    id: Slug = Field(
        title="一件事标识", description="一件事的唯一标识，必须与文件名相同（不含 .yml）。"
    )
    name: ShortText = Field(title="一件事名称", description="例如 新生儿出生一件事。")
    aliases: list[ShortText] = Field(
        default_factory=list, title="日常用语", description="群众常说的叫法，用于搜索。"
    )
    audience: Audience = Field(title="面向对象", description="面向个人写 自然人，面向企业写 法人。")
    themes: list[Slug] = Field(
        default_factory=list, title="主题", description="所属主题的标识，见 themes.yml。"
    )
    summary: Text = Field(title="简介", description="一两句话说明这件事包括什么。")
    published: bool = Field(
        True, title="是否发布", description="true 表示在网站上发布；false 表示暂不发布。"
    )
    lead_department: Slug = Field(title="牵头部门", description="牵头部门的标识。")
    supporting_departments: list[Slug] = Field(
        default_factory=list,
        title="配合部门",
        description="配合部门的标识；子项的实施部门必须是牵头部门或配合部门之一。",
    )
    window: Slug = Field(title="受理窗口", description="一口受理的主题窗口标识。")
    sub_items: list[SubItem] = Field(
        min_length=2, title="子项", description="一起办理的事项，至少两个不同的事项。"
    )
    situations: list[Situation] = Field(
        default_factory=list,
        title="情形",
        description="决定办理哪些子项的问题；子项事项自己的情形会自动合并进来。",
    )
    process: list[Step] = Field(
        default_factory=lambda: [Step(name=s) for s in DEFAULT_STEPS],
        title="办理流程",
        description="合并后的办理环节；不写时为 一次告知、一表申报、一口受理、一窗发证。",
    )
    extra_fields: list[FormField] = Field(
        default_factory=list,
        title="附加表单字段",
        description="子项表单之外，一件事层面需要补充的字段。",
    )
    industry_licence: bool = Field(
        False, title="一业一证", description="true 表示多张许可证合并为一张行业综合许可证。"
    )
    licence_name: ShortText | None = Field(
        None, title="综合许可证名称", description="一业一证时，合并后的行业综合许可证名称。"
    )

    @model_validator(mode="after")
    def _licence_named(self) -> Bundle:
        if self.industry_licence and not self.licence_name:
            raise ValueError(
                "一业一证（industry_licence: true）的一件事必须用 licence_name 写明合并后的行业综合许可证名称。"
            )
        if self.licence_name and not self.industry_licence:
            raise ValueError(
                "只有一业一证的一件事才有 licence_name；请删除 licence_name，或把 industry_licence 改为 true。"
            )
        return self
