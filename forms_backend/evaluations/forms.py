"""The evaluation pages' WTForms classes: they render the fields and carry the CSRF token
only; the rules are the models in ``schemas.py``."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from .rules import DIMENSIONS, LEVELS, NEGATIVE_LABELS

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice as Choice
except ImportError:  # pragma: no cover - older WTForms

    def Choice(value: str, label: str):  # noqa: N802  (stands in for the class)
        return (value, label)


LEVEL_CHOICES = [Choice(str(level), f"{label}（{level} 分）") for level, label in LEVELS.items()]
SCORE_CHOICES = [Choice(str(n), f"{n} 星") for n in range(5, 0, -1)]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _score_field(label: str) -> RadioField:
    return RadioField(label, choices=SCORE_CHOICES, validate_choice=False)


class EvaluationForm(FlaskForm):
    channel = HiddenField("评价渠道")
    reference = StringField("预约号或申报编号")
    phone_last4 = StringField("手机号后 4 位")
    item = StringField("办理事项")
    window = StringField("评价窗口")
    ticket = StringField("排队号")
    contact_phone = StringField("联系电话（选填）")
    level = RadioField("总体评价", choices=LEVEL_CHOICES, validate_choice=False)
    labels = MultiCheckboxField(
        "不满意的方面",
        choices=[Choice(label, label) for label in NEGATIVE_LABELS],
        validate_choice=False,
    )
    reason = TextAreaField("具体意见")
    # Dimension fields carry a prefix: "process" would shadow Form.process().
    dim_experience = _score_field(DIMENSIONS["experience"])
    dim_window_service = _score_field(DIMENSIONS["window_service"])
    dim_process = _score_field(DIMENSIONS["process"])
    dim_quality = _score_field(DIMENSIONS["quality"])
    dim_service = _score_field(DIMENSIONS["service"])


DIMENSION_FIELDS = {f"dimensions.{key}": f"dim_{key}" for key in DIMENSIONS}
"""Where the form shows the error of each dimension score."""


def evaluation_input(form_data) -> dict:
    """The evaluation form's data as ``EvaluationRequest`` input (scores as numbers, the
    dimension fields gathered into ``dimensions``)."""
    from ..schemas import form_input
    from .schemas import EvaluationRequest

    data = form_input(EvaluationRequest, form_data)
    scores = {}
    for key in DIMENSIONS:
        value = (form_data.get(f"dim_{key}") or "").strip()
        if value:
            scores[key] = int(value) if value.isdigit() else value
    if scores:
        data["dimensions"] = scores
    return data


class FollowUpForm(FlaskForm):
    text = TextAreaField("内容")


class RatingForm(FlaskForm):
    rating = RadioField("您对整改结果的评价", choices=LEVEL_CHOICES, validate_choice=False)
    comment = TextAreaField("补充意见（选填）")


class EvaluationLookupForm(FlaskForm):
    reference = StringField("评价编号")
