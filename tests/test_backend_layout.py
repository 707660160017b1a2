"""docs/backend.md "Layout" lists exactly the modules of forms_backend/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "forms_backend"
NOT_LISTED_ONE_BY_ONE = {"migrations", "templates", "static"}


def _listed() -> set[str]:
    text = (ROOT / "docs" / "backend.md").read_text("utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    listed: set[str] = set()
    folder = ""
    for line in block.splitlines():
        match = re.match(r"^( +)(\S+)", line)
        if not match or match.group(2) == "forms_backend/":
            continue
        indent, name = len(match.group(1)), match.group(2)
        if indent == 2:
            folder = name if name.endswith("/") else ""
            listed.add(name)
        elif indent == 4 and folder and re.fullmatch(r"[\w.]+\.py", name):
            listed.add(folder + name)
    return listed


def _modules() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in NOT_LISTED_ONE_BY_ONE:
            continue
        if len(relative.parts) == 1:
            found.add(relative.name)
        else:
            found.add(relative.parts[0] + "/")
            if relative.name != "__init__.py":
                found.add("/".join(relative.parts))
    for folder in NOT_LISTED_ONE_BY_ONE:
        if (PACKAGE / folder).is_dir():
            found.add(folder + "/")
    return found


def test_every_backend_module_is_in_the_layout_and_nothing_else():
    listed, modules = _listed(), _modules()
    assert modules - listed == set(), "add these to the Layout in docs/backend.md"
    assert listed - modules == set(), "these are in the Layout but no longer exist"
