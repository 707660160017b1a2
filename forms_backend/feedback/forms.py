"""The 悉心听 pages' WTForms classes: they render the fields and carry the CSRF token only;
the rules are the models in ``schemas.py``."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField

from ..evaluations.forms import Choice
from .models import KIND_LABELS


class FeedbackForm(FlaskForm):
    kind = RadioField(
        "类别",
        choices=[Choice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validate_choice=False,
    )
    content = TextAreaField("内容")
    window = StringField("涉及的窗口（选填）")
    item = StringField("涉及的事项（选填）")
    name = StringField("称呼（选填）")
    contact_phone = StringField("联系电话（选填）")


class ReplyForm(FlaskForm):
    reply = TextAreaField("答复")


class FeedbackLookupForm(FlaskForm):
    reference = StringField("留言编号")
