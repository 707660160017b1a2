"""An item (政务服务事项) and its guide (办事指南)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from .common import (
    FULLY_ONLINE,
    Audience,
    CaseType,
    CatalogModel,
    FieldType,
    ItemType,
    Kind,
    MaterialForm,
    MaterialSource,
    Medium,
    OnlineCapability,
    Phone,
    ShortText,
    Slug,
    Status,
    Text,
)

BasicCode = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
ImplementationCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{20,40}$")]
Condition = dict[Slug, list[Slug]]
"""Situation id → option ids for which something applies."""


class LegalBasis(CatalogModel):
    law: ShortText = Field(
        title="法律法规名称",
        description="法律、法规、规章或规范性文件的全称，例如《中华人民共和国户口登记条例》。",
    )
    article: ShortText | None = Field(
        None, title="条款", description="依据的具体条款，例如 第七条。"
    )
    doc_number: ShortText | None = Field(
        None, title="文号", description="规范性文件的发文字号，例如 国办发〔2019〕51号。"
    )


class Option(CatalogModel):
    id: Slug = Field(title="选项标识", description="选项的标识，在本情形内唯一。")
    label: ShortText = Field(title="选项文字", description="申请人看到的选项文字，例如 是 或 否。")


class Situation(CatalogModel):
    id: Slug = Field(title="情形标识", description="情形的标识，材料和子项用它引用本情形。")
    question: ShortText = Field(title="问题", description="问申请人的问题，例如 是否委托他人代办？")
    options: list[Option] = Field(min_length=2, title="选项", description="可选答案，至少两个。")


class Material(CatalogModel):
    name: ShortText = Field(
        title="材料名称", description="材料的名称，同一事项内不能重复，例如 居民身份证。"
    )
    required: bool = Field(
        True, title="是否必需", description="true 表示必须提交；false 表示视情况提交。"
    )
    form: MaterialForm = Field(
        MaterialForm.ORIGINAL, title="原件或复印件", description="提交原件、复印件还是两者都要。"
    )
    copies: int = Field(
        1, ge=1, le=20, title="份数", description="需要提交的份数，1 到 20 的整数。"
    )
    medium: Medium = Field(Medium.PAPER, title="载体", description="纸质、电子，或两者均可。")
    source: MaterialSource = Field(
        MaterialSource.SELF, title="来源", description="申请人自备、政府部门核发或其他机构出具。"
    )
    issuer: ShortText | None = Field(
        None, title="出具单位", description="来源不是申请人自备时，写出具材料的单位。"
    )
    exempt: bool = Field(
        False, title="免提交", description="true 表示可通过电子证照或数据共享免于提交。"
    )
    exempt_reason: ShortText | None = Field(
        None, title="免提交说明", description="免提交的方式，例如 通过电子证照库调取。"
    )
    blank_form: ShortText | None = Field(
        None,
        title="空白表格",
        description="空白表格的文件名，例如 申请表.docx；文件放在目录的 files/ 文件夹中，网站提供下载。",
    )
    sample: ShortText | None = Field(
        None,
        title="示例样表",
        description="填写示例的文件名，例如 申请表填写示例.pdf；文件放在目录的 files/ 文件夹中。",
    )
    notes: Text | None = Field(None, title="备注", description="对申请人的补充说明。")
    when: Condition | None = Field(
        None,
        title="适用情形",
        description="只在这些情形下需要本材料，写作 情形标识: [选项标识, ...]。不写表示所有情形都需要。",
    )

    @model_validator(mode="after")
    def _exempt_has_reason(self) -> Material:
        if self.exempt and not self.exempt_reason:
            raise ValueError(
                "材料标记为免提交时，必须用 exempt_reason 写明免提交的方式，例如“通过电子证照库调取”。"
            )
        return self


class Step(CatalogModel):
    name: ShortText = Field(
        title="环节名称", description="办理环节的名称，例如 受理、审查、决定、送达。"
    )
    description: Text | None = Field(None, title="环节说明", description="本环节做什么、由谁做。")


class TimeLimit(CatalogModel):
    legal_days: int = Field(
        ge=0, le=3650, title="法定办结时限", description="法律规定的办结时限，单位为工作日。"
    )
    promised_days: int = Field(
        ge=0,
        le=3650,
        title="承诺办结时限",
        description="本区承诺的办结时限，单位为工作日，不能超过法定时限；即办件写 0。",
    )
    case_type: CaseType = Field(title="办件类型", description="即办件（当场办结）或承诺件。")

    @model_validator(mode="after")
    def _consistent(self) -> TimeLimit:
        if self.promised_days > self.legal_days:
            raise ValueError(
                f"承诺办结时限（{self.promised_days} 个工作日）超过了法定办结时限（{self.legal_days} 个工作日）。请把 promised_days 改为不大于 legal_days 的数。"
            )
        if self.case_type is CaseType.IMMEDIATE and self.promised_days != 0:
            raise ValueError(
                "即办件当场办结，promised_days 应为 0；如果需要多个工作日，请把 case_type 改为 承诺件。"
            )
        if self.case_type is CaseType.PROMISED and self.promised_days == 0:
            raise ValueError(
                "承诺件的 promised_days 至少为 1；当场办结的事项请把 case_type 改为 即办件。"
            )
        return self


class Fee(CatalogModel):
    name: ShortText = Field(title="收费项目", description="收费项目名称，例如 工本费。")
    amount_yuan: Decimal = Field(
        ge=0,
        le=1_000_000,
        decimal_places=2,
        title="金额（元）",
        description="金额，单位为元，最多两位小数。",
    )
    basis: ShortText | None = Field(
        None, title="收费依据", description="收费依据的文件名称和文号。"
    )


class Result(CatalogModel):
    name: ShortText = Field(
        title="办理结果名称", description="结果证照或文书的名称，例如 食品经营许可证。"
    )
    delivery: list[ShortText] = Field(
        default_factory=lambda: ["窗口领取"],
        min_length=1,
        title="送达方式",
        description="结果的送达方式，例如 窗口领取、邮寄送达、电子证照。",
    )


class FaqEntry(CatalogModel):
    q: Text = Field(title="问题", description="常见问题。")
    a: Text = Field(title="解答", description="对问题的解答。")


class FormField(CatalogModel):
    key: Slug = Field(
        title="字段标识",
        description="表单字段的标识；不同事项里含义相同的字段用同一个标识，一件事合并表单时按它去重。",
    )
    label: ShortText = Field(
        title="字段名称", description="申请人看到的字段名称，例如 申请人姓名。"
    )
    type: FieldType = Field(
        FieldType.TEXT,
        title="字段类型",
        description="text、textarea、id_number（身份证号）、phone（手机号）、date、choice、number 或 file。",
    )
    required: bool = Field(True, title="是否必填", description="true 表示必须填写。")
    choices: list[ShortText] | None = Field(
        None, title="可选项", description="type 为 choice 时的可选项，至少两个。"
    )
    max_length: int | None = Field(
        None, ge=1, le=2000, title="最大长度", description="文本字段的最大字数。"
    )
    help: ShortText | None = Field(None, title="填写说明", description="显示在字段下方的填写提示。")
    same_as: Slug | None = Field(
        None,
        title="同一项内容的字段",
        description="与其他事项里标识不同、内容相同的字段，写那个字段的标识，例如个体工商户的"
        " business-name（个体工商户名称）写 company-name（企业名称）。一件事的一表申报只问一次，"
        "用按申请人情形适用的第一个子项的字段名称和是否必填。",
    )

    @model_validator(mode="after")
    def _choices_match_type(self) -> FormField:
        if self.type is FieldType.CHOICE and (not self.choices or len(self.choices) < 2):
            raise ValueError(
                f"字段“{self.key}”的类型是 choice，必须用 choices 列出至少两个可选项。"
            )
        if self.type is not FieldType.CHOICE and self.choices:
            raise ValueError(
                f"字段“{self.key}”的类型是 {self.type.value}，不能有 choices；如需下拉选择，请把 type 改为 choice。"
            )
        if self.same_as == self.key:
            raise ValueError(
                f"字段“{self.key}”的 same_as 写的是它自己。请写另一个事项里内容相同的字段的标识，或删除 same_as。"
            )
        return self


class Booking(CatalogModel):
    appointment: bool = Field(True, title="可预约", description="true 表示可以在线预约到窗口办理。")
    after_hours: bool = Field(
        False, title="可延时办理", description="true 表示可以预约早晚弹性或双休日不打烊服务。"
    )
    assisted: bool = Field(True, title="可帮办代办", description="true 表示可以申请帮办代办服务。")


class Item(CatalogModel):
    """One government service item and its guide."""

    id: Slug = Field(
        title="事项标识", description="事项的唯一标识，必须与文件名相同（不含 .yml）。"
    )
    name: ShortText = Field(title="事项名称", description="事项的规范名称。")
    aliases: list[ShortText] = Field(
        default_factory=list,
        title="日常用语",
        description="群众常说的叫法，用于搜索，例如 办准生证。",
    )
    kind: Kind = Field(title="事项类别", description="公共服务、依申请或依职权。")
    type: ItemType = Field(title="事项类型", description="行政许可、行政确认、行政给付等。")
    status: Status = Field(
        title="事项状态",
        description="在一体化平台上的状态：未认领、已认领、已编制、已发布。只有已发布的事项生成办事指南页面。",
    )
    basic_code: BasicCode = Field(title="基本编码", description="12 位数字的基本编码。")
    implementation_code: ImplementationCode = Field(
        title="实施编码", description="20 到 40 位的实施编码，只含数字和大写字母。"
    )
    department: Slug = Field(title="实施主体", description="实施部门的标识，见 departments.yml。")
    co_departments: list[Slug] = Field(
        default_factory=list, title="联办部门", description="共同办理部门的标识列表。"
    )
    service_object: list[Audience] = Field(
        min_length=1, title="服务对象", description="自然人、法人，或两者。"
    )
    themes: list[Slug] = Field(
        default_factory=list, title="主题", description="所属主题的标识，见 themes.yml。"
    )
    high_frequency: bool = Field(
        False, title="高频事项", description="true 表示在首页“高频事项”中展示。"
    )
    summary: Text | None = Field(None, title="简介", description="一两句话说明这个事项是做什么的。")
    legal_basis: list[LegalBasis] = Field(
        min_length=1, title="设定依据", description="法律依据，至少一条。"
    )
    conditions: list[Text] = Field(
        default_factory=list, title="受理条件", description="申请人需要满足的条件。"
    )
    situations: list[Situation] = Field(
        default_factory=list, title="情形", description="决定需要哪些材料的问题。"
    )
    materials: list[Material] = Field(
        default_factory=list, title="申请材料", description="需要提交的材料。"
    )
    process: list[Step] = Field(
        min_length=1, title="办理流程", description="办理环节，按先后顺序。"
    )
    time_limit: TimeLimit = Field(title="办结时限", description="法定和承诺办结时限。")
    visits: int = Field(
        ge=0, le=10, title="到现场次数", description="申请人需要到办事现场的次数；0 表示零跑动。"
    )
    visits_reason: Text | None = Field(
        None, title="到现场原因", description="到现场次数大于 0 时，写明为什么必须到现场。"
    )
    postal_delivery: bool = Field(
        False, title="支持邮寄", description="true 表示材料和结果可以邮寄。"
    )
    online_depth: list[OnlineCapability] = Field(
        default_factory=list,
        title="网上办理深度",
        description="可在网上完成的环节：咨询、收件、预审、受理、办理、结果反馈、电子证照。",
    )
    fees: list[Fee] = Field(
        default_factory=list, title="收费", description="收费项目；不收费时写 []。"
    )
    result: Result | None = Field(None, title="办理结果", description="办理结果的名称和送达方式。")
    window: Slug | None = Field(
        None,
        title="办理窗口",
        description="受理本事项的主题窗口标识，见 places.yml 的 windows。依申请和公共服务事项必填。",
    )
    booking: Booking = Field(
        default_factory=Booking,
        title="预约与延时服务",
        description="是否可预约、可延时办理、可帮办代办。",
    )
    consult_phone: Phone | None = Field(None, title="咨询电话", description="不写时使用部门电话。")
    complaint_phone: Phone | None = Field(
        None, title="投诉电话", description="不写时使用全区投诉电话。"
    )
    faq: list[FaqEntry] = Field(
        default_factory=list, title="常见问题", description="常见问题和解答。"
    )
    form_fields: list[FormField] = Field(
        default_factory=list, title="网上申请表单", description="网上申请需要填写的字段。"
    )
    verified: dt.date = Field(
        title="核验日期", description="最后一次核对本指南的日期，写作 2026-01-31。"
    )

    @property
    def published(self) -> bool:
        return self.status is Status.PUBLISHED

    @property
    def fully_online(self) -> bool:
        """True when the item can be applied for, handled and answered online (全程网办)."""
        return FULLY_ONLINE <= set(self.online_depth)

    @property
    def free(self) -> bool:
        return not self.fees

    @property
    def online_apply(self) -> bool:
        """True when the one-form backend can take an online application for this item."""
        return bool(self.form_fields) and OnlineCapability.RECEIVE in self.online_depth

    def situation(self, situation_id: str) -> Situation | None:
        return next((s for s in self.situations if s.id == situation_id), None)
