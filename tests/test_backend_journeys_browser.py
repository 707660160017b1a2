"""Two day-one journeys in real Chromium against a live server, each step checked by what its
user sees: a citizen books at phone width, staff check them in and finish at 1280 px, the citizen
evaluates; and a bundle application with uploads is returned for correction, corrected, and
concluded. Screenshots go to ``BANSHI_SCREENSHOTS`` (a folder) when set, else to tmp_path."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.backend.fixtures import person
from tests.backend.submissions import noisy_jpeg, padded_pdf
from tests.browser import require_chromium, serious_violations
from tests.conftest import SAMPLE_CATALOG

sync_api = require_chromium()
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
MB = 1024 * 1024
PASSWORD = "correct horse battery"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BANSHI_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sign_in(browser, backend_url: str, username: str):
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    page.goto(f"{backend_url}/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    assert "/staff/login" not in page.url, page.locator("main").inner_text()
    return context, page


def _readable_table(page) -> None:
    """At 1280 px no column is squeezed: every header on one line, every cell at least
    three characters wide."""
    page.wait_for_load_state()
    for header in page.locator("main table th").all():
        lines = header.evaluate(
            "th => { const r = document.createRange(); r.selectNodeContents(th);"
            " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"
        )
        assert lines == 1, f"header “{header.inner_text()}” wraps onto {lines} lines"
    font = float(
        page.locator("main table").evaluate("t => parseFloat(getComputedStyle(t).fontSize)")
    )
    for cell in page.locator("main table td:visible").all():
        if cell.inner_text().strip():
            assert cell.bounding_box()["width"] >= 3 * font, cell.inner_text()


def _sees(page, text: str) -> None:
    """The page shows ``text`` (waits for the page a click has opened to finish loading)."""
    sync_api.expect(page.locator("body")).to_contain_text(text, timeout=30_000)


def _elder(page, on: bool) -> None:
    """Switch 长辈版 the way the header's switch remembers it, and reload."""
    page.evaluate(f"localStorage.setItem('banshi-elder', '{1 if on else 0}')")
    page.reload()


def _no_serious_violations(page) -> None:
    assert serious_violations(page) == [], page.url


def test_booking_check_in_served_and_evaluation(
    app, clock, staff, backend_browser, backend_url, shots
):
    staff.create("window1", windows="enterprise")
    citizen = backend_browser.new_context(viewport=PHONE)
    page = citizen.new_page()
    page.goto(f"{backend_url}/bookings/new?item=business-licence&kind=appointment")
    assert page.locator("h1").inner_text() == "预约办理：个体工商户设立登记"
    page.get_by_role("link", name=re.compile("11月26日 周四")).click()
    page.get_by_label(re.compile("09:30–10:00")).check()
    someone = person(name="赵敏", phone="13812340426")
    page.get_by_label("姓名").fill(someone["name"])
    page.get_by_label("身份证号").fill(someone["id_number"])
    page.get_by_label("手机号").fill(someone["phone"])
    page.get_by_role("button", name="确认预约").click()
    assert page.locator("h1").inner_text() == "预约成功"
    reference = page.locator(".reference").inner_text()
    _sees(page, "2026年11月26日 周四 09:30–10:00")
    assert (
        "待办理" in page.locator("dl.facts").inner_text()
        or "已预约" in page.locator("dl.facts").inner_text()
    )
    page.screenshot(path=str(shots / "a1-booked-390.png"), full_page=True)
    booking_url = page.url

    clock.set("2026-11-26T09:35:00+08:00")  # the morning of the appointment
    desk, counter = _sign_in(backend_browser, backend_url, "window1")
    counter.goto(f"{backend_url}/staff/?window=enterprise&date=2026-11-26")
    row = counter.locator("tr", has_text=reference)
    assert "赵敏" in row.inner_text() and "已预约" in row.inner_text()
    assert "138****0426" in row.inner_text()
    _readable_table(counter)
    counter.screenshot(path=str(shots / "a2-day-1280.png"), full_page=True)
    row.get_by_role("button", name="签到").click()
    row = counter.locator("tr", has_text=reference)
    assert "已签到" in row.inner_text()
    assert row.get_by_role("button", name="签到").count() == 0
    row.get_by_role("button", name="办结").click()
    row = counter.locator("tr", has_text=reference)
    assert "已办理" in row.inner_text()
    counter.screenshot(path=str(shots / "a3-served-1280.png"), full_page=True)

    page.goto(booking_url)
    assert page.locator("h1").inner_text() == "预约详情"
    assert "已办理" in page.locator("dl.facts").inner_text()
    assert "请携带以下材料" not in page.content()
    page.get_by_role("link", name="评价这次办理（好差评）").click()
    assert page.get_by_label("预约号").input_value() == reference
    page.get_by_label("手机号后 4 位").fill("0426")
    page.get_by_role("radio", name=re.compile(r"^非常满意")).check()
    page.get_by_label("具体意见").fill("窗口工作人员讲解清楚，十分钟就办完了。")
    page.get_by_role("button", name="提交评价").click()
    assert page.locator("h1").inner_text() == "您的评价"
    _sees(page, "感谢您的评价")
    assert "非常满意" in page.locator("dl.facts").inner_text()
    _no_serious_violations(page)
    page.screenshot(path=str(shots / "a4-evaluated-390.png"), full_page=True)

    counter.goto(f"{backend_url}/staff/evaluations/")
    listed = counter.locator("main table").inner_text()
    assert "非常满意" in listed and "企业开办综合窗口" in listed
    citizen.close()
    desk.close()


