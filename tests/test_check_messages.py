"""``build.py check``: every bad input gets the exact, editor-facing message (MkDocs' expect_error style)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from catalog.checks import closest
from catalog.report import run_check


def check(catalog_dir: Path) -> tuple[int, list[str]]:
    """Run check; return the exit code and the error lines with the catalog path removed."""
    out = io.StringIO()
    code = run_check(catalog_dir, out=out)
    prefix = f"{catalog_dir}/"
    lines = [line.replace(prefix, "") for line in out.getvalue().splitlines()]
    return code, [line for line in lines if ": 警告：" not in line and not line.startswith("检查")]


def edit(catalog_dir: Path, relative: str, old: str, new: str) -> None:
    path = catalog_dir / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_catalog_passes(catalog_dir: Path) -> None:
    code, errors = check(catalog_dir)
    assert (code, errors) == (0, [])


BAD_INPUTS = [
    pytest.param(
        "items/food-licence.yml",
        "kind: 依申请",
        "kind: 依申请事项",
        [
            "items/food-licence.yml:5:1: kind（事项类别）的值“依申请事项”不是允许的取值。应为以下之一：公共服务、依申请、依职权。"
        ],
        id="case00",
    ),
    pytest.param(
        "items/food-licence.yml",
        "visits: 1\n",
        "visits: 一次\n",
        [
            "items/food-licence.yml:29:1: visits（到现场次数）应为整数，实际是“一次”。请填写阿拉伯数字，例如 2。提示：在 YAML 中，数字和 true/false 不要加引号。"
        ],
        id="case01",
    ),
    pytest.param(
        "items/food-licence.yml",
        "visits: 1\n",
        "visits: 1\nvisit: 1\n",
        [
            "items/food-licence.yml:30:1: 在文件顶层出现了未知字段“visit”。你是不是想写 visits？请改正或删除这个字段。"
        ],
        id="case02",
    ),
    pytest.param(
        "items/food-licence.yml",
        "  - name: 食品安全管理制度",
        "  - name: 食品安全管理制度\n    份数: 2",
        [
            "items/food-licence.yml:23:5: 在 materials[2] 中出现了未知字段“份数”。字段名要用英文，“份数”应写作 copies。"
        ],
        id="case03",
    ),
    pytest.param(
        "items/food-licence.yml",
        "promised_days: 1",
        "promised_days: 12",
        [
            "items/food-licence.yml:28:1: time_limit（办结时限）：承诺办结时限（12 个工作日）超过了法定办结时限（10 个工作日）。请把 promised_days 改为不大于 legal_days 的数。"
        ],
        id="case04",
    ),
    pytest.param(
        "items/food-licence.yml",
        "visits_reason: 低风险食品经营场所需现场核查。\n",
        "",
        [
            "items/food-licence.yml:29:1: 到现场次数为 1，必须用 visits_reason 写明为什么要到现场（例如 需现场核验身份）。若不必到现场，请把 visits 改为 0。"
        ],
        id="case05",
    ),
    pytest.param(
        "items/food-licence.yml",
        "department: market",
        "department: markte",
        [
            "bundles/low-risk-food-business.yml:11:5: 子项“食品经营许可（低风险）”的实施部门“markte”既不是牵头部门也不是配合部门。请把它加入 supporting_departments。",
            "items/food-licence.yml:10:1: 找不到部门“markte”。你是不是想写 market？",
        ],
        id="case06",
    ),
    pytest.param(
        "items/food-licence.yml",
        "window: enterprise",
        "window: enterprize",
        ["items/food-licence.yml:34:1: 找不到主题窗口“enterprize”。你是不是想写 enterprise？"],
        id="case07",
    ),
    pytest.param(
        "items/food-licence.yml",
        "  - name: 食品安全管理制度",
        "  - name: 食品安全管理制度\n  - name: 食品经营许可申请书",
        [
            "items/food-licence.yml:23:5: 材料“食品经营许可申请书”在本事项中重复了 2 次。同一份材料只写一次；份数请写在 copies 中。"
        ],
        id="case08",
    ),
    pytest.param(
        "items/food-licence.yml",
        "id: food-licence",
        "id: food-license",
        [
            "bundles/low-risk-food-business.yml:11:5: 找不到事项“food-licence”。你是不是想写 food-license？",
            "items/food-licence.yml:2:1: 事项标识“food-license”与文件名“food-licence.yml”不一致。请把 id 改为 food-licence，或把文件改名为 food-license.yml。",
        ],
        id="case09",
    ),
    pytest.param(
        "bundles/low-risk-food-business.yml",
        "  - item: food-licence",
        "  - item: business-licence",
        [
            "bundles/low-risk-food-business.yml:9:1: 一件事至少要包含两个不同的事项。只有一个事项时，请直接使用该事项的办事指南。",
            "bundles/low-risk-food-business.yml:11:5: 子项“business-licence”重复了 2 次。每个事项在一件事中只列一次。",
        ],
        id="case10",
    ),
    pytest.param(
        "bundles/low-risk-food-business.yml",
        "  - item: food-licence",
        "  - item: food-licnece",
        [
            "bundles/low-risk-food-business.yml:11:5: 找不到事项“food-licnece”。你是不是想写 food-licence？"
        ],
        id="case11",
    ),
    pytest.param(
        "items/business-licence.yml",
        '    when: {agent: ["yes"]}\n  - name: 代理人',
        '    when: {agnet: ["yes"]}\n  - name: 代理人',
        [
            "items/business-licence.yml:44:12: 适用情形引用了未定义的情形“agnet”。已定义的情形有：agent。请先在 situations 中定义它，或改正标识。"
        ],
        id="case12",
    ),
    pytest.param(
        "items/business-licence.yml",
        '      - {id: "no", label: 本人办理}',
        "      - {id: no, label: 本人办理}",
        [
            'items/business-licence.yml:27:10: situations[0].options[0].id（选项标识）应为一段文字，但 YAML 把它读成了 false（yes、no、on、off、true、false 都会被当成真假值）。请给这个值加上引号，例如 "no"。'
        ],
        id="case13",
    ),
    pytest.param(
        "items/food-licence.yml",
        'basic_code: "000201002000"',
        "basic_code: 000201002000",
        [
            'items/food-licence.yml:8:1: basic_code（基本编码）应为一段文字，但 YAML 把它读成了数字 33817600（以 0 开头的数字还会被改写）。请给这个值加上引号，例如 "000201001000"。'
        ],
        id="case14",
    ),
    pytest.param(
        "items/food-licence.yml",
        "verified: 2026-10-15",
        "verified: 2026年10月15日",
        [
            "items/food-licence.yml:39:1: verified（核验日期）应为日期，写作 2026-01-31，实际是“2026年10月15日”。"
        ],
        id="case15",
    ),
    pytest.param(
        "items/food-licence.yml",
        "type: 行政许可",
        "type: 行政处罚",
        [
            "items/food-licence.yml:6:1: 依申请事项的事项类型不能是“行政处罚”。应为以下之一：其他行政权力、行政备案、行政奖励、行政确认、行政给付、行政裁决、行政许可。"
        ],
        id="case16",
    ),
    pytest.param(
        "items/food-licence.yml",
        "fees: []",
        "fees:\n  - name: 工本费\n    amount_yuan: 十元",
        [
            "items/food-licence.yml:34:5: fees[0].amount_yuan（金额（元））应为数字，实际是“十元”。请填写阿拉伯数字，例如 10.5。提示：在 YAML 中，数字和 true/false 不要加引号。"
        ],
        id="case17",
    ),
    pytest.param(
        "items/food-licence.yml",
        "kind: 依申请",
        "kind: 依申请\n\tname: x",
        ["items/food-licence.yml:6:1: YAML 中不能用 Tab 缩进。请把 Tab 换成空格（每级两个空格）。"],
        id="case18",
    ),
    pytest.param(
        "items/food-licence.yml",
        "kind: 依申请",
        "kind: !!python/object:os.system 依申请",
        [
            "items/food-licence.yml:5:7: 文件中有不允许的标签（以 ! 开头）。目录文件只能写普通的文字、数字、列表和键值，请删除这个标签。"
        ],
        id="case19",
    ),
    pytest.param(
        "bundles/low-risk-food-business.yml",
        "licence_name: 食品经营行业综合许可证",
        "",
        [
            "bundles/low-risk-food-business.yml:2:1: 一业一证（industry_licence: true）的一件事必须用 licence_name 写明合并后的行业综合许可证名称。"
        ],
        id="case20",
    ),
    pytest.param(
        "places.yml",
        '      - {start: "13:30", end: "17:00"}\n    flexible',
        '      - {start: "13:30", end: "12:00"}\n    flexible',
        [
            "places.yml:18:9: windows[0].hours[1]（工作日办公时间）：时间段 13:30–12:00 的结束时间不晚于开始时间。请把 end 改为晚于 13:30 的时间。"
        ],
        id="case21",
    ),
]


@pytest.mark.parametrize(("relative", "old", "new", "expected"), BAD_INPUTS)
def test_bad_input_reports_exact_message(
    catalog_dir: Path, relative: str, old: str, new: str, expected: list[str]
) -> None:
    edit(catalog_dir, relative, old, new)
    code, errors = check(catalog_dir)
    assert code == 1
    assert errors == expected


def test_invalid_file_still_reports_its_broken_references(catalog_dir: Path) -> None:
    edit(catalog_dir, "items/food-licence.yml", "department: market", "department: markte")
    edit(catalog_dir, "items/food-licence.yml", "visits: 1\n", "visits: 一次\n")
    edit(
        catalog_dir,
        "bundles/low-risk-food-business.yml",
        "window: enterprise",
        "window: enterprize",
    )
    edit(
        catalog_dir,
        "bundles/low-risk-food-business.yml",
        "industry_licence: true",
        "industry_licence: 是",
    )
    code, errors = check(catalog_dir)
    assert code == 1
    assert errors == [
        "bundles/low-risk-food-business.yml:8:1: 找不到主题窗口“enterprize”。你是不是想写 enterprise？",
        "bundles/low-risk-food-business.yml:12:1: industry_licence（一业一证）应为 true 或 false，实际是“是”。请写 true 或 false。",
        "items/food-licence.yml:10:1: 找不到部门“markte”。你是不是想写 market？",
        "items/food-licence.yml:29:1: visits（到现场次数）应为整数，实际是“一次”。请填写阿拉伯数字，例如 2。提示：在 YAML 中，数字和 true/false 不要加引号。",
    ]


def test_a_key_with_its_own_error_is_not_reported_twice(catalog_dir: Path) -> None:
    edit(catalog_dir, "items/food-licence.yml", "department: market", "department: 区市场监管局")
    code, errors = check(catalog_dir)
    assert code == 1
    assert len(errors) == 1
    assert errors[0].startswith("items/food-licence.yml:10:1: department（实施主体）")


def test_typo_hint_only_for_ids_a_letter_or_two_away() -> None:
    ids = ["marriage-registration", "health", "id-card", "business-licence"]
    assert closest("helth", ids) == "health"
    assert closest("id-crad", ids) == "id-card"  # two letters swapped: one edit
    assert closest("business-license", ids) == "business-licence"
    assert closest("mortgage-registration", ids) is None  # a different item, not a typo
    assert closest("hrss", ids) is None


def test_department_name_in_place_of_its_id_names_the_id(catalog_dir: Path) -> None:
    edit(catalog_dir, "items/food-licence.yml", "department: market", "department: 区市场监管局")
    edit(
        catalog_dir,
        "bundles/low-risk-food-business.yml",
        "lead_department: market",
        "lead_department: 包头市青山区市场监督管理局",
    )
    code, errors = check(catalog_dir)
    assert code == 1
    assert errors == [
        "bundles/low-risk-food-business.yml:7:1: lead_department（牵头部门）要写部门的标识，不是名称。“包头市青山区市场监督管理局”是部门 market 的全称。你是不是想写 market？",
        "items/food-licence.yml:10:1: department（实施主体）要写部门的标识，不是名称。“区市场监管局”是部门 market 的简称。你是不是想写 market？",
    ]


def test_deleted_item_names_its_bundles_instead_of_a_look_alike(catalog_dir: Path) -> None:
    """food-licence looks a bit like business-licence, but is another item: no "did you mean"."""
    (catalog_dir / "items" / "business-licence.yml").unlink()
    code, errors = check(catalog_dir)
    assert code == 1
    assert errors == [
        "bundles/low-risk-food-business.yml:10:5: 找不到事项“business-licence”。items/ 中没有 business-licence.yml（可能已被删除或改名）。用到它的文件有 1 个：bundles/low-risk-food-business.yml。如果这个事项是有意删除的，请把它从这些文件中删掉；否则请恢复 items/business-licence.yml，或改为现有事项的标识。"
    ]


def test_unquoted_phone_number_is_shown_quoted(catalog_dir: Path) -> None:
    edit(
        catalog_dir,
        "items/food-licence.yml",
        "window: enterprise\n",
        "window: enterprise\nconsult_phone: 13800000000\n",
    )
    code, errors = check(catalog_dir)
    assert code == 1
    assert errors == [
        'items/food-licence.yml:35:1: consult_phone（咨询电话）应为一段文字，但 YAML 把它读成了数字 13800000000。电话号码要加英文引号，请写作 "13800000000"。'
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "申请书.pdf",
            None,  # a warning (below), not an error
        ),
        (
            "forms/申请书.pdf",
            "items/business-licence.yml:33:5: 空白表格“forms/申请书.pdf”应只写文件名，不带目录。请把文件放进 files/ 目录，这里只写文件名。",
        ),
        (
            "申请书.exe",
            "items/business-licence.yml:33:5: 空白表格“申请书.exe”的文件类型不能在网站上提供下载。请改为以下类型之一：.pdf、.docx、.doc、.xlsx、.xls、.odt、.ods、.jpg、.png。",
        ),
    ],
)
def test_a_blank_form_must_be_a_file_in_the_catalog(
    catalog_dir: Path, value: str, message: str
) -> None:
    edit(
        catalog_dir,
        "items/business-licence.yml",
        "blank_form: 个体工商户登记申请书.pdf",
        f"blank_form: {value}",
    )
    assert check(catalog_dir) == ((0, []) if message is None else (1, [message]))


def test_a_blank_form_missing_from_files_is_a_warning(catalog_dir: Path) -> None:
    """Warned, not refused: the page names the file without a link, and a catalog revision
    from before files/ existed (a reform baseline) still loads."""
    (catalog_dir / "files" / "个体工商户登记申请书.pdf").unlink()
    out = io.StringIO()
    assert run_check(catalog_dir, out=out) == 0
    assert (
        "items/business-licence.yml:33:5: 警告：找不到空白表格文件 files/个体工商户登记申请书.pdf，网站上只显示文件名，不能下载。"
        in out.getvalue().replace(f"{catalog_dir}/", "")
    )
