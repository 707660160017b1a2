"""The whole one-form flow in real Chromium: choose the situation → fill in → upload →
reference → status, with a refused upload on the way and axe-core on each page.

The backend runs in a thread (werkzeug ``make_server``) on a random port of 127.0.0.1.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.backend.submissions import ELF, HEALTH_RULES, pdf_bytes
from tests.browser import launched_browser, require_chromium, serious_violations, serving_wsgi

sync_api = require_chromium()


@pytest.fixture
def base_url(app) -> Iterator[str]:
    with serving_wsgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched_browser(sync_api) as browser:
        yield browser


def _no_serious_violations(page) -> None:
    assert serious_violations(page) == [], page.url


def _upload(page, key: str, name: str, content: bytes, mime: str) -> None:
    page.set_input_files(
        f'input[name="u-{key}"]', files=[{"name": name, "mimeType": mime, "buffer": content}]
    )


def test_one_form_flow_from_situation_to_status(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base_url}/apply/open-shop")
    assert page.locator("h1").inner_text() == "开小店一件事"
    _no_serious_violations(page)
    # Step 1: the bundle's own situation decides which sub-items apply (a plain GET form).
    assert page.locator('input[name="s-agent"]').count() == 0
    assert "第 1 步：请先回答" in page.content()
    page.get_by_label("是", exact=True).check()
    page.get_by_role("button", name="下一步：填写申报表").click()
    page.wait_for_load_state()  # click returns at commit: let the page load
    # Then only the situations of the sub-items that apply.
    assert page.locator('input[name="s-staff-count"]').count() == 2
    assert page.locator(".summary").count() == 0  # the next questions are not errors
    assert "第 2 步：根据您刚才的回答" in page.content()  # not "step 1 of 2" once more
    page.get_by_label("本人办理").check()
    page.get_by_label("有", exact=True).check()
    page.get_by_role("button", name="下一步：填写申报表").click()
    page.wait_for_load_state()
    assert "第 3 步（最后一步）" in page.content()
    assert page.locator('input[name="f-venue-area"]').count() == 1  # health permit applies
    _no_serious_violations(page)
    # Step 2: fill in, with a renamed executable as the required material.
    page.fill('input[name="f-applicant-name"]', "李四")
    page.fill('input[name="f-applicant-id"]', "11010519491231002X")
    page.fill('input[name="f-applicant-phone"]', "13912348765")
    page.fill('input[name="f-business-address"]', "青山区幸福路 8 号")
    page.check('input[name="f-business-scope"][value="零售"]')
    page.check('input[name="f-food-category"][value="预包装食品销售"]')
    page.fill('input[name="f-venue-area"]', "35.5")
    page.fill('input[name="f-opening-date"]', "2026-12-01")
    page.fill('input[name="f-shop-name"]', "小李便利店")
    _upload(page, HEALTH_RULES, "卫生管理制度.pdf", ELF, "application/pdf")
    page.get_by_role("button", name="提交申报").click()
    error = page.locator(f"#u-{HEALTH_RULES}-error")
    assert "可执行程序" in error.inner_text()
    assert page.input_value('input[name="f-shop-name"]') == "小李便利店"  # nothing lost
    _no_serious_violations(page)
    # The real PDF this time.
    _upload(page, HEALTH_RULES, "卫生管理制度.pdf", pdf_bytes(), "application/pdf")
    page.get_by_role("button", name="提交申报").click()
    assert page.locator("h1").inner_text() == "申报已提交"
    reference = page.locator(".reference").inner_text().strip()
    assert len(reference) == 8
    assert page.locator("tbody tr").count() == 3
    assert "区卫健委" in page.content() and "卫生管理制度（卫生管理制度.pdf）" in page.content()
    _no_serious_violations(page)
    context.close()
    # Another browser finds the status with the reference and the last 4 phone digits.
    other = browser.new_context()
    page = other.new_page()
    page.goto(f"{base_url}/apply/status/{reference}")
    assert page.locator("h1").inner_text() == "查询申报进度"
    page.fill('input[name="phone_last4"]', "0000")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert "没有找到这份申报" in page.content()
    page.fill('input[name="phone_last4"]', "8765")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert page.locator(".reference").inner_text().strip() == reference
    assert "已提交，等待受理" in page.content()
    other.close()


def test_resending_the_same_form_creates_one_submission(app, browser, base_url: str) -> None:
    """The browser's own POST, sent again byte for byte (a retry after a dropped connection)."""
    from sqlalchemy import func, select

    from forms_backend.extensions import db
    from forms_backend.submissions.models import Submission

    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/apply/open-shop?s-public-venue=no&s-agent=no&s-staff-count=none")
    page.fill('input[name="f-applicant-name"]', "李四")
    page.fill('input[name="f-applicant-id"]', "11010519491231002X")
    page.fill('input[name="f-applicant-phone"]', "13912348765")
    page.fill('input[name="f-business-address"]', "青山区幸福路 8 号")
    page.check('input[name="f-business-scope"][value="零售"]')
    page.check('input[name="f-food-category"][value="预包装食品销售"]')
    page.fill('input[name="f-shop-name"]', "小李便利店")
    with page.expect_request(lambda r: r.method == "POST") as posted:
        page.get_by_role("button", name="提交申报").click()
    page.wait_for_url("**/apply/status/*")
    first = page.url
    assert page.locator("tbody tr").count() == 2
    request = posted.value
    again = context.request.post(
        request.url,
        headers={"Content-Type": request.headers["content-type"]},
        data=request.post_data_buffer,
        max_redirects=0,
    )
    assert again.status == 303
    assert first.endswith(again.headers["location"])
    context.close()
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/apply/",
        "/apply/lookup",
        "/evaluations/",
        "/evaluations/new?channel=onsite",
        "/evaluations/new?channel=case",
        "/feedback/",
        "/feedback/lookup",
    ],
)
def test_citizen_pages_have_no_serious_accessibility_violations(browser, base_url, path) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + path)
    _no_serious_violations(page)
    context.close()


