"""``build.py diff``: the reviewer's Markdown for a catalog pull request.

A throwaway git repository is built from the minimal catalog, changed the way editors change
it (a renamed file, new and removed items, publishing, hours, calendar, a bundle's sub-items),
and the printed Markdown is compared with a golden file reviewed by hand.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import build
from catalog import load_catalog
from catalog.diff import compare, render, run_diff

MINIMAL_CATALOG = Path(__file__).resolve().parent / "data" / "minimal_catalog"
GOLDEN = Path(__file__).resolve().parent / "data" / "editors_diff" / "expected.md"


@pytest.fixture(autouse=True)
def _git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits in the throwaway repositories never depend on the machine's git settings."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Editor")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "editor@example.org")
        monkeypatch.setenv(f"GIT_{who}_DATE", "2026-11-25T10:00:00+08:00")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def derived_item(catalog: Path, item_id: str, replacements: dict[str, str]) -> None:
    """A new item file written from food-licence.yml with some lines replaced."""
    text = (catalog / "items" / "food-licence.yml").read_text(encoding="utf-8")
    for old, new in {"id: food-licence": f"id: {item_id}", **replacements}.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    (catalog / "items" / f"{item_id}.yml").write_text(text, encoding="utf-8")


def commit(repo: Path, tag: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A catalog repository with two tagged revisions, v1 and v2."""
    repo = tmp_path / "catalog-repo"
    catalog = repo / "catalog_yaml"
    shutil.copytree(MINIMAL_CATALOG, catalog)
    git(repo, "init", "-q", "-b", "main")
    derived_item(
        catalog,
        "clinic-filing",
        {
            "name: 食品经营许可（低风险）": "name: 诊所备案",
            "status: 已发布": "status: 已编制",
            "MB1234567X000201002000": "MB1234567X000301001000",
            "department: market": "department: health",
            "window: enterprise": "window: social-affairs",
        },
    )
    derived_item(
        catalog,
        "food-notice",
        {
            "name: 食品经营许可（低风险）": "name: 食品经营告知承诺",
            "MB1234567X000201002000": "MB1234567X000201009000",
        },
    )
    commit(repo, "v1")

    items = catalog / "items"
    # A renamed file: same implementation code, new id; the bundle follows.
    git(repo, "mv", "catalog_yaml/items/business-licence.yml", "catalog_yaml/items/sole-trader.yml")
    edit(items / "sole-trader.yml", "id: business-licence", "id: sole-trader")
    edit(
        catalog / "bundles" / "low-risk-food-business.yml",
        "item: business-licence",
        "item: sole-trader",
    )
    # Faster, online, a fee, different materials.
    food = items / "food-licence.yml"
    edit(food, "promised_days: 1", "promised_days: 3")
    edit(food, "visits: 1\nvisits_reason: 低风险食品经营场所需现场核查。\n", "visits: 0\n")
    edit(
        food,
        "online_depth: [咨询, 收件, 预审]",
        "online_depth: [咨询, 收件, 预审, 受理, 办理, 结果反馈]",
    )
    edit(food, "fees: []", "fees:\n  - {name: 工本费, amount_yuan: 10}")
    edit(food, "  - name: 食品经营许可申请书\n", "  - name: 食品经营许可申请书\n    copies: 2\n")
    edit(food, "  - name: 食品安全管理制度\n", "  - name: 从业人员健康证明\n    form: 复印件\n")
    # Published, removed, added.
    edit(items / "clinic-filing.yml", "status: 已编制", "status: 已发布")
    (items / "food-notice.yml").unlink()
    derived_item(
        catalog,
        "health-certificate",
        {
            "name: 食品经营许可（低风险）": "name: 健康证明办理",
            "status: 已发布": "status: 已认领",
            "MB1234567X000201002000": "MB1234567X000301002000",
        },
    )
    # The bundle takes in the clinic filing.
    edit(
        catalog / "bundles" / "low-risk-food-business.yml",
        "  - item: food-licence\n",
        "  - item: food-licence\n  - item: clinic-filing\nsupporting_departments: [health]\n",
    )
    # A new bundle: what it combines and what it merges are shown to the reviewer.
    (catalog / "bundles" / "clinic-and-food.yml").write_text(
        "id: clinic-and-food\n"
        "name: 诊所附设食品销售一件事\n"
        "audience: 法人\n"
        "summary: 诊所备案和食品经营许可一次申请。\n"
        "lead_department: health\n"
        "supporting_departments: [market]\n"
        "window: enterprise\n"
        "situations:\n"
        "  - id: sells-food\n"
        "    question: 是否销售预包装食品？\n"
        "    options: [{id: 'yes', label: 是}, {id: 'no', label: 否}]\n"
        "sub_items:\n"
        "  - item: clinic-filing\n"
        "  - item: food-licence\n"
        "    when: {sells-food: ['yes']}\n",
        encoding="utf-8",
    )
    # Hours and calendar.
    edit(
        catalog / "places.yml",
        '- {start: "09:00", end: "12:00"}\n      - {start: "13:30"',
        '- {start: "08:30", end: "12:00"}\n      - {start: "13:30"',
    )
    edit(catalog / "places.yml", '    weekend:\n      - {start: "09:00", end: "12:00"}\n', "")
    edit(
        catalog / "calendar.yml",
        "holidays: []",
        "holidays:\n  - {date: 2027-10-08, name: 国庆节（本区调整）}",
    )
    commit(repo, "v2")
    return repo


