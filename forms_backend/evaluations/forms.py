"""The evaluation form (HTML and API alike) and the staff follow-up forms."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..privacy import normalise_phone, phone_problem
from ..references import normalise_reference
from .rules import DIMENSIONS, LEVELS, NEGATIVE_LABELS, Channel, is_negative

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice as Choice
except ImportError:  # pragma: no cover - older WTForms

    def Choice(value: str, label: str):  # noqa: N802  (stands in for the class)
        return (value, label)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _reference(value):
    return normalise_reference(value) if isinstance(value, str) else value


LEVEL_CHOICES = [Choice(str(level), f"{label}（{level} 分）") for level, label in LEVELS.items()]
SCORE_CHOICES = [Choice(str(n), f"{n} 星") for n in range(5, 0, -1)]
_TICKET = re.compile(r"^[A-Z]?\d{1,4}$")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _score_field(label: str) -> RadioField:
    return RadioField(
        label,
        choices=SCORE_CHOICES,
        validate_choice=False,
        validators=[
            Optional(),
            AnyOf([str(n) for n in range(1, 6)], message=f"“{label}”应为 1 到 5 星。请重新选择。"),
        ],
    )


class EvaluationForm(FlaskForm):
    channel = HiddenField(
        "评价渠道",
        validators=[
            InputRequired(
                message="请说明评价渠道：booking（预约）、case（网上申报）或 onsite（现场）。"
            ),
            AnyOf(
                [c.value for c in Channel],
                message="评价渠道只能是 booking（预约）、case（网上申报）或 onsite（现场）。",
            ),
        ],
    )
    reference = StringField("预约号或申报编号", filters=[_reference])
    phone_last4 = StringField("手机号后 4 位", filters=[_strip])
    item = StringField("办理事项", filters=[_strip])
    window = StringField("评价窗口", filters=[_strip])
    ticket = StringField(
        "排队号", filters=[_strip, lambda v: v.upper() if isinstance(v, str) else v]
    )
    contact_phone = StringField("联系电话（选填）", filters=[_strip])
    level = RadioField(
        "总体评价",
        choices=LEVEL_CHOICES,
        validate_choice=False,
        validators=[
            InputRequired(message="请选择总体评价：从“非常满意”到“非常不满意”选一项。"),
            AnyOf([str(n) for n in LEVELS], message="总体评价只能是 1 到 5 分。请重新选择。"),
        ],
    )
    labels = MultiCheckboxField(
        "不满意的方面",
        choices=[Choice(label, label) for label in NEGATIVE_LABELS],
        validate_choice=False,
    )
    reason = TextAreaField(
        "具体意见",
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=500, message="具体意见最多 500 个字。请精简后重新填写。"),
        ],
    )
    # Dimension fields carry a prefix: "process" would shadow Form.process().
    dim_experience = _score_field(DIMENSIONS["experience"])
    dim_window_service = _score_field(DIMENSIONS["window_service"])
    dim_process = _score_field(DIMENSIONS["process"])
    dim_quality = _score_field(DIMENSIONS["quality"])
    dim_service = _score_field(DIMENSIONS["service"])

    def validate_labels(self, field) -> None:
        unknown = [label for label in field.data or [] if label not in NEGATIVE_LABELS]
        if unknown:
            raise ValidationError(
                f"没有“{unknown[0][:20]}”这个选项。可选：{'、'.join(NEGATIVE_LABELS)}。"
            )
        level = self.level.data
        if level in {str(n) for n in LEVELS} and is_negative(int(level)):
            if not field.data and not self.reason.data:
                raise ValidationError(
                    "选择“不满意”或“非常不满意”时，请勾选不满意的方面，或在“具体意见”里写明原因，以便我们整改。"
                )

    def validate_reference(self, field) -> None:
        if self.channel.data in (Channel.BOOKING, Channel.CASE) and not field.data:
            what = "预约号" if self.channel.data == Channel.BOOKING else "申报编号"
            raise ValidationError(f"请填写{what}（8 位字母和数字）。")

    def validate_phone_last4(self, field) -> None:
        if self.channel.data in (Channel.BOOKING, Channel.CASE):
            if not re.fullmatch(r"\d{4}", field.data or ""):
                raise ValidationError("请填写办理时所留手机号的最后 4 位数字。")

    def validate_item(self, field) -> None:
        if self.channel.data == Channel.CASE and not field.data:
            raise ValidationError("请选择要评价的办件（事项）。")

    def validate_window(self, field) -> None:
        if self.channel.data == Channel.ONSITE and not field.data:
            raise ValidationError("请选择为您办理业务的窗口。")

    def validate_ticket(self, field) -> None:
        if self.channel.data != Channel.ONSITE:
            return
        if not field.data:
            raise ValidationError(
                "请填写排队号（取号单上的号码，例如 A012），每次办理只能评价一次。"
            )
        if not _TICKET.match(field.data):
            raise ValidationError(
                "排队号应为 1 到 4 位数字，前面可带一个字母，例如 A012。请对照取号单填写。"
            )

    def validate_contact_phone(self, field) -> None:
        if not field.data:
            return
        problem = phone_problem(field.data)
        if problem:
            raise ValidationError(problem + "也可以不填，匿名评价。")
        field.data = normalise_phone(field.data)


class FollowUpForm(FlaskForm):
    text = TextAreaField(
        "内容",
        filters=[_strip],
        validators=[
            InputRequired(message="请填写内容后再提交。"),
            Length(max=1000, message="最多 1000 个字。请精简后重新填写。"),
        ],
    )


class RatingForm(FlaskForm):
    rating = RadioField(
        "您对整改结果的评价",
        choices=LEVEL_CHOICES,
        validate_choice=False,
        validators=[
            InputRequired(message="请选择您对整改结果的评价。"),
            AnyOf([str(n) for n in LEVELS], message="评价只能是 1 到 5 分。请重新选择。"),
        ],
    )
    comment = TextAreaField(
        "补充意见（选填）",
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=500, message="补充意见最多 500 个字。请精简后重新填写。"),
        ],
    )


class EvaluationLookupForm(FlaskForm):
    reference = StringField(
        "评价编号",
        filters=[_reference],
        validators=[
            InputRequired(message="请填写评价编号。"),
            Regexp(
                r"^[2-9A-HJKMNP-Z]{8}$",
                message="评价编号是 8 位字母和数字（不含 0、1、I、L、O）。请对照评价成功页面重新填写。",
            ),
        ],
    )