def test_refused_evaluation_and_feedback_pages_stay_accessible(browser, base_url) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/evaluations/new?channel=onsite")
    page.check('input[name="level"][value="1"]')
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state()
    assert "请填写排队号" in page.content() and "请勾选不满意的方面" in page.content()
    _no_serious_violations(page)
    page.goto(f"{base_url}/feedback/")
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()
    assert "请选择类别" in page.content()
    _no_serious_violations(page)
    context.close()


def test_site_statistics_page_shows_the_backend_figures(app, browser, base_url, tmp_path) -> None:
    """The static site's 数据统计 page reads /api/stats/evaluations across origins (CORS)."""
    import functools
    import http.server

    from site_gen.builder import build_site
    from tests.backend.fixtures import CATALOG

    client = app.test_client()
    for ticket, level in (("A001", 5), ("A002", 4), ("A003", 2)):
        body = {"channel": "onsite", "window": "enterprise", "ticket": ticket, "level": level}
        if level < 3:
            body["labels"] = ["办理时间过长"]
        assert client.post("/api/evaluations", json=body).status_code == 201
    site = tmp_path / "site"
    build_site(CATALOG, site, strict=True, quiet=True, search=False, backend_url=base_url)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[assignment]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    try:
        context = browser.new_context()
        page = context.new_page()
        app.config["SITE_ORIGIN"] = "https://somewhere-else.example"
        page.goto(f"{origin}/stats/")
        page.wait_for_load_state("networkidle")
        assert page.locator(".banshi-evaluations").is_hidden()  # CORS refused: nothing shown
        app.config["SITE_ORIGIN"] = origin
        app.extensions.pop("banshi_stats_cache", None)
        page.goto(f"{origin}/stats/")
        section = page.locator(".banshi-evaluations")
        section.wait_for(state="visible")
        assert "共收到评价 3 条，好评率 66.7%" in section.inner_text()
        row = section.locator("tbody tr").first
        assert row.locator("td").nth(0).inner_text() == "企业开办综合窗口"
        assert row.locator("td").nth(3).get_attribute("aria-label") == "4 星"
        context.close()
    finally:
        server.shutdown()
        server.server_close()


