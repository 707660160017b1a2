"""Safe YAML reading for catalog files: no Python tags, no duplicate keys, no alias bombs.

Parsing uses libyaml's C parser with PyYAML's safe constructor. Line and column numbers are
found only for files that have problems (:func:`locate`), so loading a valid catalog stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import fullwidth
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
    """A file that is not readable YAML, with the position where reading stopped.

    ``others`` are further problems found in the same file (every full-width character in
    it, say); ``warning`` problems are reported while the file is still read.
    """

    def __init__(
        self,
        message: str,
        line: int = 1,
        column: int = 1,
        *,
        warning: bool = False,
        others: tuple[YamlProblem, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.warning = warning
        self.others = others

    @property
    def each(self) -> tuple[YamlProblem, ...]:
        """This problem and the others, in file order."""
        return (self, *self.others)


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
    Anything else (another tag, a non-string or repeated key, a merge key, a full-width comma
    in a ``[...]`` list) raises :class:`_Unusual`, and the caller builds the document the
    general way, which also reports duplicate keys and full-width punctuation with their lines. Aliases never reach here: the caller checks first.
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
        if node.flow_style and any(
            "，" in child.value for child in node.value if child.tag == _STR
        ):
            raise _Unusual  # [甲，乙]: the careful path scans for full-width commas
        return [_plain(loader, child) for child in node.value]
    raise _Unusual


def read(path: Path) -> tuple[Any, list[YamlProblem]]:
    """Read one catalog file: its data and the duplicate keys found (the last one is kept).

    Raises :class:`YamlProblem` with a Chinese message when the file cannot be read at all,
    carrying every full-width character in a place where YAML needs ASCII punctuation
    (found by :mod:`.fullwidth`: after a parse error always, else when a cheap test hints).
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
            *_line_of_offset(raw, exc.start),
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
                data = _plain(loader, node)
            except _Unusual:
                pass
            else:
                if fullwidth.suspicious(text):
                    _refuse_full_width(text)
                return data, []
        data = loader.construct_document(node)
        _refuse_full_width(text)
        return data, loader.duplicates
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        _refuse_full_width(text)  # full-width punctuation is what the parser tripped on
        raise YamlProblem(_syntax_message(exc, text), *_position(exc)) from None
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(
            f"文件中有不能出现在 YAML 中的控制字符（U+{exc.character:04X}，看不见的字符，常见于从网页或文档中复制的文字）。请删除它。",
            *_line_of_offset(text, exc.position),
        ) from None
    except yaml.YAMLError:
        raise YamlProblem("YAML 格式错误：程序读不懂这个文件。请检查缩进、冒号和引号。") from None
    finally:
        loader.dispose()


def _refuse_full_width(text: str) -> None:
    """Raise a :class:`YamlProblem` carrying every full-width mistake in ``text``, if any."""
    errors = [m for m in fullwidth.scan(text) if not m.warning]
    if errors:
        first, *others = (YamlProblem(m.message, m.line, m.column) for m in errors)
        raise YamlProblem(first.message, first.line, first.column, others=tuple(others))


def full_width_warnings(path: Path) -> list[YamlProblem]:
    """Full-width quotes and brackets around values in a file that read but did not validate.

    They are legal text, so a valid file is never warned about them; when a value is
    rejected, they are often why (``id: “yes”`` is not the id ``yes``).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [
        YamlProblem(m.message, m.line, m.column, warning=True)
        for m in fullwidth.scan(text)
        if m.warning
    ]


def _line_of_offset(data: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a character (or byte) offset."""
    before = data[:offset]
    newline = "\n" if isinstance(before, str) else b"\n"
    line = before.count(newline) + 1  # type: ignore[arg-type]
    column = offset - (before.rfind(newline) + 1) + 1  # type: ignore[arg-type]
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


_AT_CONTEXT = ("while scanning a simple key", "while parsing a flow", "while scanning a quoted")
"""Errors the parser notices only later: the editor's mistake is where the context began
(a line without its colon, an unclosed bracket or quote), not where reading stopped."""


