"""build.py reform: the 四减 figures recomputed from two catalog revisions whose truth is known."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from build import main
from catalog.reform import run_reform
from tests.conftest import MINIMAL_CATALOG

ITEM = """\
id: {id}
name: 改革测试事项{n}
kind: 依申请
type: 行政许可
status: 已发布
basic_code: "0002010{n:05d}"
implementation_code: 11150204MB1234567X0002010{n:05d}
department: {department}
service_object: [法人]
themes: [start-business]
legal_basis:
  - law: 《中华人民共和国行政许可法》
materials:
{materials}
process:
{steps}
time_limit: {{legal_days: 10, promised_days: {days}, case_type: 承诺件}}
visits: {visits}
visits_reason: 需要现场核验原件。
postal_delivery: true
online_depth: [咨询, 收件, 预审]
fees: []
window: enterprise
verified: 2026-10-15
"""


def item_yaml(
    n: int,
    *,
    steps: int = 5,
    exempt: int = 0,
    days: int = 5,
    visits: int = 1,
    department: str = "market",
) -> str:
    """An item with five required materials, ``exempt`` of them exempted by data sharing."""
    materials = []
    for m in range(5):
        materials.append(f"  - name: 材料{m}")
        if m < exempt:
            materials.append("    exempt: true\n    exempt_reason: 通过数据共享获取")
    materials.append("  - name: 可选材料\n    required: false")  # optional: never counted
    return ITEM.format(
        id=f"reform-{n:02d}",
        n=n,
        department=department,
        materials="\n".join(materials),
        steps="\n".join(f"  - {{name: 环节{s}}}" for s in range(steps)),
        days=days,
        visits=visits,
    )


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def write_items(catalog: Path, items: dict[int, str]) -> None:
    folder = catalog / "items"
    for old in folder.glob("reform-*.yml"):
        old.unlink()
    for n, text in items.items():
        (folder / f"reform-{n:02d}.yml").write_text(text, encoding="utf-8")


BEFORE = {n: item_yaml(n) for n in range(1, 21)}
"""20 items: 100 steps, 100 materials to bring, 100 promised days, 20 trips."""
AFTER = {
    n: item_yaml(
        n,
        steps=4 if n <= 5 else 5,  # 100 → 95 steps: −5 %
        exempt=1 if n <= 8 else 0,  # 100 → 92 materials: −8 %
        days=3 if n <= 11 else 5,  # 100 → 78 days: −22 %
        visits=0 if n <= 10 else 1,  # 20 → 10 trips: −50 %
    )
    for n in range(1, 21)
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose catalog holds only the 20 reform items, committed as v1."""
    repo = tmp_path / "repo"
    catalog = repo / "catalog_yaml"
    shutil.copytree(MINIMAL_CATALOG, catalog)
    shutil.rmtree(catalog / "bundles")
    for path in (catalog / "items").glob("*.yml"):
        path.unlink()
    write_items(catalog, BEFORE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "before", date="2026-03-01T12:00:00+08:00")
    git(repo, "tag", "v1")
    return repo


def commit_after(repo: Path, items: dict[int, str], tag: str = "v2") -> None:
    write_items(repo / "catalog_yaml", items)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "after", date="2026-09-01T12:00:00+08:00")
    git(repo, "tag", tag)