def _fill_shop(page) -> None:
    page.fill('input[name="f-applicant-name"]', "李四")
    page.fill('input[name="f-applicant-id"]', "11010519491231002X")
    page.fill('input[name="f-applicant-phone"]', "13912348765")
    page.fill('input[name="f-business-address"]', "青山区幸福路 8 号")
    page.check('input[name="f-business-scope"][value="零售"]')
    page.check('input[name="f-food-category"][value="预包装食品销售"]')
    page.fill('input[name="f-venue-area"]', "35.5")
    page.fill('input[name="f-shop-name"]', "小李便利店")


def test_page_takes_megabyte_photos_and_pdfs_and_names_an_over_limit_file(
    app, browser, base_url: str, tmp_path
) -> None:
    """Real 2–5 MB files through the page (the global 1 MB body limit does not apply); a 6 MB
    file brings the form back with everything typed and the accepted files kept by name."""
    from sqlalchemy import select

    from forms_backend.extensions import db
    from forms_backend.submissions.models import SubmissionFile
    from tests.backend.submissions import SITE_PLAN, noisy_jpeg, padded_pdf

    mb = 1024 * 1024
    photo = noisy_jpeg(int(2.3 * mb))
    health_certificates = "material-5a8c91f3"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{base_url}/apply/open-shop?s-public-venue=yes&s-agent=no&s-staff-count=some")
    assert "每个文件不超过 5 MB，合计不超过 20 MB" in page.content()
    _fill_shop(page)
    _upload(page, HEALTH_RULES, "卫生管理制度.pdf", padded_pdf(int(4.8 * mb)), "application/pdf")
    _upload(page, SITE_PLAN, "平面图.jpg", photo, "image/jpeg")
    _upload(page, health_certificates, "健康证.pdf", padded_pdf(6 * mb), "application/pdf")
    page.get_by_role("button", name="提交申报").click()
    error = page.locator(f"#u-{health_certificates}-error")
    assert "文件“健康证.pdf”有 6 MB，超过了每个文件 5 MB 的上限" in error.inner_text()
    assert page.input_value('input[name="f-shop-name"]') == "小李便利店"
    assert page.input_value('input[name="f-business-address"]') == "青山区幸福路 8 号"
    assert "卫生管理制度.pdf" in page.locator(f"#u-{HEALTH_RULES}-kept").inner_text()
    assert "平面图.jpg" in page.locator(f"#u-{SITE_PLAN}-kept").inner_text()
    page.screenshot(path=str(tmp_path / "kept-390.png"), full_page=True)
    _no_serious_violations(page)
    assert "请填写“计划开业日期”" in page.content()  # another field's error, same round
    # The date is filled in and only the refused file is chosen again, smaller this time.
    page.fill('input[name="f-opening-date"]', "2026-12-01")
    _upload(page, health_certificates, "健康证.pdf", padded_pdf(int(2.1 * mb)), "application/pdf")
    page.get_by_role("button", name="提交申报").click()
    assert page.locator("h1").inner_text() == "申报已提交", page.locator("main").inner_text()
    with app.app_context():
        stored = {f.filename: f.size for f in db.session.scalars(select(SubmissionFile))}
    assert stored == {
        "卫生管理制度.pdf": int(4.8 * mb),
        "平面图.jpg": len(photo),
        "健康证.pdf": int(2.1 * mb),
    }
    # At 390 px each case is one block: no column squeezed to a character per line.
    for cell in page.locator("tbody td:visible").all():
        assert cell.bounding_box()["width"] > 300, cell.inner_text()
    status_cell = page.locator('tbody td[data-label="状态"]').first
    label = status_cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"状态："' and status_cell.inner_text() == "待受理"
    page.screenshot(path=str(tmp_path / "status-390.png"), full_page=True)
    context.close()
