"""Shared building blocks of the catalog schema: the base model and the domain enums.

Enum members have English names for code and the official Chinese terms as values, so
editors write the words they already use (``kind: 依申请``) and code reads ``Kind.ON_APPLICATION``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$"),
    Field(
        title="标识",
        description="只能由小写英文字母、数字和连字符组成，以字母或数字开头，例如 birth-certificate。",
    ),
]
"""Identifier used in file names, URLs and references."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
"""Non-empty free text."""

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
"""Non-empty short text such as a name or a label."""

Phone = Annotated[
    str,
    StringConstraints(pattern=r"^(\d{3,4}-\d{7,8}(-\d{1,6})?|1\d{10}|\d{5,6})$"),
    Field(
        title="电话",
        description="固定电话写作 区号-号码（如 0472-1234567），手机写 11 位数字，热线写 5 到 6 位数字（如 12345）。",
    ),
]


class CatalogModel(BaseModel):
    """Base of every catalog model: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Kind(StrEnum):
    """The seed's three-way split of items (事项类别)."""

    PUBLIC_SERVICE = "公共服务"
    ON_APPLICATION = "依申请"
    EX_OFFICIO = "依职权"


class ItemType(StrEnum):
    """Item type (事项类型)."""

    LICENSING = "行政许可"
    CONFIRMATION = "行政确认"
    BENEFIT = "行政给付"
    ADJUDICATION = "行政裁决"
    REWARD = "行政奖励"
    FILING = "行政备案"
    OTHER_POWER = "其他行政权力"
    PUBLIC_SERVICE = "公共服务"
    PENALTY = "行政处罚"
    COERCION = "行政强制"
    LEVY = "行政征收"
    INSPECTION = "行政检查"


EX_OFFICIO_TYPES = frozenset(
    {ItemType.PENALTY, ItemType.COERCION, ItemType.LEVY, ItemType.INSPECTION, ItemType.OTHER_POWER}
)
"""Types an ex officio item may have."""

ON_APPLICATION_TYPES = frozenset(
    {
        ItemType.LICENSING,
        ItemType.CONFIRMATION,
        ItemType.BENEFIT,
        ItemType.ADJUDICATION,
        ItemType.REWARD,
        ItemType.FILING,
        ItemType.OTHER_POWER,
    }
)
"""Types an on-application item may have."""


class Status(StrEnum):
    """Lifecycle on the online platform: 认领 → 编制 → 发布."""

    UNCLAIMED = "未认领"
    CLAIMED = "已认领"
    COMPILED = "已编制"
    PUBLISHED = "已发布"


class Audience(StrEnum):
    """Service object (服务对象)."""

    PERSON = "自然人"
    ORGANISATION = "法人"


class CaseType(StrEnum):
    """Immediate case (即办件) or promised case (承诺件)."""

    IMMEDIATE = "即办件"
    PROMISED = "承诺件"


class OnlineCapability(StrEnum):
    """One capability of online depth (网上办理深度)."""

    CONSULT = "咨询"
    RECEIVE = "收件"
    PREVIEW = "预审"
    ACCEPT = "受理"
    PROCESS = "办理"
    RESULT = "结果反馈"
    E_CERTIFICATE = "电子证照"


FULLY_ONLINE = frozenset(
    {
        OnlineCapability.RECEIVE,
        OnlineCapability.ACCEPT,
        OnlineCapability.PROCESS,
        OnlineCapability.RESULT,
    }
)
"""Capabilities that make an item 全程网办 (applied, handled and answered online)."""


class MaterialForm(StrEnum):
    """Whether an original or a copy is handed in."""

    ORIGINAL = "原件"
    COPY = "复印件"
    BOTH = "原件和复印件"


class Medium(StrEnum):
    """Paper or electronic material."""

    PAPER = "纸质"
    ELECTRONIC = "电子"
    EITHER = "纸质或电子"


class MaterialSource(StrEnum):
    """Where the applicant gets a material from."""

    SELF = "申请人自备"
    GOVERNMENT = "政府部门核发"
    OTHER = "其他机构出具"


class FieldType(StrEnum):
    """Type of an online form field."""

    TEXT = "text"
    TEXTAREA = "textarea"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    DATE = "date"
    CHOICE = "choice"
    NUMBER = "number"
    FILE = "file"
