"""Editors' tooling: VS Code schema wiring, the catalog CI workflows and the pre-commit hooks."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import jsonschema
import pytest
import yaml

import build
from catalog.diff import MARKER
from catalog.schema import SCHEMA_DIR, schemas, stale_schemas

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog_yaml"
MINIMAL = ROOT / "tests" / "data" / "minimal_catalog"
SETTINGS = ROOT / ".vscode" / "settings.json"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<schema>\S+)$")
WORKFLOWS = [
    ROOT / ".github" / "workflows" / "catalog.yml",
    ROOT / "docs" / "editors" / "catalog-workflow.yml",
]
PRE_COMMIT = [
    ROOT / ".pre-commit-config.yaml",
    ROOT / "docs" / "editors" / "pre-commit-config.yaml",
]


def schema_map() -> dict[str, list[str]]:
    return json.loads(SETTINGS.read_text(encoding="utf-8"))["yaml.schemas"]


def catalog_files() -> list[Path]:
    return sorted(p for p in CATALOG.rglob("*.yml") if SCHEMA_DIR not in p.parts)


def test_vscode_maps_every_schema_file() -> None:
    mapped = {PurePosixPath(path).name for path in schema_map()}
    assert mapped == set(schemas())
    for path, globs in schema_map().items():
        assert (ROOT / path).is_file(), path
        # yaml-language-server reads a leading "/" as the workspace root
        assert all(glob.startswith("/catalog_yaml/") for glob in globs), globs


def test_vscode_globs_give_each_catalog_file_the_schema_its_first_line_names() -> None:
    for path in catalog_files():
        relative = path.relative_to(ROOT).as_posix()
        matched = [
            schema
            for schema, globs in schema_map().items()
            if any(PurePosixPath(relative).match(glob.removeprefix("/")) for glob in globs)
        ]
        assert len(matched) == 1, relative
        first = path.read_text(encoding="utf-8").splitlines()[0]
        modeline = MODELINE.match(first)
        assert modeline, f"{relative} must start with the yaml-language-server line"
        from_modeline = (path.parent / modeline["schema"]).resolve()
        assert from_modeline == (ROOT / matched[0]).resolve(), relative


def test_vscode_recommends_the_yaml_extension_and_spaces() -> None:
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
    yaml_settings = json.loads(SETTINGS.read_text(encoding="utf-8"))["[yaml]"]
    assert yaml_settings["editor.insertSpaces"] is True
    assert yaml_settings["editor.tabSize"] == 2


def test_shipped_schemas_match_the_models() -> None:
    """Stale schemas would autocomplete fields that check rejects."""
    assert stale_schemas(CATALOG) == [], "run python build.py check --write-schema"


def test_schema_suggests_enum_values_and_required_fields() -> None:
    item = json.loads((CATALOG / SCHEMA_DIR / "item.schema.json").read_text(encoding="utf-8"))
    assert "kind" in item["required"] and "verified" in item["required"]
    assert item["properties"]["kind"]["$ref"] == "#/$defs/Kind"
    assert item["$defs"]["Kind"]["enum"] == ["公共服务", "依申请", "依职权"]
    assert item["additionalProperties"] is False
    assert item["properties"]["visits"]["description"]


# ---------------------------------------------------------------- CI and pre-commit commands


def build_commands(text: str) -> list[list[str]]:
    """Every ``python [path/]build.py ...`` command in a workflow or hook, as argv after build.py."""
    commands = []
    for line in text.splitlines():
        match = re.search(r"python (?:\S*/)?build\.py (?P<args>[^>\n]*)", line)
        if match:
            args = (
                match["args"]
                .replace("$GITHUB_BASE_REF", "main")
                .replace("$CATALOG", "catalog_yaml")
            )
            commands.append(shlex.split(args))
    return commands


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_runs_check_diff_and_strict_build(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    (job,) = workflow["jobs"].values()
    names = [step.get("name", step.get("uses")) for step in job["steps"]]
    assert any("检查事项目录" in str(n) for n in names)
    commands = build_commands(text)
    verbs = [c[0] for c in commands]
    assert {"check", "diff", "build"} <= set(verbs)
    assert ["build", "--strict"] == [c for c in commands if c[0] == "build"][0][:2]
    for argv in commands:
        build.make_parser().parse_args(argv)  # exits 2 on an unknown option
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0, "diff needs the base branch's history"
    assert MARKER in text, "the comment step must find its earlier comment by the diff's marker"
    assert job["steps"][-1]["run"].startswith(
        ("python build.py build", "python .banshi/build.py build")
    )


@pytest.mark.parametrize("path", PRE_COMMIT, ids=lambda p: p.parent.name + "/" + p.name)
def test_pre_commit_runs_check_only_for_catalog_changes(path: Path) -> None:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    check = next(h for h in hooks if h["id"] == "banshi-check")
    argv = shlex.split(check["entry"])
    assert argv[0] == "python" and argv[1].endswith("build.py")
    build.make_parser().parse_args(argv[2:])
    assert argv[2] == "check"
    files = re.compile(check["files"])
    assert files.search("catalog_yaml/items/food-licence.yml")
    assert not files.search("README.md")
    assert check["pass_filenames"] is False, "check needs the whole catalog for references"


# ---------------------------------------------------------------- pre-commit, really run


def pre_commit(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def catalog_repo(tmp_path: Path) -> Path:
    """A catalog repository as the guide describes it: catalog_yaml/, banshi at .banshi/."""
    repo = tmp_path / "catalog-repo"
    shutil.copytree(MINIMAL, repo / "catalog_yaml")
    (repo / ".banshi").symlink_to(ROOT)
    (repo / ".gitignore").write_text(".banshi/\n", encoding="utf-8")
    (repo / "README.md").write_text("目录仓库\n", encoding="utf-8")
    shutil.copy(
        ROOT / "docs" / "editors" / "pre-commit-config.yaml", repo / ".pre-commit-config.yaml"
    )
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    return repo


def test_pre_commit_hook_passes_a_valid_catalog(catalog_repo: Path, tmp_path: Path) -> None:
    done = pre_commit(
        catalog_repo, tmp_path, "run", "--files", "catalog_yaml/items/food-licence.yml"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_pre_commit_hook_stops_a_broken_catalog_with_the_check_message(
    catalog_repo: Path, tmp_path: Path
) -> None:
    item = catalog_repo / "catalog_yaml" / "items" / "food-licence.yml"
    item.write_text(
        item.read_text(encoding="utf-8").replace("kind: 依申请", "kind: 依申请事项"), "utf-8"
    )
    done = pre_commit(
        catalog_repo, tmp_path, "run", "--files", "catalog_yaml/items/food-licence.yml"
    )
    assert done.returncode == 1
    assert "Failed" in done.stdout
    assert (
        "catalog_yaml/items/food-licence.yml:5:1: kind（事项类别）的值“依申请事项”不是允许的取值。"
        in done.stdout
    )


def test_pre_commit_hook_skips_commits_without_catalog_files(
    catalog_repo: Path, tmp_path: Path
) -> None:
    item = catalog_repo / "catalog_yaml" / "items" / "food-licence.yml"
    item.write_text(
        item.read_text(encoding="utf-8").replace("kind: 依申请", "kind: 依申请事项"), "utf-8"
    )
    done = pre_commit(catalog_repo, tmp_path, "run", "--files", "README.md")
    assert done.returncode == 0
    assert "Skipped" in done.stdout


def test_banshi_repository_hooks_pass_on_the_shipped_catalog(tmp_path: Path) -> None:
    done = pre_commit(
        ROOT,
        tmp_path,
        "run",
        "--files",
        "catalog_yaml/settings.yml",
        "catalog/item.py",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("Passed") == 2


# ---------------------------------------------------------------- what VS Code flags while typing


def editor_view(text: str) -> object:
    """The file as the YAML extension sees it with ``yaml.yamlVersion: 1.1`` (like the loader):
    YAML 1.1 scalars, dates as the strings JSON Schema expects."""

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(text))


def schema_errors(text: str, schema_name: str) -> list[str]:
    schema = json.loads((CATALOG / SCHEMA_DIR / schema_name).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return sorted(error.message for error in validator.iter_errors(editor_view(text)))


def guide_example(relative: str) -> str:
    page = (ROOT / "docs" / "editors").glob("*.md")
    for path in page:
        text = path.read_text(encoding="utf-8")
        marker = f"<!-- test: new-file catalog_yaml/{relative} -->\n```yaml\n"
        if marker in text:
            return text.split(marker, 1)[1].split("```", 1)[0]
    raise AssertionError(relative)


def test_vscode_reads_yaml_like_the_loader() -> None:
    settings = json.loads(SETTINGS.read_text(encoding="utf-8"))
    assert settings["yaml.yamlVersion"] == "1.1", "unquoted no/yes and 0-led codes must be flagged"


def test_schema_accepts_the_guide_examples_as_typed() -> None:
    assert (
        schema_errors(guide_example("items/birth-certificate-reissue.yml"), "item.schema.json")
        == []
    )
    assert schema_errors(guide_example("bundles/open-small-shop.yml"), "bundle.schema.json") == []
    assert schema_errors(guide_example("calendar.yml"), "calendar.schema.json") == []


@pytest.mark.parametrize(
    ("right", "wrong"),
    [
        ("kind: 公共服务\n", "kind: 公共服务事项\n"),
        ("    copies: 2\n", "    份数: 2\n"),
        ("visits: 1\n", "visit: 1\n"),
        ("verified: 2026-11-20\n", ""),
        ('basic_code: "000401002000"', "basic_code: 000401002000"),
        ('{id: "no", label: 父母本人办理}', "{id: no, label: 父母本人办理}"),
        ("service_object: [自然人]", "service_object: 自然人"),
    ],
    ids=["enum", "chinese-key", "typo", "missing", "leading-zero", "yes-no", "not-a-list"],
)
def test_schema_flags_the_common_mistakes_while_typing(right: str, wrong: str) -> None:
    text = guide_example("items/birth-certificate-reissue.yml")
    assert text.count(right) == 1, right
    assert schema_errors(text.replace(right, wrong), "item.schema.json") != []
