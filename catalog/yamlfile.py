"""Safe YAML reading for catalog files: no Python tags, no duplicate keys, no alias bombs.

Parsing uses libyaml's C parser with PyYAML's safe constructor. Line and column numbers are
found only for files that have problems (:func:`locate`), so loading a valid catalog stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .problems import Loc

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

MAX_FILE_BYTES = 512 * 1024
"""A catalog file larger than this is refused; real items are a few KB."""

MAX_ALIASES = 50
"""Anchors and aliases are allowed for small reuse, but a file with more is refused."""


class YamlProblem(Exception):
    """A file that is not readable YAML, with the position where reading stopped."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that reports duplicate keys (YAML would silently keep the last one)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[YamlProblem] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise YamlProblem(
                    "字段名必须是简单的文字，不能是列表或一组键值。请检查这一行的缩进和冒号。",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                ) from None
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.duplicates.append(
                    YamlProblem(
                        f"字段“{key}”重复出现（第一次在第 {first} 行）。同一层级的字段只能写一次，请删除或合并其中一个。",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                    )
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        """PyYAML's tag resolution, minus the general machinery catalog files never use.

        libyaml's composer calls this for every node. Without path resolvers and wildcard
        implicit resolvers (asserted below), PyYAML's ``Resolver.resolve`` reduces to this.
        """
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers (asserted below): nothing to track while descending."""

    def ascend_resolver(self) -> None:
        """No path resolvers (asserted below): nothing to track while ascending."""


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)
assert not _StrictLoader.yaml_path_resolvers and None not in _StrictLoader.yaml_implicit_resolvers

_PLAIN_SCALARS = {
    tag: _StrictLoader.yaml_constructors[tag]
    for tag in (
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    )
}
"""Scalar tags the fast path builds with PyYAML's own safe constructors (strings are taken as is)."""


class _Unusual(Exception):
    """The document needs PyYAML's general constructor (see :func:`_plain`)."""


def _plain(loader: _StrictLoader, node: yaml.Node) -> Any:
    """Build the data of an alias-free document of plain maps, lists and scalars.

    Catalog files are such documents, and building them directly is about twice as fast as
    PyYAML's general constructor, which tracks anchors, recursion and deferred construction.
    Anything else (another tag, a non-string or repeated key, a merge key) raises
    :class:`_Unusual`, and the caller builds the document the general way, which also reports
    duplicate keys with their lines. Aliases never reach here: the caller checks first.
    """
    kind = type(node)
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        construct = _PLAIN_SCALARS.get(node.tag)
        if construct is None:
            raise _Unusual
        return construct(loader, node)
    if kind is yaml.MappingNode and node.tag == _MAP:
        mapping = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR:
                raise _Unusual
            mapping[key_node.value] = _plain(loader, value_node)
        if len(mapping) != len(node.value):
            raise _Unusual  # a repeated key: let the general path report it
        return mapping
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_plain(loader, child) for child in node.value]
    raise _Unusual


def read(path: Path) -> tuple[Any, list[YamlProblem]]:
    """Read one catalog file: its data and the duplicate keys found (the last one is kept).

    Raises :class:`YamlProblem` with a Chinese message when the file cannot be read at all.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlProblem(
            f"无法读取文件：{exc.strerror}。请检查文件是否存在、是否有读取权限。"
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(
            f"文件有 {len(raw) // 1024} KB，超过了 {MAX_FILE_BYTES // 1024} KB 的上限。一个事项的文件通常只有几 KB，请检查是否误粘贴了大段内容。"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(
            "文件不是 UTF-8 编码。请在编辑器中把文件另存为 UTF-8 编码（不要用 GBK）。",
            *_line_of_byte(raw, exc.start),
        ) from None
    if "*" in text:
        _check_aliases(text)
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        if "*" not in text:  # no alias, so every node is used once: build it directly
            try:
                return _plain(loader, node), []
            except _Unusual:
                pass
        return loader.construct_document(node), loader.duplicates
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(_syntax_message(exc), line, column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML 格式错误：{exc}。请检查缩进、冒号和引号。") from None
    finally:
        loader.dispose()


def _line_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def _check_aliases(text: str) -> None:
    count = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.AliasEvent):
                count += 1
                if count > MAX_ALIASES:
                    mark = event.start_mark
                    raise YamlProblem(
                        f"文件中的别名（*引用）超过 {MAX_ALIASES} 个。请直接写出内容，不要大量使用 & 和 * 引用。",
                        mark.line + 1,
                        mark.column + 1,
                    )
    except yaml.YAMLError:
        return  # the real parse reports the syntax error with its position


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "tab" in problem or "\\t" in problem:
        return "YAML 中不能用 Tab 缩进。请把 Tab 换成空格（每级两个空格）。"
    if "could not determine a constructor" in problem and "2002:merge" in problem:
        return "目录文件不支持 YAML 合并键（<<）。请把要复用的字段直接写出来。"
    if "could not determine a constructor" in problem:
        return "文件中有不允许的标签（以 ! 开头）。目录文件只能写普通的文字、数字、列表和键值，请删除这个标签。"
    if "mapping values are not allowed" in problem:
        return (
            "这一行的冒号位置不对。如果值里本身有英文冒号，请把整个值用引号括起来；否则请检查缩进。"
        )
    if "found character that cannot start any token" in problem:
        return "这一行有不能作为开头的字符（例如 @ 或 `）。请把整个值用引号括起来。"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "缩进不一致或缺少“- ”。同一层级的字段要对齐，列表的每一项以“- ”开头。"
    if "found undefined alias" in problem:
        return "引用了未定义的锚点（*名称）。请先用 &名称 定义，或直接写出内容。"
    if "while scanning a quoted scalar" in (exc.context or ""):
        return "引号没有配对。请补上结尾的引号。"
    return f"YAML 格式错误（{problem}）。请检查缩进、冒号和引号。"


class Locator:
    """Finds line and column (1-based) of key paths in one file, parsing it once."""

    def __init__(self, path: Path) -> None:
        try:
            self.root: yaml.Node | None = yaml.compose(
                path.read_text(encoding="utf-8"), Loader=_Base
            )
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            self.root = None

    def locate(self, loc: Loc) -> tuple[int, int]:
        """Position of ``loc``; of its nearest existing parent when it is absent (a missing key)."""
        node = self.root
        if node is None:
            return 1, 1
        mark = node.start_mark
        for part in loc:
            found = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        mark = key_node.start_mark
                        found = value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    found = node.value[part]
                    mark = found.start_mark
            if found is None:
                break
            node = found
        return mark.line + 1, mark.column + 1