def report_json(repo: Path, base: str, head: str | None = "v2") -> dict:
    out, err = io.StringIO(), io.StringIO()
    code = run_reform(base, head, repo / "catalog_yaml", output="json", out=out, err=err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def test_reform_recomputes_the_reductions_the_seed_reports(repo: Path) -> None:
    commit_after(repo, AFTER)
    overall = report_json(repo, "v1")["overall"]
    assert overall["items"] == 20
    assert overall["steps"] == {"before": 100, "after": 95, "reduction_percent": 5.0}
    assert overall["materials"] == {"before": 100, "after": 92, "reduction_percent": 8.0}
    assert overall["days"] == {"before": 100, "after": 78, "reduction_percent": 22.0}
    assert overall["trips"] == {"before": 20, "after": 10, "reduction_percent": 50.0}
    assert overall["at_most_one_trip_percent"] == {"before": 100.0, "after": 100.0}
    assert overall["zero_trips_percent"] == {"before": 0.0, "after": 50.0}


def test_an_item_added_in_head_does_not_change_the_percentages(repo: Path) -> None:
    commit_after(repo, AFTER)
    without = report_json(repo, "v1")
    commit_after(repo, {**AFTER, 21: item_yaml(21, steps=30, days=9, visits=3)}, tag="v3")
    with_new = report_json(repo, "v1", "v3")
    assert with_new["overall"] == without["overall"]
    assert with_new["added_items"] == [{"id": "reform-21", "name": "改革测试事项21"}]
    assert with_new["removed_items"] == []


def test_an_item_no_longer_published_is_listed_apart(repo: Path) -> None:
    after = dict(AFTER)
    after[20] = after[20].replace("status: 已发布", "status: 已编制")
    commit_after(repo, after)
    report = report_json(repo, "v1")
    assert report["removed_items"] == [{"id": "reform-20", "name": "改革测试事项20"}]
    assert report["overall"]["items"] == 19
    assert report["overall"]["steps"]["before"] == 95  # item 20's five steps left out


def test_reform_breaks_the_figures_down_by_department_theme_and_kind(repo: Path) -> None:
    after = dict(AFTER)
    for n in (19, 20):  # unchanged items, moved to another department
        after[n] = item_yaml(n, department="public-security")
    commit_after(repo, after)
    report = report_json(repo, "v1")
    departments = report["by_department"]
    assert set(departments) == {"区市场监管局", "青山公安分局"}
    assert departments["青山公安分局"]["steps"]["reduction_percent"] == 0.0
    assert departments["区市场监管局"]["items"] == 18
    assert departments["区市场监管局"]["days"] == {
        "before": 90,
        "after": 68,
        "reduction_percent": 24.4,
    }
    assert list(report["by_kind"]) == ["依申请"]
    assert report["by_theme"]["开办企业"]["items"] == 20


def test_reform_takes_dates_and_prints_chinese_markdown(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commit_after(repo, AFTER)
    code = main(["reform", "2026-06-30", "2026-12-01", "--catalog", str(repo / "catalog_yaml")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("## 改革成效：2026-06-30 → 2026-12-01\n")
    assert "| 办理环节（合计） | 100 个 | 95 个 | 5.0% |" in out
    assert "| 申请材料（合计） | 100 份 | 92 份 | 8.0% |" in out
    assert "| 承诺时限（合计） | 100 个工作日 | 78 个工作日 | 22.0% |" in out


def test_a_date_before_the_first_commit_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["reform", "2020-01-01", "--catalog", str(repo / "catalog_yaml")])
    assert code == 2
    assert capsys.readouterr().err.startswith(
        "build.py reform: 用法错误：2020-01-01 当天或之前没有提交"
    )


def test_statistics_page_and_open_data_show_the_reform_against_the_baseline(repo: Path) -> None:
    from catalog import load_catalog
    from site_gen.pages.opendata import stats_json
    from site_gen.pages.stats import render_stats
    from site_gen.reform import reform_report
    from site_gen.site import Site

    commit_after(repo, AFTER)
    settings = repo / "catalog_yaml" / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "reform_baseline: v1\n", "utf-8")
    catalog = load_catalog(repo / "catalog_yaml")
    site = Site.full(catalog, reform=reform_report(catalog))
    page = render_stats(site, "../")
    assert "## 改革成效 {#reform}" in page
    assert "与2026年3月1日的事项目录相比，两个版本都已发布的 20 个事项" in page
    assert (
        '<desc id="chart-reform-d">办理环节 5.0%；申请材料 8.0%；承诺时限 22.0%；跑动次数 50.0%</desc>'
        in page
    )
    assert (
        '<tr><th scope="row">承诺时限（个工作日）</th><td>100 → 78</td><td>22.0%</td></tr>' in page
    )
    data = json.loads(stats_json(site))
    assert data["reform"]["overall"]["materials"]["reduction_percent"] == 8.0
    assert data["catalog"]["items"] == 20


def test_statistics_page_leaves_the_section_out_when_the_baseline_is_unknown(
    repo: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from catalog import load_catalog
    from site_gen.reform import reform_report

    settings = repo / "catalog_yaml" / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "reform_baseline: v9\n", "utf-8")
    with caplog.at_level("WARNING", logger="banshi.site"):
        assert reform_report(load_catalog(repo / "catalog_yaml")) is None
    assert "settings.yml 的 reform_baseline：找不到修订版本“v9”" in caplog.text