def run(repo: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    base, *rest = args
    head = rest[0] if rest else None
    code = run_diff(base, head, repo / "catalog_yaml", out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_diff_between_revisions_matches_golden_markdown(repo: Path) -> None:
    code, out, err = run(repo, "v1", "v2")
    assert (code, err) == (0, "")
    if os.environ.get("BANSHI_UPDATE_GOLDEN"):  # regenerate, then review the file by hand
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_renamed_item_is_not_reported_as_removed_and_added(repo: Path) -> None:
    code, out, _ = run(repo, "v1", "v2")
    assert code == 0
    assert "sole-trader" in out
    assert "个体工商户设立登记" not in out.split("#### 删除事项")[-1].split("####")[0]
    assert "新增事项（1）" in out and "删除事项（1）" in out


def test_working_tree_is_head_by_default(repo: Path) -> None:
    edit(
        repo / "catalog_yaml" / "items" / "food-licence.yml", "promised_days: 3", "promised_days: 2"
    )
    code, out, _ = run(repo, "v2")
    assert code == 0
    assert "## 事项目录变更：`v2` → `工作区`" in out
    assert "承诺办结时限：3 个工作日 → 2 个工作日" in out


def test_same_revision_reports_no_change(repo: Path) -> None:
    code, out, _ = run(repo, "v2", "v2")
    assert code == 0
    assert "两个版本的事项目录内容相同" in out


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    code, out, err = run(repo, "v9", "v2")
    assert (code, out) == (2, "")
    assert err.startswith("build.py diff: 用法错误：找不到修订版本“v9”。")


def test_invalid_catalog_at_a_revision_prints_its_problems(repo: Path) -> None:
    edit(repo / "catalog_yaml" / "items" / "food-licence.yml", "kind: 依申请", "kind: 依申请事项")
    commit(repo, "v3")
    code, out, err = run(repo, "v2", "v3")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "v3 的事项目录有错误，无法比较：",
        "v3:catalog_yaml/items/food-licence.yml:5:1: kind（事项类别）的值“依申请事项”不是允许的取值。应为以下之一：公共服务、依申请、依职权。",
    ]


def test_catalog_outside_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL_CATALOG, tmp_path / "catalog")
    err = io.StringIO()
    code = run_diff("HEAD", None, tmp_path / "catalog", out=io.StringIO(), err=err)
    assert code == 2
    assert "不在 git 仓库中" in err.getvalue()


