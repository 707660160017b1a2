"""WTForms classes built per form: one catalog field → one field that renders it and keeps the
typed value; the checks are the models in ``schemas.py``.

Field names are the catalog keys with an ``f-`` prefix (so a key can never shadow a form
attribute such as ``data``); the JSON API uses the bare keys.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField

from catalog import FieldType, FormField

from .formspec import FormSpec

PREFIX = "f-"


def field_name(key: str) -> str:
    return PREFIX + key


def make_field(spec: FormField):
    """The WTForms field that renders one catalog field (the checks are ``fields_model``)."""
    shown = f"{spec.label} *" if spec.required else spec.label
    kwargs = {"description": spec.help or ""}
    if spec.type is FieldType.CHOICE:
        choices = list(spec.choices or [])
        return RadioField(shown, choices=choices, validate_choice=False, **kwargs)
    if spec.type is FieldType.TEXTAREA:
        return TextAreaField(shown, **kwargs)
    return StringField(shown, **kwargs)


def apply_form_class(spec: FormSpec) -> type[FlaskForm]:
    """A FlaskForm subclass with one field per catalog field, plus the idempotency key."""
    attrs: dict[str, object] = {"idempotency_key": HiddenField("提交编号")}
    for form_field in spec.fields:
        attrs[field_name(form_field.key)] = make_field(form_field)
    return type("ApplyForm", (FlaskForm,), attrs)


class StatusLookupForm(FlaskForm):
    reference = StringField("申报编号")
    phone_last4 = StringField("手机号后 4 位")


class CorrectionForm(FlaskForm):
    note = TextAreaField("补正说明")