RESTAURANT_ROUND_1 = {"以什么形式经营？": "个体工商户", "是否在店外设置门头招牌？": "是"}
PLEDGE = "公众聚集场所投入使用、营业消防安全告知承诺书"
FOOD_RULES = "食品安全管理制度"


@pytest.fixture
def backend_config(backend_config):
    """The shipped catalog (开办餐饮店一件事), as citizens and staff meet it."""
    return {**backend_config, "CATALOG_PATH": str(SAMPLE_CATALOG)}


def _choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def _fill(page, label: str, value: str) -> None:
    """The text box of a field by its label (required ones end in " *")."""
    page.get_by_role("textbox", name=re.compile(f"^{re.escape(label)}( \\*)?$")).fill(value)


def _upload(page, label: str, name: str, content: bytes, mime: str) -> None:
    page.get_by_label(re.compile(f"^{re.escape(label)}")).set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}]
    )


def _act_on(staff_page, backend_url: str, reference: str, item_name: str, button: str, reason=""):
    staff_page.goto(f"{backend_url}/staff/submissions/")
    staff_page.locator("tr", has_text=item_name).filter(has_text=reference).get_by_role(
        "link", name=reference
    ).click()
    assert item_name in staff_page.locator("h1").inner_text()
    if reason:
        form = staff_page.locator("form", has=staff_page.get_by_role("button", name=button))
        form.get_by_role("textbox").fill(reason)
    staff_page.get_by_role("button", name=button, exact=True).click()
    _sees(staff_page, f"{reference}（{item_name}）已{button}。")


