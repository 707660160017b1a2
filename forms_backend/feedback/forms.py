"""The 悉心听 form (pages and API alike), the staff reply form and the lookup form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, ValidationError

from ..bookings.schemas import NAME_PATTERN
from ..catalog_access import catalog
from ..evaluations.forms import Choice
from ..privacy import normalise_phone, phone_problem
from ..references import normalise_reference
from .models import KIND_LABELS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class FeedbackForm(FlaskForm):
    kind = RadioField(
        "类别",
        choices=[Choice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validate_choice=False,
        validators=[
            InputRequired(message="请选择类别：表扬、投诉、咨询建议或管家服务。"),
            AnyOf(
                [k.value for k in KIND_LABELS],
                message="类别只能是 praise（表扬）、complaint（投诉）、suggestion（咨询建议）或 butler（管家服务）。",
            ),
        ],
    )
    content = TextAreaField(
        "内容",
        filters=[_strip],
        validators=[
            InputRequired(message="请写下您想说的话。"),
            Length(min=5, max=1000, message="内容应为 5 到 1000 个字。请补充或精简后重新提交。"),
        ],
    )
    window = StringField("涉及的窗口（选填）", filters=[_strip])
    item = StringField("涉及的事项（选填）", filters=[_strip])
    name = StringField(
        "称呼（选填）",
        filters=[_strip],
        validators=[
            Optional(),
            Regexp(NAME_PATTERN, message="称呼应为 2 到 30 个汉字或字母。也可以不填。"),
        ],
    )
    contact_phone = StringField("联系电话（选填）", filters=[_strip])

    def validate_window(self, field) -> None:
        if field.data and field.data not in catalog().windows:
            raise ValidationError(f"没有窗口“{field.data[:80]}”。请从列表中选择，或不选。")

    def validate_item(self, field) -> None:
        if field.data:
            item = catalog().items.get(field.data)
            if item is None or not item.published:
                raise ValidationError(f"没有找到事项“{field.data[:80]}”。请从列表中选择，或不选。")

    def validate_contact_phone(self, field) -> None:
        if not field.data:
            if self.kind.data == "butler":
                raise ValidationError("管家服务需要联系您，请留下手机号。")
            return
        problem = phone_problem(field.data)
        if problem:
            raise ValidationError(problem + "也可以不填。")
        field.data = normalise_phone(field.data)


class ReplyForm(FlaskForm):
    reply = TextAreaField(
        "答复",
        filters=[_strip],
        validators=[
            InputRequired(message="请填写答复内容。"),
            Length(max=1000, message="答复最多 1000 个字。请精简后重新填写。"),
        ],
    )


class FeedbackLookupForm(FlaskForm):
    reference = StringField(
        "留言编号",
        filters=[lambda v: normalise_reference(v) if isinstance(v, str) else v],
        validators=[
            InputRequired(message="请填写留言编号。"),
            Regexp(
                r"^[2-9A-HJKMNP-Z]{8}$",
                message="留言编号是 8 位字母和数字（不含 0、1、I、L、O）。请对照提交成功页面重新填写。",
            ),
        ],
    )
