"""Full-width punctuation typed with a Chinese input method where YAML needs ASCII.

With a Chinese input method on, ``:`` comes out as ``：``, ``,`` as ``，``, a space as U+3000
and ``"`` as ``“”``. YAML treats them as ordinary characters, so the parser either stops
somewhere later with a message about something else, or, worse, reads the file into
something the editor did not mean (``[办狗证，养狗登记]`` is one alias, not two). This module
finds them where YAML's own punctuation belongs, before the parser runs, and says which
character it is, where, and what to type instead.

Only structural positions are looked at: after an English key, in a line's indentation,
between the entries of a ``[...]`` or ``{...}`` written on one line, and around a whole value.
Chinese text inside a value (``说明：申请人，本人到场``) is never reported, nor is anything
in a comment or a ``|`` / ``>`` block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IDEOGRAPHIC_SPACE = "\u3000"

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_PREFIX = re.compile(r"[ \u3000]*(?:[-－][ \u3000]+)*")
"""Indentation and list dashes at the start of a line (full-width ones included)."""
_KEY_AT = re.compile(rf"({_KEY})([ \u3000]*)([:：])([ \u3000]?)")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(#.*)?$")
_MAP_KEY_AFTER = re.compile(rf"[ \u3000]*({_KEY})[ \u3000]*[:：]")


_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_- \u3000")


def suspicious(text: str) -> bool:
    """Cheap test for a file that parsed: could it hold a full-width mistake all the same?

    A U+3000 anywhere, or a full-width colon right after an English letter (a key). Literal
    searches only: over Chinese text they are many times faster than a regular expression.
    The other mistakes make the file fail to parse or validate, or (a full-width comma in a
    ``[...]`` list) are noticed while the file is built; then :func:`scan` runs.
    """
    if IDEOGRAPHIC_SPACE in text:
        return True
    index = text.find("：")
    while index != -1:
        if index and text[index - 1] in _KEY_CHARS:
            return True
        index = text.find("：", index + 1)
    return False


QUOTE_PAIRS = {"“": "”", "‘": "’", "＂": "＂"}
"""Opening full-width quote → its closing one."""
QUOTE_NAMES = {"“": "中文双引号“”", "‘": "中文单引号‘’", "＂": "全角引号＂＂"}
BRACKETS = {"［": ("全角方括号“［］”", "[", "]"), "｛": ("全角花括号“｛｝”", "{", "}")}


@dataclass(frozen=True)
class Mark:
    """One full-width character where YAML needs ASCII: 1-based position and the message.

    Errors stop reading the file, since whatever the parser makes of such a line is not what
    the editor meant. ``warning`` marks (full-width quotes or brackets around a value) are
    legal text: they are shown only when the file fails validation, as the likely cause.
    """

    line: int
    column: int
    message: str
    warning: bool = False


def scan(text: str) -> list[Mark]:
    """Every full-width mistake in ``text``, in file order."""
    marks: list[Mark] = []
    block_indent: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue  # inside a | or > block: free text
            block_indent = None
        if not line.strip() or line.lstrip(" \u3000").startswith("#"):
            continue
        marks.extend(_line_marks(number, line))
        value = _value_of(line)
        if value is not None and _BLOCK_SCALAR.match(value[1]):
            block_indent = indent
    return marks


def _breaks_structure(lead: str, key_follows: bool) -> bool:
    """True when a U+3000 in a line's lead changes what YAML reads, not just the text:
    a key or a list dash follows it, or it stands right after a dash."""
    after = lead[lead.index(IDEOGRAPHIC_SPACE) :]
    return key_follows or "-\u3000" in lead or "-" in after or "－" in after


def _value_of(line: str) -> tuple[int, str] | None:
    """Offset and text of the value on this line (after ``key:`` or a list dash), if any."""
    prefix = _PREFIX.match(line)
    start = prefix.end() if prefix else 0
    key = _KEY_AT.match(line, start)
    if key and key.group(4):
        start = key.end()
    elif key:
        return None
    elif start == 0 or "-" not in line[:start] and "－" not in line[:start]:
        return None
    while start < len(line) and line[start] in " \u3000":
        start += 1
    return start, line[start:]


def _line_marks(number: int, line: str) -> list[Mark]:
    marks: list[Mark] = []
    prefix = _PREFIX.match(line)
    end = prefix.end() if prefix else 0
    lead = line[:end]
    key = _KEY_AT.match(line, end)
    if IDEOGRAPHIC_SPACE in lead and _breaks_structure(lead, key is not None):
        column = lead.index(IDEOGRAPHIC_SPACE) + 1
        dashed = "-" in lead[: column - 1] or "－" in lead[: column - 1]
        where = "列表项“-”后面" if dashed else "这一行开头的缩进里"
        marks.append(
            Mark(
                number,
                column,
                f"{where}有全角空格（U+3000，中文输入法打出的空格）。YAML 只认英文空格，这一行因此读不对。请删掉它，换成英文空格（缩进每级两个空格）。",
            )
        )
    if "－" in lead:
        marks.append(
            Mark(
                number,
                lead.index("－") + 1,
                "列表项开头的“－”是全角减号（中文输入法打出的）。YAML 列表的每一项要以英文减号“-”加一个空格开头，请把“－”换成“-”。",
            )
        )
    if key:
        marks.extend(_key_marks(number, line, key))
    value = _value_of(line)
    if value is not None:
        offset, text = value
        marks.extend(_value_marks(number, line, offset, text))
    return marks


def _key_marks(number: int, line: str, key: re.Match[str]) -> list[Mark]:
    name, colon, after = key.group(1), key.group(3), key.group(4)
    rest = line[key.end() :].strip(" \u3000")
    example = f"{name}: {_short(rest)}" if rest else f"{name}:"
    if colon == "：":
        return [
            Mark(
                number,
                key.start(3) + 1,
                f"“{name}”后面是全角冒号“：”（中文输入法打出的）。YAML 只认英文冒号，这一行因此读不出来。请切换到英文输入法，改为英文冒号“:”，冒号后面加一个空格，例如 {example}。",
            )
        ]
    if after == IDEOGRAPHIC_SPACE:
        return [
            Mark(
                number,
                key.start(4) + 1,
                f"“{name}:”后面是全角空格（U+3000，中文输入法打出的空格）。YAML 要求冒号后面是英文空格，这一行因此读不对。请换成英文空格，例如 {example}。",
            )
        ]
    follows = line[key.end(3) : key.end(3) + 2]
    if not after and follows and not follows.startswith("//"):
        return [
            Mark(
                number,
                key.end(3) + 1,
                f"“{name}:”后面缺少空格。YAML 要求冒号后面有一个英文空格，否则整行会被当成一段文字。请改为 {example}。",
            )
        ]
    return []


def _value_marks(number: int, line: str, offset: int, text: str) -> list[Mark]:
    if not text:
        return []
    first = text[0]
    if first in "[{":
        return _flow_marks(number, line, offset)
    if first in BRACKETS:
        name, opening, closing = BRACKETS[first]
        return [
            Mark(
                number,
                offset + 1,
                f"这个值用了{name}（中文输入法打出的）。YAML 只认英文的“{opening}{closing}”，这样写会被当成一段文字。请换成英文括号，例如 [甲, 乙]。",
                warning=True,
            )
        ]
    quoted = _curly_quoted(text)
    if quoted:
        return [_quote_mark(number, offset, quoted)]
    return []


def _curly_quoted(text: str) -> str | None:
    """``text`` when it is one value wrapped in a pair of full-width quotes (a comment aside)."""
    value = text.split(" #", 1)[0].rstrip()
    closing = QUOTE_PAIRS.get(value[:1])
    if closing and len(value) > 1 and value.endswith(closing):
        return value
    return None


def _quote_mark(number: int, offset: int, quoted: str) -> Mark:
    inner = quoted[1:-1]
    return Mark(
        number,
        offset + 1,
        f"值{quoted}两边是{QUOTE_NAMES[quoted[0]]}（中文输入法打出的）。YAML 不把它们当作引号：它们会原样成为值的一部分，标识、选项和取值因此对不上。如果只是想加引号，请改用英文双引号，写作 \"{inner}\"；如果这对中文引号本来就要显示在网站上，请在外面再加一对英文单引号，写作 '{quoted}'。",
        warning=True,
    )


def _flow_marks(number: int, line: str, start: int) -> list[Mark]:
    """Marks inside a ``[...]`` or ``{...}`` written on one line."""
    marks: list[Mark] = []
    stack: list[str] = []
    index = start
    entry = start  # where the current entry (list item or key) begins
    while index < len(line):
        char = line[index]
        if char in "\"'":
            index = _after_quoted(line, index)
            continue
        if char == "#" and index > start and line[index - 1] == " ":
            break
        if char in "[{":
            stack.append(char)
            entry = index + 1
        elif char in "]}":
            if stack:
                stack.pop()
            if not stack:
                break
        elif (
            char == ","
            or char == ":"
            and stack[-1:] == ["{"]
            and line[index + 1 : index + 2] == " "
        ):
            entry = index + 1  # a new list item or key, or a mapping's value
        elif not stack:
            break
        elif char == "，" and stack[-1] == "{" and _MAP_KEY_AFTER.match(line, index + 1):
            key = _MAP_KEY_AFTER.match(line, index + 1)
            assert key is not None
            marks.append(
                Mark(
                    number,
                    index + 1,
                    f"“{key.group(1)}”前面是全角逗号“，”（中文输入法打出的）。花括号里的字段之间要用英文逗号加一个空格分隔，YAML 不把“，”当作分隔符，这一行因此读不出来。请改为“, {key.group(1)}:”。",
                )
            )
            entry = index + 1
        elif char == "，" and stack[-1] == "[":
            item_end = _entry_end(line, index)
            item = line[entry:item_end].strip(" \u3000")
            marks.append(_list_comma_mark(number, index, item))
            index = item_end
            continue
        elif char in QUOTE_PAIRS and not line[entry:index].strip(" \u3000"):
            quoted = _curly_quoted(line[index : _entry_end(line, index)].rstrip(" \u3000"))
            if quoted:
                marks.append(_quote_mark(number, index, quoted))
        elif char == "：" and stack[-1] == "{":
            key = re.fullmatch(rf"[ \u3000]*({_KEY})[ \u3000]*", line[entry:index])
            if key:
                marks.append(
                    Mark(
                        number,
                        index + 1,
                        f"“{key.group(1)}”后面是全角冒号“：”（中文输入法打出的）。YAML 只认英文冒号，这一行因此读不出来。请改为英文冒号“:”，冒号后面加一个空格，例如 {key.group(1)}: 值。",
                    )
                )
        index += 1
    return marks


def _list_comma_mark(number: int, index: int, item: str) -> Mark:
    pieces = [p.strip(" \u3000") for p in item.split("，") if p.strip(" \u3000")]
    return Mark(
        number,
        index + 1,
        f"方括号列表里的“，”是全角逗号（中文输入法打出的）。YAML 不把它当作分隔符，“{item}”会被当成一项。如果要写成 {len(pieces)} 项（{'、'.join(pieces)}），请改用英文逗号加一个空格：[{', '.join(pieces)}]；如果逗号本来就是这一项文字的一部分，请把这一项用英文双引号括起来。",
    )


def _entry_end(line: str, index: int) -> int:
    """Index of the ``,``, ``]`` or ``}`` that ends the flow entry holding ``index``."""
    while index < len(line) and line[index] not in ",]}":
        index += 1
    return index


def _after_quoted(line: str, index: int) -> int:
    """Index just after the quoted scalar that starts at ``index`` (or the line's end)."""
    quote = line[index]
    index += 1
    while index < len(line):
        if quote == '"' and line[index] == "\\":
            index += 2
            continue
        if line[index] == quote:
            if quote == "'" and line[index + 1 : index + 2] == "'":
                index += 2
                continue
            return index + 1
        index += 1
    return index


def _short(text: str, limit: int = 16) -> str:
    text = text.split(" #", 1)[0].rstrip()
    return text if len(text) <= limit else text[:limit] + "…"