def _position(exc: yaml.MarkedYAMLError) -> tuple[int, int]:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and (exc.context or "").startswith(_AT_CONTEXT):
        mark = exc.context_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _character_at(text: str, line: int, column: int) -> str:
    current = _line_text(text, line)
    return current[column - 1] if 0 < column <= len(current) else ""


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    """The parser's complaint in Chinese, with the fix (no English from the parser)."""
    problem = exc.problem or ""
    context = exc.context or ""
    line, column = _position(exc)
    at = _character_at(text, line, column)
    if "tab" in problem or "\\t" in problem or at == "\t":
        return "YAML 中不能用 Tab 缩进。请把 Tab 换成空格（每级两个空格）。"
    if "could not determine a constructor" in problem and "2002:merge" in problem:
        return "目录文件不支持 YAML 合并键（<<）。请把要复用的字段直接写出来。"
    if "could not determine a constructor" in problem or "tag handle" in problem:
        return "文件中有不允许的标签（以 ! 开头）。目录文件只能写普通的文字、数字、列表和键值，请删除这个标签。"
    if "found undefined alias" in problem:
        return "引用了未定义的锚点（*名称）。请先用 &名称 定义，或直接写出内容。"
    if context.startswith("while scanning a quoted") and "end of stream" in problem:
        return "引号没有配对。请补上结尾的引号。"
    if "unknown escape character" in problem:
        return "双引号里的反斜杠“\\”后面跟了 YAML 不认识的字符。要写反斜杠本身，请写两个反斜杠，或把双引号改为单引号。"
    if "mapping values are not allowed" in problem:
        return (
            "这一行的冒号位置不对。如果值里本身有英文冒号，请把整个值用引号括起来；否则请检查缩进。"
        )
    if "block sequence entries are not allowed" in problem:
        return "列表项“- ”不能和“字段:”写在同一行。请把列表项另起一行，写在字段下面并多缩进两个空格；或写成 [甲, 乙]。"
    if "found character that cannot start any token" in problem:
        return f"这一行的值以“{at}”开头，YAML 不允许值以这个字符开头。请把整个值用英文引号括起来。"
    if "could not find expected ':'" in problem:
        if "：" in _line_text(text, line):
            return "这一行找不到英文冒号“:”，只有全角冒号“：”（中文输入法打出的）。YAML 只认英文冒号，字段名也要用英文。请切换到英文输入法，写成 英文字段名、英文冒号和一个空格，例如 copies: 2。"
        return "这一行既不是“字段: 值”也不是列表项：找不到英文冒号“:”。请检查字段名后面是否漏了冒号；如果这一行是上一行文字的接续，请把整段文字写在同一行。"
    if "expected ',' or ']'" in problem:
        return "这里开始的方括号 [ ] 没有配对，或者列表的两项之间缺少英文逗号。请检查方括号，列表项之间用英文逗号加空格分隔，例如 [甲, 乙]。"
    if "expected ',' or '}'" in problem:
        return "这里开始的花括号 { } 没有配对，或者两个字段之间缺少英文逗号。请检查花括号，字段之间用英文逗号加空格分隔，例如 {id: yes, label: 是}。"
    if "expected '-' indicator" in problem:
        return "列表中间出现了不以“- ”开头的一行。列表的每一项都要以“- ”开头；如果这一行是某一项里的字段，请让它和这一项的第一个字段对齐。"
    if "expected key" in problem or "expected <block end>" in problem:
        return "缩进不一致：这一行和上面同一层级的字段没有对齐，或者在字段中间混进了列表项“- ”。同一层级的字段要对齐，每级缩进两个空格，列表的每一项以“- ”开头。"
    if "another document" in problem or "document start" in problem:
        return "文件中间有“---”或“...”这样的分隔行。每个目录文件只写一份内容，请删除这一行，或把后面的内容移到单独的文件中。"
    if context.startswith(("while scanning a directive", "while scanning an anchor")):
        return "这一行的 % 或 & 写法不对。如果它们是文字的一部分，请把整个值用英文引号括起来。"
    return "YAML 格式错误：程序读不懂这里的写法。请检查缩进、冒号和引号；值里有 : # [ ] { } 等符号时，请把整个值用英文引号括起来。"


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
