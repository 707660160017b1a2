"""Message templates in settings.yml: ``check`` names the file, line and fix for each mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog.messages import EVENTS, PLACEHOLDERS, SMS_SEGMENT, sms_length
from tests.backend.fixtures import CATALOG
from tests.test_check_messages import check, edit


@pytest.fixture
def messages_catalog(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG, target)
    return target


CONFIRMED = "预约成功：{date}{time}到{window}办{item}，预约号{reference}，请带齐材料。"


def test_the_shipped_templates_pass(messages_catalog: Path) -> None:
    assert check(messages_catalog) == (0, [])


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        pytest.param(
            CONFIRMED.replace("{window}", "{counter}"),
            "settings.yml:17:7: “预约成功”的短信正文用了占位符 {counter}，这种通知没有这项内容。"
            "可用的占位符有：{reference}、{item}、{date}、{time}、{window}。请改正或删去它。",
            id="unknown-placeholder",
        ),
        pytest.param(
            CONFIRMED.replace("预约号{reference}", "请按时到场"),
            "settings.yml:17:7: “预约成功”的短信正文缺少占位符 {reference}"
            "（编号（预约号、申报编号或评价编号，8 位）），群众凭它才能办理。请把它写进正文。",
            id="missing-reference",
        ),
        pytest.param(
            CONFIRMED.replace("{date}", "{date"),
            "settings.yml:17:7: “预约成功”的短信正文里的花括号不成对。占位符要写成 {reference} 这样，"
            "一对英文花括号中间是占位符名称；正文里不要单独使用花括号。",
            id="unbalanced-brace",
        ),
        pytest.param(
            CONFIRMED.replace("请带齐材料。", "请带齐身份证和全部申请材料原件。"),
            "settings.yml:17:7: “预约成功”的短信按最长内容填入并加上签名【青山区政务服务中心】后共 "
            "80 字，超过一条短信的 70 字，会拆成两条发送并加倍收费。请删减 10 字以上。",
            id="too-long",
        ),
    ],
)
def test_a_bad_template_is_reported_with_line_and_fix(
    messages_catalog: Path, new: str, expected: str
) -> None:
    edit(messages_catalog, "settings.yml", CONFIRMED, new)
    assert check(messages_catalog) == (1, [expected])


def test_a_missing_template_is_reported(messages_catalog: Path) -> None:
    edit(messages_catalog, "settings.yml", "    recovery_code:\n", "    recovery_codes:\n")
    lines = (messages_catalog / "settings.yml").read_text(encoding="utf-8").splitlines()
    line = lines.index("    recovery_codes:") + 1
    assert check(messages_catalog) == (
        1,
        [
            "settings.yml:15:3: 缺少必填字段 messages.templates.recovery_code（找回预约和办件的验证码）。请补上这个字段。",
            f"settings.yml:{line}:5: 在 messages.templates 中出现了未知字段“recovery_codes”。你是不是想写 recovery_code？请改正或删除这个字段。",
        ],
    )


def test_the_length_counts_every_placeholder_at_its_longest_and_the_signature() -> None:
    text = "{reference}{item}"
    longest = PLACEHOLDERS["reference"].longest + PLACEHOLDERS["item"].longest
    assert sms_length("青山区", text) == len("【青山区】") + longest
    assert SMS_SEGMENT == 70


def test_every_event_requires_only_placeholders_it_offers() -> None:
    for event in EVENTS.values():
        assert set(event.required) <= set(event.placeholders)
        assert set(event.placeholders) <= set(PLACEHOLDERS)