def test_cli_parses_base_head_and_catalog(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = build.main(["diff", "v1", "v2", "--catalog", str(repo / "catalog_yaml")])
    assert code == 0
    assert capsys.readouterr().out == GOLDEN.read_text(encoding="utf-8")


def test_cli_without_base_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build.main(["diff"])
    assert exit_info.value.code == 2
    assert "用法错误" in capsys.readouterr().err


def test_unpublishing_an_item_is_listed_as_withdrawn(catalog_dir: Path, tmp_path: Path) -> None:
    old = load_catalog(catalog_dir)
    other = tmp_path / "other"
    shutil.copytree(catalog_dir, other)
    edit(
        other / "bundles" / "low-risk-food-business.yml",
        "industry_licence: true",
        "published: false\nindustry_licence: true",
    )
    edit(other / "items" / "food-licence.yml", "status: 已发布", "status: 已编制")
    text = render(compare(old, load_catalog(other)), "a", "b")
    assert (
        "- **食品经营许可（低风险）**（`food-licence`）：已发布 → 已编制，将从网站上撤下。" in text
    )
    assert (
        "- **低风险食品经营一业一证**（`low-risk-food-business`）：已发布 → 未发布，将从网站上撤下。"
        in text
    )
    assert "概要：事项撤下 1 个；一件事撤下 1 个。" in text


def test_head_revision_ignores_uncommitted_edits(repo: Path) -> None:
    """HEAD given explicitly means the commit, even when the working tree has edits."""
    edit(
        repo / "catalog_yaml" / "items" / "food-licence.yml", "promised_days: 3", "promised_days: 2"
    )
    code, out, _ = run(repo, "v1", "v2")
    assert code == 0
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_older_head_revision_is_read_from_git(repo: Path) -> None:
    edit(
        repo / "catalog_yaml" / "items" / "food-licence.yml", "promised_days: 3", "promised_days: 2"
    )
    commit(repo, "v3")
    code, out, _ = run(repo, "v1", "v2")
    assert code == 0
    assert out == GOLDEN.read_text(encoding="utf-8")
    code, out, _ = run(repo, "v2", "v3")
    assert "承诺办结时限：3 个工作日 → 2 个工作日" in out


def test_revision_without_the_catalog_folder_is_reported(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-r", "-q", "--cached", ".")
    (repo / "README.md").write_text("空仓库\n", encoding="utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "empty")
    git(repo, "tag", "empty")
    code, out, err = run(repo, "empty", "v2")
    assert (code, out) == (1, "")
    assert err == (
        "build.py diff: 修订版本“empty”中没有事项目录 catalog_yaml/，无法比较。"
        "请检查 --catalog 和修订版本是否写对。\n"
    )


def test_working_tree_problems_are_shown_relative_to_the_current_folder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo / "catalog_yaml" / "items" / "food-licence.yml", "kind: 依申请", "kind: 依申请事项")
    monkeypatch.chdir(repo)
    code, out, err = run(repo, "v2")
    assert (code, out) == (1, "")
    assert err.splitlines()[1].startswith(
        "catalog_yaml/items/food-licence.yml:5:1: kind（事项类别）"
    )


def test_review_page_shows_the_golden_comment_verbatim() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "editors" / "review.md").read_text(
        encoding="utf-8"
    )
    shown = page.split("<!-- test: diff-example -->\n````markdown\n", 1)[1].split("````", 1)[0]
    assert shown == GOLDEN.read_text(encoding="utf-8")


def test_symbolic_link_in_a_revision_is_not_followed(repo: Path, tmp_path: Path) -> None:
    """A revision cannot make the diff read a file outside its own catalog folder."""
    secret = tmp_path / "secret.yml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    (repo / "catalog_yaml" / "items" / "leak.yml").symlink_to(secret)
    commit(repo, "v3")
    code, out, err = run(repo, "v3", "v2")
    assert (code, out) == (1, "")
    assert "hunter2" not in err and "password" not in err
    assert err.splitlines()[1].startswith("v3:catalog_yaml/items/leak.yml:1:1: 文件内容应为一组")