def test_bundle_application_correction_and_conclusion(
    app, staff, backend_browser, backend_url, shots
):
    staff.create("boss", role="admin")
    citizen = backend_browser.new_context(viewport=PHONE)
    page = citizen.new_page()
    page.goto(f"{backend_url}/apply/open-restaurant")
    assert page.locator("h1").inner_text() == "开办餐饮店一件事"
    _sees(page, "第 1 步")
    _choose(page, "以什么形式经营？", "个体工商户")
    _choose(
        page, "店内是否设有供顾客就餐的堂食区域？", "有堂食（属于公众聚集场所，需消防安全检查）"
    )
    _choose(page, "是否在店外设置门头招牌？", "是")
    page.get_by_role("button", name="下一步：填写申报表").click()
    _sees(page, "第 2 步")
    _choose(page, "是否委托他人代办？", "本人办理")
    _choose(page, "经营场所是自有房屋还是租赁房屋？", "租赁房屋")
    _choose(page, "是否制售热食类食品？", "是（如炒菜、面食、火锅）")
    _choose(page, "是否选择告知承诺方式办理？", "选择告知承诺（当场许可，事后核查）")
    page.get_by_role("button", name="下一步：填写申报表").click()
    _sees(page, "第 3 步（最后一步）")
    # What the applicant sees: the individual's own name field, paper to bring, one 设计效果图.
    assert page.get_by_label("个体工商户名称").count() == 1
    assert page.get_by_label(re.compile("^企业名称")).count() == 0
    paper = page.locator("ul.paper").inner_text()
    assert PLEDGE in paper and "在窗口现场签署" in paper
    assert page.get_by_label(re.compile("^设计效果图")).count() == 1
    _fill(page, "经营者姓名", "王五")
    _fill(page, "经营者身份证号", person()["id_number"])
    _fill(page, "联系电话", "13900002468")
    _fill(page, "个体工商户名称", "王记面馆")
    _fill(page, "经营场所", "青山区钢铁大街 12 号")
    _choose(page, "主要经营范围", "餐饮服务")
    _choose(page, "经营项目", "热食类食品制售")
    _fill(page, "食品安全管理人员姓名", "王五")
    _fill(page, "场所建筑面积（平方米）", "80")
    _fill(page, "招牌尺寸（长×高，米）", "4×0.8")
    _upload(page, "设计效果图", "门头效果图.jpg", noisy_jpeg(int(2.3 * MB)), "image/jpeg")
    _upload(page, FOOD_RULES, "管理制度.pdf", padded_pdf(int(2.1 * MB)), "application/pdf")
    _no_serious_violations(page)
    page.screenshot(path=str(shots / "b1-form-390.png"), full_page=True)
    page.get_by_role("button", name="提交申报").click()
    assert page.locator("h1").inner_text() == "申报已提交", page.locator("main").inner_text()
    reference = page.locator(".reference").inner_text()
    cases = page.locator("tbody tr")
    assert cases.count() == 4
    assert "待受理" in cases.first.inner_text()
    assert PLEDGE in page.locator("ul.paper").inner_text()
    status_url = page.url
    page.screenshot(path=str(shots / "b2-status-390.png"), full_page=True)
    _elder(page, True)  # 长辈版: larger text, the cases and the paper list still fit the phone
    assert page.evaluate("document.documentElement.hasAttribute('data-elder')")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "b2-status-390-elder.png"), full_page=True)
    _elder(page, False)

    desk, office = _sign_in(backend_browser, backend_url, "boss")
    office.goto(f"{backend_url}/staff/submissions/")
    assert office.locator("tr", has_text=reference).count() == 4
    _readable_table(office)
    office.screenshot(path=str(shots / "b3-cases-1280.png"), full_page=True)
    reason = "食品安全管理制度缺少从业人员健康管理和进货查验记录两项，请补充后重新上传。"
    _act_on(office, backend_url, reference, "食品经营许可（低风险）", "退回补正", reason)
    _readable_table(office)  # the case's 办理记录
    _no_serious_violations(office)  # the 不予受理 and 改派 forms included
    office.screenshot(path=str(shots / "b4-returned-1280.png"), full_page=True)

    page.goto(status_url)
    assert "需要补正材料" in page.locator("dl.facts").inner_text()
    food = page.locator("tbody tr", has_text="食品经营许可（低风险）")
    assert reason in food.inner_text() and "退回补正" in food.inner_text()
    correction = page.locator("form", has=page.get_by_role("button", name="提交补正"))
    offered = correction.locator('input[type="file"]')
    labels = [
        correction.locator(f'label[for="{i.get_attribute("id")}"]').inner_text()
        for i in offered.all()
    ]
    assert FOOD_RULES in labels and not any("设计效果图" in label for label in labels), labels
    page.get_by_label("补正说明").fill("已补充健康管理和进货查验记录。")
    _upload(page, FOOD_RULES, "管理制度（补正）.pdf", padded_pdf(int(2.4 * MB)), "application/pdf")
    page.get_by_role("button", name="提交补正").click()
    _sees(page, "补正已提交")
    assert "已提交，等待受理" in page.locator("dl.facts").inner_text()
    assert "补正：食品安全管理制度（管理制度（补正）.pdf）" in page.locator("dl.facts").inner_text()
    page.screenshot(path=str(shots / "b5-corrected-390.png"), full_page=True)

    for item_name in (
        "个体工商户设立登记",
        "食品经营许可（低风险）",
        "公众聚集场所投入使用、营业前消防安全检查",
        "户外广告和门头招牌设置审批",
    ):
        _act_on(office, backend_url, reference, item_name, "受理")
        office.get_by_role("button", name="办结", exact=True).click()
        _sees(office, f"{reference}（{item_name}）已办结。")
    office.goto(f"{backend_url}/staff/audit/?subject={reference}")
    log = office.locator("main table").inner_text()
    assert "退回补正" in log and "申请人补正" in log and "办结" in log
    assert "case." not in log
    _readable_table(office)
    office.screenshot(path=str(shots / "b6-audit-1280.png"), full_page=True)

    page.goto(status_url)
    assert page.locator("h1").inner_text() == "申报进度"
    assert "已办结" in page.locator("dl.facts").inner_text()
    for row in page.locator("tbody tr").all():
        assert "已办结" in row.inner_text() and "评价这个办件" in row.inner_text()
    assert page.locator("ul.paper").count() == 0  # nothing more to bring
    _no_serious_violations(page)
    page.screenshot(path=str(shots / "b7-concluded-390.png"), full_page=True)
    citizen.close()
    desk.close()
